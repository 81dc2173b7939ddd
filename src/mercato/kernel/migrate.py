"""Alembic, driven from code: `mercato db upgrade|current|revision` and the automatic
upgrade at start in embedded mode. One linear history covers the kernel's and every
agent's tables; it runs unchanged on SQLite (batch mode) and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, create_engine

import mercato
from mercato.kernel.config import Settings


def migrations_dir() -> Path:
    package = Path(mercato.__file__).parent
    for candidate in (package / "_migrations", package.parents[1] / "migrations"):
        if (candidate / "env.py").exists():
            return candidate
    raise FileNotFoundError("Mercato's migrations are not installed beside the package")


def alembic_config(settings: Settings) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.set_main_option("sqlalchemy.url", settings.resolved_database_url.replace("%", "%%"))
    return cfg


def upgrade(settings: Settings, revision: str = "head") -> None:
    if settings.is_sqlite:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(settings), revision)


def downgrade(settings: Settings, revision: str) -> None:
    command.downgrade(alembic_config(settings), revision)


def current_revision(settings: Settings) -> str | None:
    engine = create_engine(sync_url(settings.resolved_database_url))
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def head_revision(settings: Settings) -> str | None:
    return ScriptDirectory.from_config(alembic_config(settings)).get_current_head()


def revision(settings: Settings, message: str, *, autogenerate: bool = True) -> None:
    command.revision(alembic_config(settings), message=message, autogenerate=autogenerate)


def sync_url(url: str) -> str:
    """The same database through a synchronous driver (Alembic's inspection needs one)."""
    return url.replace("+aiosqlite", "").replace("+asyncpg", "+psycopg")


VIRTUAL_TABLES = ("search_fts",)
"""Tables the migrations make that no model describes: SQLite's FTS5 index of the search
agent and the shadow tables it keeps (`search_fts_data`, …)."""


def objects_of(dialect: str) -> Callable[[Any, str | None, str, bool, Any], bool]:
    """Autogenerate's `include_object` on `dialect`: an index built on one dialect only
    (`ddl_if`, such as PostgreSQL's trigram index of products) is compared there only, and
    the virtual tables (`VIRTUAL_TABLES`) not at all."""

    def include(object_: Any, name: str | None, kind: str, _reflected: bool, _to: Any) -> bool:
        if kind == "table" and (name or "").startswith(VIRTUAL_TABLES):
            return False
        only_on = getattr(getattr(object_, "_ddl_if", None), "dialect", None)
        return kind != "index" or only_on is None or only_on == dialect

    return include


def target_metadata() -> MetaData:
    """The metadata of every table: the kernel's and each installed agent's `models`."""
    import importlib
    import importlib.util

    from mercato.kernel import saga_models
    from mercato.kernel.agent import INSTALLED_AGENTS, agent_module
    from mercato.kernel.bus import models as bus_models
    from mercato.kernel.db import Base

    del bus_models, saga_models  # imported for their tables
    for name in INSTALLED_AGENTS:
        module = f"{agent_module(name)}.models"
        if importlib.util.find_spec(module) is not None:
            importlib.import_module(module)
    return Base.metadata
