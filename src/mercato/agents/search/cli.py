"""The search agent's commands: `mercato search reindex`."""

from __future__ import annotations

import time
from typing import Annotated

import typer

from mercato.agents.search.meaning import embed_pending, pending
from mercato.agents.search.rebuild import reindex
from mercato.kernel.commands import (
    check_store,
    command_kernel,
    console,
    progress_bar,
    run,
    settings,
)
from mercato.kernel.config import Settings
from mercato.kernel.context import bind

cli = typer.Typer()
search = typer.Typer(help="The search index.", no_args_is_help=True)
cli.add_typer(search, name="search")


@search.command("reindex")
def reindex_command(
    store: Annotated[str | None, typer.Option(help="Store (default: the default store)")] = None,
    meaning: Annotated[
        bool,
        typer.Option(
            help="Embed the products' meaning now, rather than leave it to a running server's "
            "background job"
        ),
    ] = True,
) -> None:
    """Rebuild the store's search index from its catalog (events keep it fresh afterwards)."""
    cfg = settings()
    started = time.perf_counter()
    count, embedded = run(lambda: _reindex(cfg, store or cfg.default_tenant, meaning))
    console.print(f"{count} products searchable, indexed in {time.perf_counter() - started:.1f} s")
    if meaning:
        console.print(f"{embedded} products' meaning embedded")


async def _reindex(cfg: Settings, store: str, meaning: bool) -> tuple[int, int]:
    async with command_kernel(cfg, prepare=True) as kernel:
        check_store(kernel, store)
        with bind(tenant_id=store), progress_bar() as progress:
            task = progress.add_task("indexing products", total=None)
            count = await reindex(
                kernel,
                on_total=lambda n: progress.update(task, total=n),
                on_batch=lambda n: progress.advance(task, n),
            )
            embedded = 0
            if meaning and cfg.search_semantic:
                task = progress.add_task("embedding meaning", total=await pending(kernel))
                while done := await embed_pending(kernel):
                    embedded += done
                    progress.advance(task, done)
            return count, embedded
