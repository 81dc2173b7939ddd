"""TEMPORARY STAND-IN, to be deleted when the real `mercato.kernel.store_sql` lands on main.

Core statements on store tables, scoped to the store in context by construction.
`in_store(select(...))` adds `table.c.tenant_id == :store_tenant_id` for every store table
the statement selects from; `store_params` fills the parameter from the tenant in context
(the real module fills it in the kernel at execution, with a guard refusing statements on
store tables built without `in_store`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from sqlalchemy import Select, Table, bindparam
from sqlalchemy.sql.util import find_tables

from mercato.kernel import context
from mercato.kernel.errors import TenantContextMissing

STORE_TENANT = "store_tenant_id"
S = TypeVar("S", bound=Select[Any])


def in_store(statement: S) -> S:
    """`statement` restricted to the rows of the store in context, in each store table it
    selects from (a subquery in its WHERE clause is scoped by its own `in_store`)."""
    seen: set[str] = set()
    for source in statement.get_final_froms():
        for table in find_tables(source, include_joins=True):
            if isinstance(table, Table) and "tenant_id" in table.c and table.name not in seen:
                seen.add(table.name)
                statement = statement.where(table.c.tenant_id == bindparam(STORE_TENANT))
    return statement


def store_params(params: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """`params` with the store in context (a read outside any store is refused)."""
    tenant = context.current_tenant()
    if tenant is None:
        raise TenantContextMissing()
    return {**(params or {}), STORE_TENANT: tenant}
