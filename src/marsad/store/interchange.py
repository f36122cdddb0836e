"""Event data interchange formats: PLOVER JSON Lines and CAMEO/Phoenix-style tab-separated values.

PLOVER (the Open Event Data Alliance's specification, chapter "JSON Data
Fields") names the fields; Marsad's extras (modality, attribution, mentions,
the explanation) are added beside them under their own names, as the
specification allows. The Phoenix-style table keeps the column names of the
Phoenix / PETRARCH CAMEO data sets so existing scripts read it, with
``QuadClass`` in place of the pentaclass.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from marsad import __version__
from marsad.records import ARGUMENT_OFFSETS

CODER = f"marsad {__version__}"


def _actor(row: dict[str, Any], side: str) -> list[dict[str, Any]]:
    if not row[f"{side}_text"]:
        return []
    actor = {"actor_text": row[f"{side}_text"], "code": row[f"{side}_cameo"], "sector": row[f"{side}_sector"],
             "identifier_id": row[f"{side}_actor_id"], "identifier_text": row[f"{side}_name"],
             "country": row[f"{side}_country"]}
    return [{k: v for k, v in actor.items() if v is not None}]


def _number(value: float | None) -> float | int | None:
    return int(value) if value is not None and float(value).is_integer() else value


def plover_record(row: dict[str, Any]) -> dict[str, Any]:
    """One event (a ``query.select_events`` row) as a PLOVER record."""
    loc = None
    if row["location_text"]:
        loc = {"name": row["location_text"], "latitude": row["lat"], "longitude": row["lon"],
               "country code": row["location_country"]}
    record = {
        "id": row["event"],
        "date": row["date"],
        "source": _actor(row, "source"),
        "recipient": _actor(row, "target"),
        "event": [row["type"]],
        "mode": row["mode"],
        "event_loc": loc,
        "event_text": [row["trigger_text"]],
        "quad_code": row["quad_class"],
        "event_scale": row["goldstein"],
        "dead": _number(row["killed"]), "injured": _number(row["injured"]), "arrested": _number(row["detained"]),
        "link": f"cluster-{row['cluster']}" if row["cluster"] is not None else None,
        "text": row["sentence"],
        "text_info": {"start": row["sentence_start"], "end": row["sentence_end"],
                      "event_start": row["trigger_start"], "event_end": row["trigger_end"],
                      **{c: row[c] for c in ARGUMENT_OFFSETS if row.get(c) is not None}},
        "cite_info": {k: v for k, v in {"citation": row["doc_id"], "url": row["url"], "title": row["title"],
                                        "publication": row["outlet"], "language": "ar", "coder": CODER}.items()
                      if v is not None},
        "coder": CODER,
        # Marsad's additions
        "cameo": row["cameo"],
        "modality": row["modality"],
        "date_precision": row["date_precision"],
        "attribution": row["attribution_text"],
        "mentions": row["cluster_mentions"],
        "articles": row["cluster_articles"],
        "explanation": json.loads(row["explanation"]),
    }
    return {k: v for k, v in record.items() if v is not None}


def write_plover(rows: Iterable[dict[str, Any]], fh: TextIO) -> int:
    n = 0
    for row in rows:
        fh.write(json.dumps(plover_record(row), ensure_ascii=False) + "\n")
        n += 1
    return n


PHOENIX_COLUMNS = (
    "EventID", "Date", "Year", "Month", "Day", "SourceActorFull", "SourceActorEntity", "SourceActorRole",
    "SourceActorAttribute", "TargetActorFull", "TargetActorEntity", "TargetActorRole", "TargetActorAttribute",
    "EventCode", "EventRootCode", "QuadClass", "GoldsteinScore", "Issues", "Lat", "Lon", "LocationName",
    "StateName", "CountryCode", "SentenceID", "URLs", "NewsSources",
)


def _cell(value: Any) -> str:
    """Tabs and newlines inside a value would break the table's rows."""
    return "" if value is None else " ".join(str(value).split())


def phoenix_row(row: dict[str, Any]) -> list[str]:
    date = row["date"] or ""
    y, m, d = [*date.split("-"), "", "", ""][:3] if date else ("", "", "")
    src, tgt = row["source_cameo"] or "", row["target_cameo"] or ""
    return [_cell(v) for v in (
        row["event"], date.replace("-", ""), y, m, d,
        src, src[:3], row["source_sector"], "", tgt, tgt[:3], row["target_sector"], "",
        row["cameo"], row["cameo_root"], row["quad_class"], row["goldstein"], "",
        row["lat"], row["lon"], row["location_text"], "", row["location_country"],
        f"{row['doc_id']}:{row['sentence_start']}", row["url"], row["outlet"])]


def write_phoenix(rows: Iterable[dict[str, Any]], fh: TextIO) -> int:
    fh.write("\t".join(PHOENIX_COLUMNS) + "\n")
    n = 0
    for row in rows:
        fh.write("\t".join(phoenix_row(row)) + "\n")
        n += 1
    return n
