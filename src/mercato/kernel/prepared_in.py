"""Prepared statements over a list of values (`WHERE id IN (…)`), for the hot paths that
look up a cart's variants, their stock, an order's lines' stock (ADR 22).

A `Prepared` has a fixed shape, and an expanding `IN` does not: SQLAlchemy renders it anew
for each length. `PreparedIn` keeps one `Prepared` per bucket of lengths (1, 2, 4, 8, … up
to `largest`), fills a bucket's spare places by repeating the last value (an `IN` list holds
a value twice as it holds it once), and runs a longer list in chunks of the largest bucket:

    VARIANTS = PreparedIn(lambda ids: select(variants.c.id, variants.c.price).where(
        variants.c.id.in_(ids)
    ))
    rows = await VARIANTS.all(uow, variant_ids)

So at most a handful of shapes are ever compiled, each once per dialect, and the database
sees a few distinct statements rather than one per length. The statement must give each
row of the answer at most once whatever the list holds twice (a filter, a `GROUP BY` on the
listed column), which every `IN` filter does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import BindParameter, bindparam
from sqlalchemy.sql import ClauseElement

from mercato.kernel.prepared import HasDriver, Prepared

Build = Callable[[Sequence[BindParameter[Any]]], ClauseElement]


class PreparedIn:
    """A statement built around an `IN` list, prepared once per bucket of list lengths."""

    def __init__(self, build: Build, *, largest: int = 64) -> None:
        if largest < 1 or largest & (largest - 1):
            raise ValueError("the largest bucket is a power of two")
        self._build = build
        self._largest = largest
        self._buckets: dict[int, Prepared] = {}
        self.statement = self._bucket(1).statement
        """The one-value shape (what the walk of statement constants checks)."""

    def _bucket(self, size: int) -> Prepared:
        found = self._buckets.get(size)
        if found is None:
            names: list[BindParameter[Any]] = [bindparam(f"in_{i}") for i in range(size)]
            found = self._buckets[size] = Prepared(self._build(names))
        return found

    async def all(self, uow: HasDriver, values: Iterable[Any], **params: Any) -> list[Any]:
        """Every row for `values` (each listed once is enough), as named tuples."""
        rows: list[Any] = []
        for prepared, named in self._chunks(values):
            rows += await prepared.all(uow, **named, **params)
        return rows

    async def run(self, uow: HasDriver, values: Iterable[Any], **params: Any) -> int:
        """Run a statement that returns no rows (an UPDATE) for `values`; how many rows it
        changed."""
        changed = 0
        for prepared, named in self._chunks(values):
            changed += await prepared.run(uow, **named, **params)
        return changed

    def _chunks(self, values: Iterable[Any]) -> list[tuple[Prepared, dict[str, Any]]]:
        """The statement and its parameters per chunk of at most `largest` distinct values,
        padded to its bucket with the chunk's last value."""
        wanted = list(dict.fromkeys(values))
        chunks = []
        for start in range(0, len(wanted), self._largest):
            chunk = wanted[start : start + self._largest]
            size = 1 << (len(chunk) - 1).bit_length()
            padded = chunk + [chunk[-1]] * (size - len(chunk))
            chunks.append((self._bucket(size), {f"in_{i}": v for i, v in enumerate(padded)}))
        return chunks
