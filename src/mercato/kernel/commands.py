"""What every command of `mercato` shares, the kernel's and the agents' (`agents/<agent>/cli.py`):
the consoles, a clear error and exit code, the settings, running async work with unreachable
services turned into a message, and a kernel for the length of one command.

Heavy imports (the database, the broker) happen inside the functions, so `mercato version` and
`mercato --help` stay quick.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from mercato.kernel.config import Settings
from mercato.kernel.errors import Problem

if TYPE_CHECKING:
    from mercato.kernel.bootstrap import Kernel

console = Console()
err = Console(stderr=True)
T = TypeVar("T")


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print the error; the caller raises what this returns (exit code 2 by default)."""
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


@asynccontextmanager
async def command_kernel(
    cfg: Settings, *, migrate: bool = True, prepare: bool = False
) -> AsyncIterator[Kernel]:
    """A kernel for one command, without background work: the schema upgraded first where it
    upgrades itself (`migrate`), the agents' start-up hooks run (`prepare`: seed rows, the
    store directory), its database closed after."""
    from mercato.kernel import migrate as migrations
    from mercato.kernel.bootstrap import Kernel

    if migrate and cfg.should_auto_migrate:  # Alembic runs its own event loop: a thread
        await asyncio.to_thread(migrations.upgrade, cfg)
    kernel = Kernel.build(cfg)
    try:
        if prepare:
            await kernel.prepare()
        yield kernel
    finally:
        await kernel.db.dispose()


def progress_bar() -> Progress:
    """The bar every long command shows: what it does, how far, how many, how long left."""
    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
    )


def check_store(kernel: Any, store: str) -> None:
    """Stop the command when the store it names does not exist."""
    if kernel.tenants is not None and kernel.tenants.resolve(header=store, host=None) is None:
        raise fail(f"no store named {store!r} (add it with `mercato stores add`)")
