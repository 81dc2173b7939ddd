"""Alembic migrations build exactly the models' schema on SQLite and PostgreSQL alike."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from mercato.kernel import migrate
from mercato.kernel.config import Settings
from tests.conftest import PG_URL, needs_pg


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=[pytest.mark.postgres, needs_pg])])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    if request.param == "sqlite":
        yield Settings(data_dir=tmp_path)
        return
    assert PG_URL
    name = f"mercato_mig_{uuid.uuid4().hex[:8]}"
    admin = create_engine(migrate.sync_url(PG_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield Settings(database_url=PG_URL.rsplit("/", 1)[0] + f"/{name}")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_upgrade_builds_the_schema_the_models_describe(empty_database: Settings) -> None:
    # given an empty database, when it is upgraded to head
    migrate.upgrade(empty_database)
    # then it is at head and autogenerate finds nothing left to migrate
    assert migrate.current_revision(empty_database) == migrate.head_revision(empty_database)
    engine = create_engine(migrate.sync_url(empty_database.resolved_database_url))
    with engine.connect() as conn:
        options = {"compare_type": True, "include_object": migrate.objects_of(conn.dialect.name)}
        diff = compare_metadata(
            MigrationContext.configure(conn, opts=options), migrate.target_metadata()
        )
    engine.dispose()
    assert diff == []


def test_downgrade_to_base_removes_every_table(empty_database: Settings) -> None:
    migrate.upgrade(empty_database)
    migrate.downgrade(empty_database, "base")
    engine = create_engine(migrate.sync_url(empty_database.resolved_database_url))
    tables = set(inspect(engine).get_table_names()) - {"alembic_version"}
    engine.dispose()
    assert tables == set()
    assert migrate.current_revision(empty_database) is None
