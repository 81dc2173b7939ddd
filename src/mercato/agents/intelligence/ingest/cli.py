"""The ingest commands under `mercato intel`: `ingest` runs one source, or every enabled
one, with a progress bar; each source's run is reported, a failing one never stopping the
rest."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from mercato.kernel.commands import (
    check_store,
    command_kernel,
    console,
    fail,
    progress_bar,
    run,
    settings,
)
from mercato.kernel.config import Settings
from mercato.kernel.context import bind

if TYPE_CHECKING:
    from mercato.agents.intelligence.ingest.models import Run


def register(group: typer.Typer) -> None:
    """Add this part's commands to `mercato intel`."""
    group.command("ingest")(ingest_command)


def ingest_command(
    source: Annotated[str | None, typer.Option(help="The source's name")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every enabled source")] = False,
    store: Annotated[str, typer.Option(help="The store whose sources run")] = "default",
) -> None:
    """Fetch outside data now: one source (`--source NAME`) or all of them (`--all`)."""
    if (source is None) == (not all_):
        raise fail("say which: --source NAME or --all")
    done = run(lambda: _ingest(settings(), store, source))
    table = Table(
        "source",
        "status",
        "fetched",
        "stored",
        "rejected",
        "duplicates",
        "error",
        title="Ingestion",
    )
    for name, outcome in done:
        table.add_row(
            name,
            outcome.status,
            str(outcome.fetched),
            str(outcome.stored),
            str(outcome.rejected),
            str(outcome.duplicates),
            outcome.error or "",
        )
    console.print(table)
    if any(outcome.status == "failed" for _, outcome in done):
        raise typer.Exit(1)


async def _ingest(cfg: Settings, store: str, name: str | None) -> list[tuple[str, Run]]:
    from mercato.agents.intelligence.ingest import runner, sources

    async with command_kernel(cfg, prepare=True) as kernel:
        check_store(kernel, store)
        with bind(tenant_id=store):
            async with kernel.uow(writes=False) as uow:
                if name is not None:
                    found = await sources.source_by_name(uow, name)
                    if found is None:
                        raise fail(f"no source named {name!r} in store {store!r}")
                    chosen = [(found.id, found.name)]
                else:
                    chosen = [(s.id, s.name) for s in await sources.enabled_sources(uow)]
            done: list[tuple[str, Run]] = []
            with progress_bar() as progress:
                task = progress.add_task("ingesting", total=len(chosen))
                for source_id, source_name in chosen:
                    progress.update(task, description=f"ingesting {source_name}")
                    done.append((source_name, await runner.run_source(kernel, source_id=source_id)))
                    progress.advance(task)
            return done
