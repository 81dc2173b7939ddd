"""A store table indexes `tenant_id` alone only when it is read by store alone (ADR 22): every
statement filters on the store, and a planner without fresh statistics rated the lone index
as narrow as the row's own key, then read every row of the store to find one."""

from __future__ import annotations

import importlib
import pkgutil

from sqlalchemy import Table, UniqueConstraint

import mercato.agents
from mercato.kernel.db import Base
from mercato.kernel.store_sql import TENANT_COLUMN

READ_BY_STORE_ALONE = {"stock_transfers", "inventory_sync_runs"}
"""Tables listed per store with no better key: their index on the store is the lookup's."""


def every_table() -> list[Table]:
    for info in pkgutil.walk_packages(mercato.agents.__path__, "mercato.agents."):
        if info.name.endswith(".models"):
            importlib.import_module(info.name)
    return list(Base.metadata.tables.values())


def test_only_tables_read_by_store_alone_have_an_index_on_the_store_alone() -> None:
    # given every agent's tables
    tables = every_table()
    # when the ones with an index on the store's column alone are picked out
    lone = {
        table.name
        for table in tables
        if any([c.name for c in index.columns] == [TENANT_COLUMN] for index in table.indexes)
    }
    # then they are the tables read by store alone
    assert lone == READ_BY_STORE_ALONE


def test_every_store_table_still_leads_some_key_with_the_store_or_has_its_own_key() -> None:
    # given the store tables
    tables = [table for table in every_table() if TENANT_COLUMN in table.c]
    # then each has a primary key (a row is found by it) and the big ones list by store
    assert all(table.primary_key.columns for table in tables)
    for name in ("orders", "payments", "products", "carts", "stock_levels", "users"):
        table = Base.metadata.tables[name]
        keys = [list(index.columns) for index in table.indexes] + [
            list(constraint.columns)
            for constraint in table.constraints
            if isinstance(constraint, UniqueConstraint)
        ]
        assert any(key[0].name == TENANT_COLUMN for key in keys), f"{name}: none led by store"
