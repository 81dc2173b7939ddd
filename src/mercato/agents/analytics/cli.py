"""The analytics agent's commands: `mercato analytics rebuild`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from mercato.agents.analytics.rebuild import Rebuilt, rebuild
from mercato.kernel.commands import (
    check_store,
    command_kernel,
    console,
    progress_bar,
    run,
    settings,
)
from mercato.kernel.config import Settings

cli = typer.Typer()
analytics = typer.Typer(help="Analytics' read models and reports.", no_args_is_help=True)
cli.add_typer(analytics, name="analytics")


@analytics.command("rebuild")
def rebuild_command(
    store: Annotated[
        str | None, typer.Option(help="Only this store's (default: every store's)")
    ] = None,
) -> None:
    """Wipe the read models and build them again from the event store (the outbox)."""
    done = run(lambda: _rebuild(settings(), store))
    table = Table("read model", "rows", title="Rebuilt")
    for name, count in done.rows.items():
        table.add_row(name, str(count))
    console.print(table)
    outcomes = ", ".join(f"{count} {outcome}" for outcome, count in sorted(done.outcomes.items()))
    console.print(f"{sum(done.events.values())} events replayed ({outcomes or 'none handled'})")
    if done.outcomes.get("dead_lettered"):
        raise typer.Exit(1)


async def _rebuild(cfg: Settings, store: str | None) -> Rebuilt:
    async with command_kernel(cfg, prepare=True) as kernel:
        if store is not None:
            check_store(kernel, store)
        with progress_bar() as progress:
            task = progress.add_task("replaying events", total=None)
            return await rebuild(
                kernel,
                store=store,
                on_total=lambda n: progress.update(task, total=n),
                on_events=lambda n: progress.advance(task, n),
            )
