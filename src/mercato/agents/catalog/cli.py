"""The catalog agent's commands: `mercato catalog import`, a catalog file into a store.

Exit codes of `mercato catalog import`: 0 when every product was imported, 1 when some were
rejected (the report lists them), 2 when the file cannot be read as a catalog at all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.console import Console
from rich.table import Table

from mercato.agents.catalog.importer import BadFileError, Item, Report, import_items, read_items
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

cli = typer.Typer()
catalog = typer.Typer(help="The catalog: products, variants, categories.", no_args_is_help=True)
cli.add_typer(catalog, name="catalog")


@catalog.command("import")
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
    async with command_kernel(cfg, prepare=True) as kernel:
        check_store(kernel, store)
        with bind(tenant_id=store), progress_bar() as progress:
            task = progress.add_task("importing products", total=len(items))
            return await import_items(
                kernel,
                items,
                merchant_id=merchant.strip() if merchant else None,
                on_progress=lambda: progress.advance(task),
            )


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
