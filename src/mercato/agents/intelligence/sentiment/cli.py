"""The sentiment commands under `mercato intel`: `sentiment` (a file of texts → JSON lines)
and `sentiment-train` (compose the training set and train the served model again)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, TextIO

import typer

BATCH = 64


def register(group: typer.Typer) -> None:
    """Add this part's commands to `mercato intel`."""
    group.command("sentiment")(sentiment_command)
    group.command("sentiment-train")(train_command)


def sentiment_command(
    input: Annotated[Path, typer.Option("--input", exists=True, dir_okay=False,
                                        help="A text file, one text a line")],
    output: Annotated[Path | None, typer.Option(help="Write the JSON lines here")] = None,
) -> None:  # fmt: skip
    """Analyse each line of INPUT: one JSON object a line (label, polarity, confidence,
    aspects), in order; blank lines are analysed too (neutral), so lines stay aligned."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from mercato.agents.intelligence.sentiment.model import analyse
    from mercato.kernel.commands import err

    lines = input.read_text(encoding="utf-8", errors="replace").splitlines()
    sink: TextIO = output.open("w", encoding="utf-8") if output else sys.stdout
    bar = Progress(
        "[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
        TimeRemainingColumn(), console=err, disable=len(lines) <= BATCH,
    )  # fmt: skip
    try:
        with bar:
            task = bar.add_task("analysing", total=len(lines))
            for start in range(0, len(lines), BATCH):
                for result in analyse(lines[start : start + BATCH]):
                    sink.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
                bar.advance(task, len(lines[start : start + BATCH]))
    finally:
        if output:
            sink.close()


def train_command(
    seed: Annotated[int, typer.Option(help="The training set's seed")] = 19,
    count: Annotated[int, typer.Option(help="Training examples to compose")] = 600,
) -> None:
    """Compose the training set (assets/train.jsonl) and train the model (assets/model.json):
    the same seed gives the same files."""
    from mercato.agents.intelligence.sentiment.train import train
    from mercato.kernel.commands import console, err, fail

    try:
        made = train(seed=seed, count=count, say=err.print)
    except RuntimeError as exc:
        raise fail(str(exc)) from exc
    console.print_json(json.dumps({k: v for k, v in made.items() if k != "development_macro_f1"}))
