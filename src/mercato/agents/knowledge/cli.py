"""The knowledge agent's commands: `mercato gen` (test data from the command line) and
`mercato grpc` (its gRPC services alone).

    mercato gen order --count 1000 --scenario high_value=50 --scenario card_declined=20 \\
        --format sql --seed 7 --output orders.sql

The document goes to stdout (or `--output`), a progress bar and a summary to stderr. Exit
code 2, with the reason, for a request the generator cannot answer or an `--output` it
cannot write. The garbage collector is paused while generating (`testdata.paused_gc`)."""

from __future__ import annotations

import asyncio
import signal
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

import mercato
from mercato.agents.knowledge.testdata import (
    GenerationRequest,
    GenerationResult,
    InvalidGenerationRequest,
    generate,
    paused_gc,
)
from mercato.kernel.commands import command_kernel, err, preflight, run, settings
from mercato.kernel.config import Settings

cli = typer.Typer()


@cli.command("gen")
def gen(
    entity: Annotated[str, typer.Argument(help="order, cart, payment, customer or product")],
    count: Annotated[int, typer.Option("--count", "-n", help="Ordinary records, 1-100,000")] = 10,
    scenario: Annotated[
        list[str] | None,
        typer.Option(
            "--scenario",
            "-s",
            help="NAME=COUNT records of a scenario (repeated NAME=COUNT add up), or NAME "
            "alone to share what the counts leave (once however often given); repeatable",
        ),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="json, csv or sql")] = "json",
    seed: Annotated[int | None, typer.Option(help="The same seed gives the same output")] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout")
    ] = None,
    include_edge_cases: Annotated[
        bool,
        typer.Option(
            "--edge-cases", "--include-edge-cases", help="Add the entity's edge-case records"
        ),
    ] = False,
    edge_case: Annotated[
        list[str] | None, typer.Option("--edge-case", help="An edge case (EC…) to add; repeatable")
    ] = None,
    workflow: Annotated[
        str | None,
        typer.Option(help="checkout, return_flow, cart_abandonment or inventory_sync"),
    ] = None,
    store: Annotated[str, typer.Option(help="The store (tenant) the rows belong to")] = "default",
    now: Annotated[
        datetime | None,
        typer.Option(help="The moment the data is generated at, UTC (default 2026-11-01)"),
    ] = None,
    sql_dialect: Annotated[
        str, typer.Option(help="SQL timestamps: portable, sqlite or postgresql")
    ] = "portable",
) -> None:
    """Generate test data: records of ENTITY that pass Mercato's business rules (measured),
    with their related records, as JSON, CSV or SQL (INSERTs for Mercato's tables)."""
    counts: dict[str, int] = {}
    names: list[str] = []
    for given in scenario or []:
        name, sep, number = given.partition("=")
        if not sep:
            names.append(name.strip())
            continue
        try:
            counts[name.strip()] = counts.get(name.strip(), 0) + int(number)
        except ValueError:
            err.print(f"[bold red]error:[/] --scenario {given!r}: NAME=COUNT, COUNT a number")
            raise typer.Exit(2) from None
    request = GenerationRequest(
        entity=entity,
        count=count,
        scenario_counts=counts,
        scenarios=names,
        workflow=workflow,
        include_edge_cases=include_edge_cases,
        edge_cases=tuple(edge_case or ()),
        output_format=fmt,
        seed=seed,
        tenant_id=store,
        now=now.replace(tzinfo=UTC) if now is not None and now.tzinfo is None else now,
        sql_dialect=sql_dialect,
    )
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task(f"generating {entity} records", total=count)
        try:
            with paused_gc():  # this process does nothing else meanwhile
                result = generate(
                    request, progress=lambda done: bar.update(task, completed=min(done, count))
                )
        except InvalidGenerationRequest as exc:
            bar.stop()
            err.print("[bold red]error:[/]", escape(f"{exc.code}: {exc}"), soft_wrap=True)
            raise typer.Exit(2) from None
    if output is None:
        typer.echo(result.data, nl=False)
    else:
        try:
            output.write_text(result.data, encoding="utf-8")
        except OSError as exc:
            reason = exc.strerror or str(exc)
            err.print(
                "[bold red]error:[/]", escape(f"cannot write {output}: {reason}"), soft_wrap=True
            )
            raise typer.Exit(2) from None
    err.print(_summary(result, output), markup=False, highlight=False, soft_wrap=True)


def _summary(result: GenerationResult, output: Path | None) -> str:
    scenarios = ", ".join(f"{n} {s}" for s, n in result.scenario_counts.items())
    edge = ", ".join(f"{n} {e}" for e, n in result.edge_case_counts.items()) or "none"
    where = f" to {output}" if output else ""
    return (
        f"{result.record_count} records{where} in {result.generation_time_ms:.0f} ms "
        f"(seed {result.seed}): {scenarios}; edge cases: {edge}; coherence "
        f"{result.coherence_score:.3f}; rules checked: {', '.join(result.rules_evaluated)}"
    )


@cli.command("grpc")
def grpc_serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="TCP port")] = None,
) -> None:
    """Serve only the knowledge agent's gRPC services (ecommerce.domain.v1,
    testdata.v1, grpc.health.v1), on MERCATO_GRPC_PORT (9002) by default."""
    from mercato.kernel.observability import configure_logging

    cfg = settings()
    cfg = cfg.model_copy(
        update={"serve_grpc": True, "host": host or cfg.host, "grpc_port": port or cfg.grpc_port}
    )
    configure_logging(cfg)
    run(lambda: preflight(cfg))
    err.print(f"Mercato {mercato.__version__} gRPC on {cfg.host}:{cfg.grpc_port}")
    run(lambda: serve_grpc_until_stopped(cfg))


async def serve_grpc_until_stopped(cfg: Settings) -> None:
    from mercato.agents.knowledge.rpc import server  # gRPC is loaded only here

    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopping.set)
    async with command_kernel(cfg) as kernel:
        try:
            await kernel.prepare()
            if not server.serving(kernel):
                raise OSError(f"the gRPC port {cfg.host}:{cfg.grpc_port} is in use")
            await stopping.wait()
        finally:
            await kernel.stop()
