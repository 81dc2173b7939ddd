"""The assistant's commands: `mercato assistant train` rebuilds the intent classifier from the
phrasebooks (the same seed, the same model)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import TaskID

from mercato.agents.assistant.nlu import classifier
from mercato.agents.assistant.nlu.generate import demo_vocabulary
from mercato.agents.assistant.nlu.train import EPOCHS, PER_PATTERN, train
from mercato.kernel.commands import console, progress_bar

cli = typer.Typer()
assistant = typer.Typer(help="The shopping assistant.", no_args_is_help=True)
cli.add_typer(assistant, name="assistant")


@assistant.command("train")
def train_command(
    seed: Annotated[int, typer.Option(help="The generator's and the optimiser's seed")] = 7,
    output: Annotated[Path, typer.Option(help="Where to write the model")] = classifier.MODEL,
    per_pattern: Annotated[
        int, typer.Option(min=1, help="Sentences made from each pattern (fewer: a quick try)")
    ] = PER_PATTERN,
    epochs: Annotated[int, typer.Option(min=1, help="Passes over the examples")] = EPOCHS,
) -> None:
    """Rebuild the intent classifier from the phrasebooks and the demo catalogue's words."""
    with progress_bar() as bar:
        tasks: dict[str, TaskID] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                label = {"features": "Reading the examples", "fit": "Fitting"}.get(stage, stage)
                tasks[stage] = bar.add_task(label, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        model, report = train(
            demo_vocabulary(), seed=seed, per_pattern=per_pattern, epochs=epochs, progress=progress
        )
    model.save(output)
    console.print(
        f"[green]Trained[/] on {report.examples} examples → {output}\n"
        f"  held-out patterns: accuracy {report.held_out_accuracy:.3f} on {report.held_out}, "
        f"temperature {report.temperature:.3f}, "
        f"calibration error {report.expected_calibration_error:.3f}\n"
        f"  examples digest {model.digest}"
    )
