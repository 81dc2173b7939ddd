"""The `mercato` command: the kernel's commands (serve, worker, db, events, demo, version),
and the commands each installed agent brings (`Agent.cli`, in `agents/<agent>/cli.py`).

The agents are imported only when a command that is not the kernel's is asked for (or the
help lists them all), so `mercato serve` and `mercato version` start quickly."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

import mercato
from mercato.kernel.commands import console, err, fail, preflight, run, settings
from mercato.kernel.config import INSTALLED_AGENTS

Command = Any
"""A click command of typer's own (vendored) click, whose types typer does not export."""


class KernelAndAgentCommands(TyperGroup):
    """The kernel's commands, then the installed agents' (loaded when first needed)."""

    _agents: dict[str, Command] | None = None

    def agent_commands(self) -> dict[str, Command]:
        if self._agents is None:
            self._agents = agent_commands(taken=set(self.commands))
        return self._agents

    def list_commands(self, ctx: Any) -> list[str]:
        return [*super().list_commands(ctx), *self.agent_commands()]

    def get_command(self, ctx: Any, cmd_name: str) -> Command | None:
        return super().get_command(ctx, cmd_name) or self.agent_commands().get(cmd_name)


def agent_commands(*, taken: set[str]) -> dict[str, Command]:
    """The top-level commands of the configured agents' `cli`, by name. An agent that cannot
    be imported is reported and skipped (the command that needs it says so); a name that
    is already the kernel's or another agent's is an error, as a clashing route is."""
    from mercato.kernel.agent import Agent, Registry
    from mercato.kernel.config import Settings

    try:
        names = Settings().agent_names
    except Exception:  # the command reports the invalid configuration itself
        names = list(INSTALLED_AGENTS)
    agents: list[Agent] = []
    for name in names:
        try:
            agents.extend(Registry.load([name]).agents.values())
        except Exception as exc:
            err.print(f"[yellow]warning:[/] agent {name!r} not loaded: {exc!r}")
    found: dict[str, Command] = {}
    owners = dict.fromkeys(taken, "the kernel")
    for agent in agents:
        if agent.cli is None:
            continue
        for command_name, command in typer.main.get_group(agent.cli).commands.items():
            if command_name in owners:
                raise ValueError(
                    f"agent {agent.name!r} adds the command {command_name!r}, "
                    f"which is {owners[command_name]}'s"
                )
            owners[command_name] = f"agent {agent.name!r}"
            found[command_name] = command
    return found


app = typer.Typer(
    cls=KernelAndAgentCommands,
    help="Mercato: a multi-agent commerce platform.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database schema migrations.", no_args_is_help=True)
events_app = typer.Typer(
    help="The event bus: audit log, dead letters, replay.", no_args_is_help=True
)
dlq_app = typer.Typer(help="Dead letters: events a handler gave up on.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(events_app, name="events")
events_app.add_typer(dlq_app, name="dlq")


@app.command()
def version() -> None:
    """Print Mercato's version."""
    console.print(f"mercato {mercato.__version__}")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="TCP port")] = None,
    workers: Annotated[int | None, typer.Option(min=1, help="Server processes")] = None,
    grpc: Annotated[
        bool, typer.Option(help="Also serve the knowledge gRPC services (MERCATO_GRPC_PORT)")
    ] = True,
) -> None:
    """Serve the HTTP API (embedded mode by default: SQLite, in-process events), and the
    knowledge agent's gRPC services beside it."""
    import os

    import uvicorn

    cfg = settings()
    run(lambda: preflight(cfg))
    host, port, workers = host or cfg.host, port or cfg.port, workers or cfg.workers
    os.environ.setdefault("MERCATO_DATA_DIR", str(cfg.data_dir))
    if workers > 1:  # each worker writes its metrics to files that /metrics sums up
        metrics_dir = cfg.data_dir / "prometheus"
        shutil.rmtree(metrics_dir, ignore_errors=True)
        metrics_dir.mkdir(parents=True)
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
    if cfg.should_auto_migrate:  # once here, not racing in every worker
        from mercato.kernel import migrate

        migrate.upgrade(cfg)
        os.environ["MERCATO_AUTO_MIGRATE"] = "false"
    grpc = grpc and "knowledge" in cfg.agent_names
    os.environ["MERCATO_SERVE_GRPC"] = "true" if grpc else "false"
    os.environ["MERCATO_HOST"] = host  # the workers bind gRPC where HTTP is
    err.print(
        f"Mercato {mercato.__version__} ({cfg.mode} mode) on http://{host}:{port}  "
        f"API docs: http://{host}:{port}/docs" + (f"  gRPC: {host}:{cfg.grpc_port}" if grpc else "")
    )
    uvicorn.run(
        "mercato.app:create_app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=False,  # the edge applies MERCATO_FORWARDED_ALLOW_IPS itself
        log_level="warning",
        access_log=False,
    )


