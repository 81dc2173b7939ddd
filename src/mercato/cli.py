"""The `mercato` command."""

from __future__ import annotations

import asyncio
import json
import shutil
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

import mercato
from mercato.cli_catalog import catalog_app
from mercato.cli_gen import gen
from mercato.kernel.config import Settings
from mercato.kernel.errors import Problem

app = typer.Typer(
    help="Mercato: a multi-agent commerce platform.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database schema migrations.", no_args_is_help=True)
events_app = typer.Typer(
    help="The event bus: audit log, dead letters, replay.", no_args_is_help=True
)
dlq_app = typer.Typer(help="Dead letters: events a handler gave up on.", no_args_is_help=True)
users_app = typer.Typer(help="Accounts.", no_args_is_help=True)
stores_app = typer.Typer(help="Stores (tenants) of this deployment.", no_args_is_help=True)
keys_app = typer.Typer(help="The keys that sign access tokens.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(events_app, name="events")
events_app.add_typer(dlq_app, name="dlq")
app.add_typer(users_app, name="users")
app.add_typer(stores_app, name="stores")
app.add_typer(keys_app, name="keys")
app.add_typer(catalog_app, name="catalog")
app.command("gen")(gen)

console = Console()
err = Console(stderr=True)
T = TypeVar("T")


def fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}")
    return typer.Exit(code)


def settings() -> Settings:
    try:
        return Settings()
    except Exception as exc:
        raise fail(f"invalid configuration: {exc}") from exc


def run(coro_fn: Callable[[], Awaitable[T]]) -> T:
    """Run async work, turning an unreachable database or broker into a clear message."""
    from redis.exceptions import ConnectionError as RedisConnectionError
    from sqlalchemy.exc import DBAPIError, OperationalError

    try:
        return asyncio.run(coro_fn())  # type: ignore[arg-type]
    except (OperationalError, DBAPIError, ConnectionRefusedError) as exc:
        raise fail(
            f"cannot reach the database: {exc.__class__.__name__}: {str(exc)[:300]}"
        ) from exc
    except RedisConnectionError as exc:
        raise fail(f"cannot reach the broker: {exc}") from exc
    except OSError as exc:
        raise fail(f"cannot reach a service: {exc}") from exc
    except Problem as exc:
        raise fail(f"{exc.code}: {exc.detail or exc.title}") from exc
    except ValueError as exc:  # e.g. an unsupported broker URL
        raise fail(str(exc)) from exc


async def preflight(cfg: Settings) -> None:
    """Check the database and the broker answer before starting a server or a worker."""
    from mercato.kernel.db import Database

    db = Database(cfg.resolved_database_url)
    try:
        if not cfg.is_sqlite:
            await asyncio.wait_for(db.ping(), timeout=5)
    finally:
        await db.dispose()
    if cfg.broker_url:
        from redis import asyncio as aioredis

        client = aioredis.from_url(cfg.broker_url)
        try:
            await asyncio.wait_for(client.ping(), timeout=5)
        finally:
            await client.aclose()


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


@app.command("grpc")
def grpc_serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="TCP port")] = None,
) -> None:
    """Serve only the knowledge agent's gRPC services (ecommerce.domain.v1,
    testdata.v1, grpc.health.v1), on MERCATO_GRPC_PORT (9002) by default."""
    from mercato.kernel.observability import configure_logging

    cfg = settings()
    if "knowledge" not in cfg.agent_names:
        raise fail("the knowledge agent is not installed (MERCATO_AGENTS)")
    cfg = cfg.model_copy(
        update={"serve_grpc": True, "host": host or cfg.host, "grpc_port": port or cfg.grpc_port}
    )
    configure_logging(cfg)
    run(lambda: preflight(cfg))
    err.print(f"Mercato {mercato.__version__} gRPC on {cfg.host}:{cfg.grpc_port}")
    run(lambda: serve_grpc_until_stopped(cfg))


async def serve_grpc_until_stopped(cfg: Settings) -> None:
    import signal

    from mercato.agents.knowledge.rpc import server
    from mercato.kernel import migrate
    from mercato.kernel.bootstrap import Kernel

    if cfg.should_auto_migrate:
        await asyncio.to_thread(migrate.upgrade, cfg)
    kernel = Kernel.build(cfg)
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopping.set)
    try:
        await kernel.prepare()
        if not server.serving(kernel):
            raise OSError(f"the gRPC port {cfg.host}:{cfg.grpc_port} is in use")
        await stopping.wait()
    finally:
        await kernel.stop()


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
    console.print(f"current: {current or 'empty'}   head: {head}   ({state})")


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


