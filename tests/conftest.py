"""Shared fixtures: the pipeline (built once) and the location of ../shared."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MARSAD_SHARED", REPO.parent / "shared"))


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test when it is absent (a user's fresh clone)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs {path} (the project's shared evaluation data), which is absent here")
    return path


def train_script(script: str, out: Path, *args: str) -> dict:
    """Run ``scripts/SCRIPT`` (a model's training) with ``args`` and ``--out OUT``; the model it wrote."""
    done = subprocess.run([sys.executable, str(REPO / "scripts" / script), *args, "--out", str(out)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def pipeline():
    import marsad

    return marsad.default_pipeline()


@pytest.fixture(scope="session")
def candidate_pipeline():
    """The pipeline without the event classifier (every candidate the rules keep comes out): for tests of what the
    coder reads of a candidate (modality, arguments), not of whether an article reports it."""
    from marsad.events.coder import EventCoder
    from marsad.pipeline import Pipeline

    pipeline = Pipeline.default()  # its own: the shared one keeps its classifier
    next(c for c in pipeline.components if isinstance(c, EventCoder)).classifier = None
    return pipeline


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium for a module's browser tests (web_helpers.chromium; the modules skip without it)."""
    from web_helpers import chromium

    with chromium() as b:
        yield b


@pytest.fixture
def page(browser, server):
    """The dashboard of the module's ``server`` fixture, loaded in a new browser context."""
    from web_helpers import dashboard_page

    with dashboard_page(browser, server[0]) as pg:
        yield pg


@pytest.fixture
def no_bind(monkeypatch):
    """uvicorn.Server replaced by one that says it started (so the address is announced), prints SERVING,
    records the config `marsad serve` / `demo` would run, and listens on nothing. Returns the configs."""
    import click
    import uvicorn

    runs = []

    class NoBind:
        def __init__(self, config):
            self.config, self.started, self.should_exit, self.servers = config, False, False, []

        def run(self):
            self.started = True
            click.echo("SERVING", err=True)
            runs.append(self.config)
            self.should_exit = True

    monkeypatch.setattr(uvicorn, "Server", NoBind)
    return runs
