"""Marsad: Arabic news to structured, geolocated, evidence-backed conflict event data.

>>> import marsad
>>> doc = marsad.analyze("قصفت القوات التركية مواقع في عفرين.")   # doctest: +SKIP
>>> doc.to_json()                                                  # doctest: +SKIP
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from marsad.doc import Document
    from marsad.pipeline import Pipeline

__all__ = ["__version__", "analyze", "default_pipeline"]


@lru_cache(maxsize=1)
def default_pipeline() -> Pipeline:
    """The built-in pipeline, built once per process (knowledge loads on first use)."""
    from marsad.pipeline import Pipeline

    return Pipeline.default()


def analyze(text: str, doc_id: str = "doc", date: str | None = None) -> Document:
    """Analyse one article with the built-in knowledge and return its :class:`Document`."""
    return default_pipeline()(text, doc_id=doc_id, date=date)