@users_app.command("create-admin")
def users_create_admin(
    email: Annotated[str, typer.Option(help="The admin's email address")],
    password: Annotated[
        str | None, typer.Option(help="At least 10 characters; generated and printed if omitted")
    ] = None,
    full_name: Annotated[str, typer.Option(help="Display name")] = "Administrator",
    tenant: Annotated[str | None, typer.Option(help="Store (default: the default store)")] = None,
) -> None:
    """Create an administrator account (the way in before any account exists)."""
    import secrets

    from mercato.cli_users import create_admin

    cfg = settings()
    run(lambda: preflight(cfg))
    generated = password is None
    password = password or secrets.token_urlsafe(18)
    user_id = run(
        lambda: create_admin(
            cfg,
            email=email,
            password=password,
            full_name=full_name,
            tenant=tenant or cfg.default_tenant,
        )
    )
    console.print(f"admin {email} created ({user_id}) in store {tenant or cfg.default_tenant}")
    if generated:
        console.print(f"password: {password}")


@app.command()
def demo(
    products: Annotated[int, typer.Option(min=1, help="Products to make")] = 1200,
    seed: Annotated[int, typer.Option(help="The same seed makes the same store")] = 7,
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
                cfg, products=products, seed=seed, progress=lambda n: bar.advance(task, n)
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


@stores_app.command("add")
def stores_add(
    store_id: Annotated[str, typer.Argument(help="1-63 lowercase letters, digits or hyphens")],
    name: Annotated[str | None, typer.Option(help="Display name")] = None,
    host: Annotated[list[str] | None, typer.Option(help="A host name it answers on")] = None,
) -> None:
    """Add a store, or change its name and hosts (servers see it within 30 s)."""
    from mercato.cli_users import add_store
    from mercato.kernel.http import TENANT_PATTERN

    if not TENANT_PATTERN.match(store_id):
        raise fail("a store id is 1-63 lowercase letters, digits or hyphens")
    cfg = settings()
    run(lambda: preflight(cfg))
    run(lambda: add_store(cfg, store_id=store_id, name=name or store_id, hosts=host or []))
    console.print(f"store {store_id} ({', '.join(host or []) or 'no host names'})")


@stores_app.command("list")
def stores_list() -> None:
    """List the stores and their host names."""
    from mercato.cli_users import list_stores

    cfg = settings()
    run(lambda: preflight(cfg))
    for store_id, name, hosts in run(lambda: list_stores(cfg)):
        console.print(f"{store_id}\t{name}\t{', '.join(hosts)}")


@keys_app.command("rotate")
def keys_rotate(
    retire: Annotated[
        bool, typer.Option(help="Also drop every older key (tokens they signed stop working)")
    ] = False,
) -> None:
    """Start signing with a new key; older keys keep verifying until retired."""
    from mercato.agents.identity.tokens import Keyring

    cfg = settings()
    if cfg.jwt_signing_keys:
        raise fail("keys come from MERCATO_JWT_SIGNING_KEYS: put the new PEM first there")
    directory = cfg.data_dir / "keys"
    Keyring.from_directory(directory)
    key = Keyring.generate_into(directory)
    if retire:
        for path in directory.glob("*.pem"):
            if path.stem != key.kid:
                path.unlink()
    console.print(f"signing with {key.kid}; running servers switch to it within 30 s")


@keys_app.command("new")
def keys_new() -> None:
    """Print a new Ed25519 signing key (PEM) for MERCATO_JWT_SIGNING_KEYS in scaled mode."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from mercato.agents.identity.tokens import SigningKey

    key = SigningKey.from_private(Ed25519PrivateKey.generate())
    err.print(f"kid {key.kid}; put the PEM first in MERCATO_JWT_SIGNING_KEYS (a JSON list)")
    print(key.pem().decode(), end="")


@keys_app.command("list")
def keys_list() -> None:
    """The key ids, newest (the one that signs) first."""
    from mercato.agents.identity.tokens import Keyring

    cfg = settings()
    keyring = (
        Keyring.from_pems(cfg.jwt_signing_keys)
        if cfg.jwt_signing_keys
        else Keyring.from_directory(cfg.data_dir / "keys")
    )
    for index, key in enumerate(keyring.keys):
        console.print(f"{key.kid}{'  (signs)' if index == 0 else ''}")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
