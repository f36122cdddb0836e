"""`marsad train …` and `marsad eval …`: build the statistical models and measure them on annotated data."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click

from marsad.errors import MarsadError


@click.group("train")
def train_group() -> None:
    """Train the statistical models that ship with Marsad (needs the annotated data)."""


@train_group.command("ner")
@click.option("--train", "train_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CoNLL file to train on (TOKEN TAG a line, blank line between sentences; BIO tags).")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the model (the shipped one: src/marsad/data/models/ner-anercorp.crfsuite).")
@click.option("--test", "test_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="A CoNLL file to evaluate the new model on afterwards.")
@click.option("--c1", type=float, default=None, help="L1 regularisation (default: the shipped model's).")
@click.option("--c2", type=float, default=None, help="L2 regularisation (default: the shipped model's).")
@click.option("--iterations", type=click.IntRange(min=1), default=None, help="L-BFGS iterations.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Train on the first N sentences only.")
def train_ner(train_path: Path, out: Path, test_path: Path | None, c1: float | None, c2: float | None,
              iterations: int | None, limit: int | None) -> None:
    """Train the named-entity tagger (a linear-chain CRF) and write it to OUT."""
    from marsad.ner.tagger import NerTagger
    from marsad.ner.train import DEFAULT_PARAMS, evaluate, train

    params = {"c1": DEFAULT_PARAMS["c1"] if c1 is None else c1,
              "c2": DEFAULT_PARAMS["c2"] if c2 is None else c2,
              "iterations": int(DEFAULT_PARAMS["max_iterations"]) if iterations is None else iterations}
    started = time.perf_counter()
    try:
        train(train_path, out, limit=limit, **params)  # type: ignore[arg-type]
        click.echo(f"marsad: trained in {time.perf_counter() - started:.0f} s -> {out} "
                   f"({out.stat().st_size / 1e6:.1f} MB)", err=True)
        if test_path is not None:
            _print_ner_scores(evaluate(NerTagger(out), test_path), as_json=False)
    except MarsadError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group("eval")
def eval_group() -> None:
    """Measure Marsad's accuracy on your own annotated data."""