@app.command()
def worker(
    agents: Annotated[
        str | None, typer.Option(help="Comma-separated agents (default: all)")
    ] = None,
) -> None:
    """Run agents' event handlers against the broker (scaled mode)."""
    from mercato.worker import run_worker

    cfg = settings()
    if not cfg.broker_url:
        raise fail(
            "a worker consumes from a broker: set MERCATO_BROKER_URL=redis://… "
            "(in embedded mode `mercato serve` runs the handlers itself)"
        )
    names = [a.strip() for a in agents.split(",") if a.strip()] if agents else None
    unknown = [n for n in names or () if n not in cfg.agent_names]
    if unknown:
        known = ", ".join(cfg.agent_names) or "none"
        raise fail(f"unknown agents: {', '.join(unknown)}; known: {known}")
    run(lambda: preflight(cfg))
    run(lambda: run_worker(cfg, names))


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Upgrade the schema (to the newest revision by default)."""
    from mercato.kernel import migrate

    cfg = settings()
    run(lambda: preflight(cfg))
    migrate.upgrade(cfg, revision)
    console.print(f"database at {migrate.current_revision(cfg)}")


@db_app.command("downgrade")
def db_downgrade(revision: str) -> None:
    """Downgrade the schema to REVISION (`base` empties it)."""
    from mercato.kernel import migrate

    migrate.downgrade(settings(), revision)


@db_app.command("current")
def db_current() -> None:
    """Show the schema revision of the database and the newest one available."""
    from mercato.kernel import migrate

    cfg = settings()
    run(lambda: preflight(cfg))
    current, head = migrate.current_revision(cfg), migrate.head_revision(cfg)
    state = "up to date" if current == head else "behind: run `mercato db upgrade`"
    console.print(f"current: {current or 'empty'}   head: {head}   ({state})", soft_wrap=True)


@db_app.command("revision")
def db_revision(message: Annotated[str, typer.Option("-m", "--message")]) -> None:
    """Autogenerate a migration from the models (for developers)."""
    from mercato.kernel import migrate

    migrate.revision(settings(), message)


def parse_time(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise fail(f"not an ISO 8601 time: {value!r} (e.g. 2026-11-22T06:00:00Z)") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@events_app.command("tail")
def events_tail(
    limit: Annotated[int, typer.Option(min=1, help="How many recent events to show")] = 20,
    follow: Annotated[
        bool, typer.Option("--follow", "-f", help="Keep printing new events")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines")] = False,
    event_type: Annotated[list[str] | None, typer.Option("--type", help="Only these types")] = None,
) -> None:
    """Show the newest events of the outbox (the audit log)."""
    from mercato.cli_events import tail

    run(
        lambda: tail(
            settings(),
            limit=limit,
            follow=follow,
            as_json=as_json,
            types=event_type or [],
            console=console,
        )
    )


@dlq_app.command("list")
def dlq_list(
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines")] = False,
) -> None:
    """List the dead letters waiting for redelivery."""
    from mercato.cli_events import dlq_list as list_

    run(lambda: list_(settings(), console=console, as_json=as_json))


@dlq_app.command("retry")
def dlq_retry(
    dead_letter_id: Annotated[str | None, typer.Argument(help="The dead letter's id")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Redeliver every dead letter")] = False,
) -> None:
    """Redeliver dead letters to their handler (after fixing what made it fail)."""
    from mercato.cli_events import dlq_retry as retry

    if bool(dead_letter_id) == all_:
        raise fail("give a dead letter ID or --all")
    outcomes = run(lambda: retry(settings(), dead_letter_id, console=console))
    if any(o not in {"handled", "duplicate"} for o in outcomes.values()):
        raise typer.Exit(1)


@events_app.command("replay")
def events_replay(
    since: Annotated[str, typer.Option(help="Replay events that occurred at or after this time")],
    until: Annotated[str | None, typer.Option(help="…and before this time")] = None,
    handler: Annotated[str | None, typer.Option(help="Only this handler (agent.function)")] = None,
) -> None:
    """Run handlers again over past events (rebuild a read model, catch up a new handler)."""
    from mercato.cli_events import replay

    start, end = parse_time(since), parse_time(until) if until else None
    counts: dict[str, Any] = run(lambda: replay(settings(), start, end, handler))
    console.print(json.dumps(counts))


@app.command()
def demo(
    products: Annotated[int, typer.Option(min=1, help="Products to make")] = 1200,
    seed: Annotated[int, typer.Option(help="The same seed makes the same store")] = 7,
    pictures: Annotated[
        bool, typer.Option(help="Draw each product a picture (about 15 ms a product)")
    ] = True,
) -> None:
    """Fill the default store with a realistic demo catalogue, stock and accounts (once)."""
    from rich.progress import Progress
    from rich.table import Table

    from mercato.demo import USERS, seed_demo
    from mercato.kernel.observability import configure_logging

    cfg = settings()
    configure_logging(cfg.model_copy(update={"log_level": "WARNING"}))  # the progress bar talks
    run(lambda: preflight(cfg))
    with Progress(console=err, transient=True) as bar:
        task = bar.add_task("Seeding the demo store", total=products)
        report = run(
            lambda: seed_demo(
                cfg,
                products=products,
                seed=seed,
                progress=lambda n: bar.advance(task, n),
                pictures=pictures,
            )
        )
    if report.created:
        console.print(
            f"demo store ready: {report.products} products, {report.variants} variants, "
            f"{report.categories} categories, stock in 2 locations"
        )
    else:
        console.print("the demo store is already there (nothing added)")
    table = Table("role", "email", "password", title="Demo accounts (store: default)")
    for user in USERS:
        table.add_row(user.role, user.email, user.password)
    console.print(table)
    console.print(
        "discount codes: WELCOME10, SAVE5 (over 50), LAUNCH50 (100 uses), SUMMER25 (expired)"
    )


def main() -> None:
    app()


if __name__ == "__main__":
    main()
