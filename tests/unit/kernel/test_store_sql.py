"""ADR 20: `in_store` scopes every store table a Core statement reads or writes, or refuses
what it cannot scope, when the statement is built (not when it first runs)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Table, and_, bindparam, delete, func, insert, select, text, update
from sqlalchemy.orm import aliased

from mercato.kernel import migrate
from mercato.kernel.errors import UnscopedStatement
from mercato.kernel.store_sql import audit, in_store, store_criterion, store_table_names
from tests.support.example_agent import Effect, Note, NoteCopy

NOTES: Table = Note.__table__  # type: ignore[assignment]
COPIES: Table = NoteCopy.__table__  # type: ignore[assignment]
EFFECTS: Table = Effect.__table__  # type: ignore[assignment]
SCOPE = "tenant_id = :store_tenant_id"


def sql(statement: Any) -> str:
    return " ".join(str(statement).split())


def test_the_tables_of_tenant_scoped_models_are_store_tables_and_others_are_not() -> None:
    # given every agent's models
    migrate.target_metadata()
    # then the tables of TenantScoped models, and the order counters, are the store's
    names = store_table_names()
    assert {"example_notes", "example_note_copies", "carts", "orders", "order_counters"} <= names
    assert not {"example_effects", "outbox", "inbox", "saga_instances"} & names


def test_a_select_is_scoped_on_every_table_it_reads() -> None:
    # given a join of two store tables
    statement = select(NOTES.c.id, COPIES.c.text).join(COPIES, COPIES.c.id == NOTES.c.id)
    # when it is built in the store
    scoped = in_store(statement)
    # then both tables carry the criterion, and the statement says it is scoped
    where = sql(scoped).split(" WHERE ")[1].split(" AND ")
    assert sorted(where) == [f"example_note_copies.{SCOPE}", f"example_notes.{SCOPE}"]
    assert audit(scoped).problems == [] and audit(statement).problems != []
    assert scoped.get_execution_options()["store_scoped"] is True


def test_subqueries_ctes_unions_and_aliases_are_scoped_too() -> None:
    inner = select(COPIES.c.id).where(COPIES.c.text == "x")
    totals = select(COPIES.c.id, func.count().label("n")).group_by(COPIES.c.id).cte("totals")
    other = NOTES.alias("other")
    copied = select(COPIES.c.text).where(COPIES.c.id == NOTES.c.id)
    statements = [  # each statement, and how many tables it reads or writes
        (select(NOTES.c.id).where(NOTES.c.id.in_(inner)), 2),
        (select(NOTES.c.id, totals.c.n).join(totals, totals.c.id == NOTES.c.id), 2),
        (select(NOTES.c.id).union_all(select(COPIES.c.id)), 2),
        (select(NOTES.c.id, other.c.id).where(other.c.text == NOTES.c.text), 2),
        (select(aliased(Note).id), 1),
        (update(NOTES).where(NOTES.c.id == COPIES.c.id).values(text=COPIES.c.text), 2),
        (delete(NOTES).where(NOTES.c.id.in_(inner)), 2),
        (update(NOTES).values(text=copied.scalar_subquery()), 2),
    ]
    for statement, tables in statements:
        # when each is built in the store
        scoped = in_store(statement)
        # then nothing in it is left unscoped
        assert audit(scoped).problems == [], sql(scoped)
        assert sql(scoped).count(SCOPE) >= tables, sql(scoped)


def test_building_twice_adds_nothing() -> None:
    once = in_store(select(NOTES.c.id))
    assert sql(in_store(once)) == sql(once)


def test_an_outer_joined_store_table_must_be_scoped_in_its_on_clause() -> None:
    # given a left join whose optional side is a store table with no criterion in its ON
    bare = select(NOTES.c.id, COPIES.c.text).outerjoin(COPIES, COPIES.c.id == NOTES.c.id)
    # then in_store refuses it (a WHERE criterion would turn it into an inner join)
    with pytest.raises(UnscopedStatement, match="outer-joined"):
        in_store(bare)
    # and with store_criterion in the ON clause it is scoped
    on = and_(COPIES.c.id == NOTES.c.id, store_criterion(COPIES))
    scoped = in_store(select(NOTES.c.id, COPIES.c.text).outerjoin(COPIES, on))
    assert f"ON example_note_copies.id = example_notes.id AND example_note_copies.{SCOPE}" in sql(
        scoped
    )


def test_a_full_outer_join_of_a_store_table_cannot_be_scoped() -> None:
    statement = select(NOTES.c.id).join(COPIES, COPIES.c.id == NOTES.c.id, full=True)
    with pytest.raises(UnscopedStatement, match="FULL OUTER JOIN"):
        in_store(statement)


def test_an_insert_in_the_store_names_no_store_and_takes_rows_as_parameters() -> None:
    assert in_store(insert(NOTES)).get_execution_options()["store_scoped"] is True
    with pytest.raises(UnscopedStatement, match="do not name it"):
        in_store(insert(NOTES).values(tenant_id="shop-a"))
    with pytest.raises(UnscopedStatement, match="executemany"):
        in_store(insert(NOTES).values([{"id": "1", "text": "a"}, {"id": "2", "text": "b"}]))
    with pytest.raises(UnscopedStatement, match="INSERT … SELECT"):
        in_store(insert(NOTES).from_select(["id", "text"], select(COPIES.c.id, COPIES.c.text)))


def test_an_update_cannot_move_rows_to_another_store() -> None:
    with pytest.raises(UnscopedStatement, match="rows do not move between stores"):
        in_store(update(NOTES).values(tenant_id="shop-b"))


def test_raw_sql_in_the_store_must_bind_the_store() -> None:
    with pytest.raises(UnscopedStatement, match=":store_tenant_id"):
        in_store(text("SELECT id FROM example_notes"))
    scoped = in_store(text("SELECT id FROM example_notes WHERE tenant_id = :store_tenant_id"))
    assert audit(scoped).problems == []


def test_a_statement_derived_from_a_scoped_one_is_judged_on_its_own() -> None:
    # given a scoped constant, narrowed by an unscoped subquery
    scoped = in_store(select(NOTES.c.id))
    derived = scoped.where(NOTES.c.id.in_(select(COPIES.c.id)))
    # then the new statement is not scoped, however it began
    assert audit(derived).problems == [
        f"reads example_note_copies without example_note_copies.{SCOPE}"
    ]
    # and narrowing by a parameter keeps it scoped
    assert audit(scoped.where(NOTES.c.id == bindparam("note_id"))).problems == []


def test_tables_that_are_no_store_tables_are_left_as_they_are() -> None:
    statement = select(EFFECTS.c.seq)
    assert sql(in_store(statement)) == sql(statement)
    assert audit(statement).touches_store is False