@eval_group.command("ner")
@click.argument("conll", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--model", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="A model trained with `marsad train ner` (default: the shipped one).")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def eval_ner(conll: Path, model: Path | None, as_json: bool) -> None:
    """Score the named-entity tagger on CONLL (TOKEN TAG a line, BIO tags over PERS/ORG/LOC/MISC).

    Exact-match precision, recall and F1 (CoNLL style), overall and per type.
    """
    from marsad.ner.tagger import NerTagger
    from marsad.ner.train import evaluate

    try:
        tagger = NerTagger(model) if model is not None else NerTagger.builtin()
        result = evaluate(tagger, conll)
    except MarsadError as exc:
        raise click.ClickException(str(exc)) from exc
    _print_ner_scores(result, as_json)


def _print_ner_scores(result: dict, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(result, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"NER: {result['sentences']} sentences, {result['tokens']} tokens (exact match)")
    for col in ("type", "precision", "recall", "F1", "gold", "predicted"):
        table.add_column(col, justify="left" if col == "type" else "right")
    rows = [*result["per_type"].items(), ("overall", result["overall"])]
    for name, m in rows:
        table.add_row(name, f"{m['precision']:.3f}", f"{m['recall']:.3f}", f"{m['f1']:.3f}", str(m["gold"]),
                      str(m["predicted"]))
    Console().print(table)


@eval_group.command("docs")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--system", "system_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="Score these NAME.json results (another run, another system) instead of running Marsad.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Also write Marsad's NAME.json results here.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON (score.py's keys and more).")
def eval_docs(gold_dir: Path, system_dir: Path | None, out: Path | None, as_json: bool) -> None:
    """Score Marsad on annotated articles: NAME.txt with NAME.gold.json in GOLD_DIR (docs/annotating.md).

    Entities, places, events (relaxed: type and trigger; strict: source and target too), modality and
    casualty and force counts, overall, per document and per event type, with a confusion matrix of event types.
    Each article is read as ``marsad extract`` reads it, with the dates and metadata of its front matter,
    sidecar and the directory's index.jsonl.
    """
    from marsad.evaluate.documents import score_document, summarise
    from marsad.evaluate.report import print_docs_report

    golds = sorted(gold_dir.glob("*.gold.json"))
    if not golds:
        raise click.ClickException(f"{gold_dir}: no NAME.gold.json files")
    pipeline = None if system_dir is not None else _pipeline()
    scores, missing = {}, []
    for gold_path in golds:
        name = gold_path.name.removesuffix(".gold.json")
        try:
            text = (gold_dir / f"{name}.txt").read_text(encoding="utf-8")
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            click.echo(f"marsad: skipped {gold_path}: {exc}", err=True)
            continue
        system = _system_result(gold_dir / f"{name}.txt", pipeline, system_dir, out)
        if system is None:
            missing.append(name)
            system = {}
        try:
            scores[name] = score_document(name, gold, system, text)
        except MarsadError as exc:
            click.echo(f"marsad: skipped {gold_path}: {exc}", err=True)
    report = summarise(scores, missing)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print_docs_report(report)


def _pipeline():  # type: ignore[no-untyped-def]
    from marsad.parallel import PipelineSpec

    try:
        return PipelineSpec().build()  # what `marsad extract` builds
    except MarsadError as exc:
        raise click.ClickException(str(exc)) from exc


def _system_result(path: Path, pipeline, system_dir: Path | None,  # type: ignore[no-untyped-def]
                   out: Path | None) -> dict | None:
    name = path.stem
    if system_dir is not None:
        path = system_dir / f"{name}.json"
        try:
            return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            click.echo(f"marsad: {path}: unreadable ({exc}); scored as empty", err=True)
            return None
    from marsad.evaluate.documents import analyse_article
    from marsad.sinks.files import write_json_atomic

    record, problems = analyse_article(pipeline, path)
    for problem in problems:
        click.echo(f"marsad: skipped {problem}", err=True)
    if record is not None and out is not None:
        write_json_atomic(out / f"{name}.json", record)
    return record


@eval_group.command("detection")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--system", "system_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="Score this JSONL of results (id and events) instead of running Marsad.")
@click.option("--any-modality", is_flag=True, help="Count forecast, denied and hypothetical events too.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def eval_detection(gold: Path, system_path: Path | None, any_modality: bool, as_json: bool) -> None:
    """Sentence-level event detection on GOLD.jsonl (the Arabic event gold standard's format), per type."""
    from marsad.evaluate.detection import detected_types, score_detection
    from marsad.evaluate.report import print_detection_report

    rows = _read_jsonl(gold, required=("id", "event_type", "label"))
    predicted: dict[str, set[str]] = {}
    if system_path is not None:
        for doc in _read_jsonl(system_path, required=("id",)):
            predicted[str(doc["id"])] = detected_types(doc.get("events", []), any_modality)
    else:
        from marsad.sinks.progress import progress_bar

        pipeline = _pipeline()
        with progress_bar(True) as progress:
            for row in rows:
                if row["label"] == "ambiguous":
                    continue
                doc = pipeline(str(row.get("text") or ""), doc_id=str(row["id"]))
                predicted[str(row["id"])] = detected_types(
                    ({"type": e.type, "modality": e.modality} for e in doc.events), any_modality)
                if progress is not None:
                    progress.advance(progress.task_ids[0])
    result = score_detection(rows, predicted)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
    else:
        print_detection_report(result)


def _read_jsonl(path: Path, required: tuple[str, ...]) -> list[dict]:
    """The lines of a JSONL file; a malformed line is reported with its number and skipped."""
    import gzip

    rows = []
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    click.echo(f"marsad: skipped {path}:{lineno}: not JSON ({exc.msg})", err=True)
                    continue
                lacking = [k for k in required if not isinstance(row, dict) or k not in row]
                if lacking:
                    click.echo(f"marsad: skipped {path}:{lineno}: no {', '.join(lacking)}", err=True)
                    continue
                rows.append(row)
    except (OSError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"{path}: cannot read ({exc})") from exc
    return rows
