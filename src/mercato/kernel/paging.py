"""Keyset paging, one way for every list route: a list answers `{items, next_cursor}`, and
`next_cursor` (null on the last page) asks for the page after it.

The cursor is opaque to callers: the url-safe base64 of the last row's sort key. A page is
read with `WHERE key > last` (`<` newest first) on an ordering that ends with a unique
column, so rows written between two pages neither repeat nor go missing, and a deep page
costs what the first one does (no OFFSET).

    key = paging.decode(cursor, datetime, str)          # None on the first page
    query = query.where(paging.beyond((Row.created_at, Row.id), key, descending=True))
    rows, next_cursor = paging.cut(rows, limit, lambda r: (r.created_at, r.id))
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, and_, or_, true
from sqlalchemy.orm import QueryableAttribute

from mercato.kernel.errors import Problem

T = TypeVar("T")
KeyPart = str | int | datetime
Column = ColumnElement[Any] | QueryableAttribute[Any]


class InvalidCursor(Problem):
    status, code, title = 400, "invalid_cursor", "Invalid cursor"


def encode(*key: KeyPart) -> str:
    parts = [part.isoformat() if isinstance(part, datetime) else part for part in key]
    return base64.urlsafe_b64encode(json.dumps(parts).encode()).decode()


def decode(cursor: str | None, *kinds: type[KeyPart]) -> tuple[Any, ...] | None:
    """The sort key a cursor holds, each part of the kind given; None for no cursor; 400
    `invalid_cursor` for anything this API did not issue."""
    if not cursor:
        return None
    try:
        parts = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        if not isinstance(parts, list) or len(parts) != len(kinds):
            raise ValueError(cursor)
        return tuple(_part(kind, part) for kind, part in zip(kinds, parts, strict=True))
    except (ValueError, TypeError, binascii.Error):
        raise InvalidCursor("the cursor is not one this API issued") from None


def _part(kind: type[KeyPart], part: object) -> KeyPart:
    if kind is datetime and isinstance(part, str):
        stamp = datetime.fromisoformat(part)
        if stamp.tzinfo is None:
            raise ValueError(part)
        return stamp
    if kind is int and isinstance(part, int) and not isinstance(part, bool):
        if not 0 <= part < 2**63:
            raise ValueError(part)
        return part
    if kind is str and isinstance(part, str) and len(part) <= 400:
        return part
    raise ValueError(part)


def beyond(
    columns: Sequence[Column], key: tuple[Any, ...] | None, *, descending: bool
) -> ColumnElement[bool]:
    """Rows after `key` in the order `columns` sort them (all ascending, or all descending);
    everything when `key` is None."""
    if key is None:
        return true()
    column, *rest = columns
    value, *more = key
    past: ColumnElement[bool] = column < value if descending else column > value
    if not rest:
        return past
    return or_(past, and_(column == value, beyond(rest, tuple(more), descending=descending)))


def cut(
    rows: Sequence[T], limit: int, key: Callable[[T], tuple[KeyPart, ...]]
) -> tuple[list[T], str | None]:
    """The page (at most `limit` of `rows`, which the caller read `limit + 1` of) and the
    cursor of the next one, or None when there is no more."""
    page = list(rows[:limit])
    more = len(rows) > limit
    return page, encode(*key(page[-1])) if more and page else None
