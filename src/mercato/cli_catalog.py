"""`mercato catalog …`: importing a catalog file.

Exit codes of `mercato catalog import`: 0 when every product was imported, 1 when some were
rejected (the report lists them), 2 when the file cannot be read as a catalog at all.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from mercato.agents.catalog.importer import Item, Report
    from mercato.kernel.config import Settings

catalog_app = typer.Typer(help="The catalog: products, variants, categories.", no_args_is_help=True)


@catalog_app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="A CSV or JSON catalog file")],
    fmt: Annotated[
        Literal["csv", "json"] | None,
        typer.Option("--format", help="csv or json (default: from the file's extension)"),
    ] = None,
    merchant: Annotated[
        str | None, typer.Option("--merchant", help="The merchant every product belongs to")
    ] = None,
    store: Annotated[str | None, typer.Option(help="Store (default: the default store)")] = None,
) -> None:
    """Import products from FILE; rejected products are reported with their rows and why.

    CSV: one row per variant, with the columns product (the key grouping a product's rows),
    name, description, category ("Home > Kitchen"), status, currency, is_free,
    requires_shipping, images ("|"-separated), sku, variant_title, price, compare_at_price,
    and attr:<name> for variant attributes. JSON: a list of products shaped like the body
    of POST /v1/products, with `category` as a path allowed.
    """
    from mercato.agents.catalog.importer import BadFileError, read_items
    from mercato.cli import console, fail, run, settings

    try:
        items = read_items(file, fmt)
    except BadFileError as exc:
        raise fail(str(exc)) from exc
    if merchant is not None and not 0 < len(merchant.strip()) <= 64:
        raise fail("a merchant id is 1-64 characters")
    cfg = settings()
    report = run(lambda: _import(cfg, items, merchant=merchant, store=store or cfg.default_tenant))
    _print_report(console, report)
    if report.rejected:
        raise typer.Exit(1)


async def _import(cfg: Settings, items: list[Item], *, merchant: str | None, store: str) -> Report:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from mercato.agents.catalog.importer import import_items
    from mercato.cli import console, fail
    from mercato.kernel import migrate
    from mercato.kernel.bootstrap import Kernel
    from mercato.kernel.context import bind

    if cfg.should_auto_migrate:  # Alembic runs its own event loop: give it a thread
        await asyncio.to_thread(migrate.upgrade, cfg)
    kernel = Kernel.build(cfg)
    try:
        await kernel.prepare()
        if kernel.tenants is not None and kernel.tenants.resolve(header=store, host=None) is None:
            raise fail(f"no store named {store!r} (add it with `mercato stores add`)")
        with (
            bind(tenant_id=store),
            Progress(
                "[progress.description]{task.description}",
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=console,
            ) as progress,
        ):
            task = progress.add_task("importing products", total=len(items))
            return await import_items(
                kernel,
                items,
                merchant_id=merchant.strip() if merchant else None,
                on_progress=lambda: progress.advance(task),
            )
    finally:
        await kernel.db.dispose()


def _print_report(console: Console, report: Report) -> None:
    console.print(
        f"imported {report.products} products / {report.variants} variants, "
        f"rejected {len(report.rejected)}"
    )
    if not report.rejected:
        return
    table = Table(title="Rejected", show_lines=False)
    table.add_column("rows", justify="right", no_wrap=True)
    table.add_column("key")
    table.add_column("reason")
    for rejection in report.rejected:
        table.add_row(
            ", ".join(str(n) for n in rejection.rows),
            rejection.key,
            f"{rejection.code}: {rejection.detail}",
        )
    console.print(table)
