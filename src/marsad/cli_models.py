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
