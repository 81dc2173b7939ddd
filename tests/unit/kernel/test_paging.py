"""Keyset paging: a cursor round-trips the sort key it was made from, anything else is 400
`invalid_cursor`, and following `next_cursor` visits every row once, in either order, even
when the first sort column ties."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, insert, select

from mercato.kernel import paging

WHEN = datetime(2026, 3, 1, 12, 30, tzinfo=UTC)


def forged(parts: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(parts).encode()).decode()


def test_a_cursor_gives_back_the_key_it_was_made_from() -> None:
    cursor = paging.encode(WHEN, "0190-id", 7, "")
    assert paging.decode(cursor, datetime, str, int, str) == (WHEN, "0190-id", 7, "")
    assert paging.decode(None, datetime, str) is None
    assert paging.decode("", datetime, str) is None


@pytest.mark.parametrize(
    "cursor",
    [
        "!!!",
        base64.urlsafe_b64encode(b"not json").decode(),
        forged({"a": 1}),
        forged(["2026-03-01T12:30:00+00:00"]),  # one part short
        forged(["2026-03-01T12:30:00", "x"]),  # a time without its zone
        forged(["yesterday", "x"]),
        forged([WHEN.isoformat(), 5]),  # a number where an id goes
        forged([WHEN.isoformat(), "x" * 401]),
    ],
)
def test_anything_else_is_an_invalid_cursor(cursor: str) -> None:
    with pytest.raises(paging.InvalidCursor):
        paging.decode(cursor, datetime, str)


@pytest.mark.parametrize("number", [-1, 2**63, True, 1.5, "1"])
def test_a_number_in_a_cursor_is_a_whole_number_a_database_can_hold(number: object) -> None:
    with pytest.raises(paging.InvalidCursor):
        paging.decode(forged([number]), int)


@pytest.mark.parametrize("descending", [False, True])
def test_following_the_cursor_visits_every_row_once_in_order(descending: bool) -> None:
    # given rows whose first sort column ties (a, b): (1, x) (1, y) (2, a) (2, b) (3, c)
    metadata = MetaData()
    rows = Table("rows", metadata, Column("a", Integer), Column("b", String))
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    keys = [(1, "x"), (1, "y"), (2, "a"), (2, "b"), (3, "c")]
    order = (rows.c.a, rows.c.b)
    with engine.begin() as conn:
        conn.execute(insert(rows), [{"a": a, "b": b} for a, b in keys])
        # when they are read two at a time, following next_cursor
        seen: list[tuple[int, str]] = []
        cursor: str | None = None
        for _ in range(10):
            key = paging.decode(cursor, int, str)
            query = select(rows.c.a, rows.c.b).where(
                paging.beyond(order, key, descending=descending)
            )
            sort = [c.desc() for c in order] if descending else list(order)
            found = [(a, b) for a, b in conn.execute(query.order_by(*sort).limit(3))]
            page, cursor = paging.cut(found, 2, lambda row: row)
            seen += page
            if cursor is None:
                break
    # then each row came once, in the order asked for
    assert seen == (keys[::-1] if descending else keys)
