"""Meaning: each document's MiniLM vector, made in the background by the embedder (a periodic
job, never a request), held per store by the process (`Vectors`) and matched by cosine. A
query's own vector is the one embedding made while a shopper waits (a few milliseconds; the
last thousand are kept)."""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, delete, func, or_, select, update

from mercato.agents.search.answers import Answers
from mercato.agents.search.metrics import embedded
from mercato.agents.search.models import SearchDocument, SearchVector
from mercato.kernel import context
from mercato.kernel.db import UnitOfWork, upsert_insert
from mercato.kernel.embeddings import DIMENSIONS, encoder

if TYPE_CHECKING:
    import numpy as np

    from mercato.kernel.bootstrap import Kernel

_DOCUMENTS = cast(Table, SearchDocument.__table__)
D = _DOCUMENTS.c
MEANING_CHARS = 400
"""What a product is about is in its name, labels and attributes; the description's opening
adds its use ("for cold days"). Longer text costs time and blurs the vector."""
BATCH = 64
CLAIM = timedelta(seconds=60)
"""How long an embedder's claim on a batch holds (one that dies lets it go then)."""
RUN_SECONDS = 5.0
"""The embedder's work per run at most: a big catalogue is embedded over many runs."""
RELOAD_SECONDS = 600.0
"""How often a process reloads a store's vectors whole (dropping those of gone documents:
until then they only cost memory, as a gone document never matches)."""
RECHECK_SECONDS = 5.0
OVERLAP = timedelta(seconds=5)
"""Vectors made this long before the last one seen are read again (commits land out of
order); reading one twice changes nothing."""
QUERIES_KEPT = 1000
STORES_HELD = 16
"""Stores whose vectors a process holds at once (the least recently caught up is dropped,
and read again whole when next asked)."""
MARGIN = 0.12
"""Only the products near the nearest match by meaning: those within this cosine of it
(what "something warm for winter hiking" means is fleece and boots, not a linen shirt that
is merely clothing). Chosen on a handful of invented products and queries, none of the
demo's and none of the judged set's."""


IDENTIFIERS = frozenset(
    {"gtin", "gtin8", "gtin12", "gtin13", "gtin14", "ean", "upc", "isbn", "mpn", "sku", "asin",
     "barcode"}
)  # fmt: skip
"""Attributes that are codes (a GTIN, a manufacturer's part number): kept out of the meaning."""


def is_identifier(attribute: str) -> bool:
    return attribute.strip().lower().replace("-", "").replace("_", "") in IDENTIFIERS


def meaning_text(name: str, labels: str, attributes: str, description: str) -> str:
    """What a product is, in words: its name, brand and categories, attribute values and
    description (SKUs and codes carry no meaning, and only blur the vector)."""
    return f"{name}. {labels}. {attributes}. {description}"[:MEANING_CHARS]


def meaning_hash(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


@dataclass(frozen=True)
class _Claimed:
    id: int
    store: str
    text: str
    meaning_hash: str


async def embed_pending(kernel: Kernel) -> int:
    """Embed the documents whose text changed (every store's, a batch at a time, for up to
    `RUN_SECONDS`); how many. Batches are claimed, so several processes share the work."""
    if not kernel.settings.search_semantic:
        return 0
    model = encoder("documents")
    if model is None:
        return 0
    done = 0
    deadline = time.monotonic() + RUN_SECONDS
    while time.monotonic() < deadline:
        claimed = await _claim(kernel)
        if not claimed:
            break
        vectors = await asyncio.to_thread(model.embed, [c.text for c in claimed])
        await _store(kernel, claimed, vectors)
        embedded.inc(len(claimed))
        done += len(claimed)
    return done


async def pending(kernel: Kernel) -> int:
    """How many documents (of every store) wait for their vector."""
    async with kernel.uow(writes=False) as uow:
        counted = await uow.session.scalar(
            select(func.count())
            .select_from(_DOCUMENTS)
            .where(D.embed_pending)
            .execution_options(all_tenants=True)
        )
    return int(counted or 0)


async def _claim(kernel: Kernel) -> list[_Claimed]:
    now = kernel.clock.now()
    async with kernel.uow() as uow:
        waiting = (
            select(D.id)
            .where(
                D.embed_pending, or_(D.embed_claimed_until.is_(None), D.embed_claimed_until < now)
            )
            .order_by(D.id)
            .limit(BATCH)
            .scalar_subquery()
        )
        rows = (
            await uow.session.execute(
                update(_DOCUMENTS)
                .where(
                    D.id.in_(waiting),
                    D.embed_pending,
                    or_(D.embed_claimed_until.is_(None), D.embed_claimed_until < now),
                )
                .values(embed_claimed_until=now + CLAIM)
                .returning(D.id, D.tenant_id, D.meaning, D.meaning_hash)
                .execution_options(all_tenants=True)
            )
        ).all()  # fmt: skip
        await uow.commit()
    return [
        _Claimed(r.id, r.tenant_id, r.meaning, r.meaning_hash) for r in rows
    ]  # fmt: skip


async def _store(kernel: Kernel, claimed: list[_Claimed], vectors: np.ndarray[Any, Any]) -> None:
    """Each store's vectors and their documents marked done (unless their text changed while
    they were embedded: they stay pending)."""
    now = kernel.clock.now()
    by_store: dict[str, list[int]] = {}
    for position, c in enumerate(claimed):
        by_store.setdefault(c.store, []).append(position)
    for store, positions in by_store.items():
        with context.bind(tenant_id=store):
            async with kernel.uow() as uow:
                insert = upsert_insert(uow.session)(SearchVector)
                await uow.session.execute(
                    insert.values(
                        [
                            {
                                "tenant_id": store,
                                "document_id": claimed[i].id,
                                "meaning_hash": claimed[i].meaning_hash,
                                "vector": vectors[i].astype("float16").tobytes(),
                                "updated_at": now,
                            }
                            for i in positions
                        ]
                    ).on_conflict_do_update(
                        index_elements=["tenant_id", "document_id"],
                        set_={
                            "meaning_hash": insert.excluded.meaning_hash,
                            "vector": insert.excluded.vector,
                            "updated_at": insert.excluded.updated_at,
                        },
                    )
                )
                uow.deps(Answers).changed_on_commit(uow, store)
                for i in positions:
                    await uow.session.execute(
                        update(SearchDocument)
                        .where(
                            SearchDocument.id == claimed[i].id,
                            SearchDocument.meaning_hash == claimed[i].meaning_hash,
                        )
                        .values(embed_pending=False, embed_claimed_until=None)
                    )
                await uow.commit()


async def forget(uow: UnitOfWork, document_ids: list[int]) -> None:
    """The vectors of documents that left the index."""
    if document_ids:
        await uow.session.execute(
            delete(SearchVector).where(SearchVector.document_id.in_(document_ids))
        )


@dataclass
class _Held:
    ids: np.ndarray[Any, Any]
    matrix: np.ndarray[Any, Any]
    where: dict[int, int]
    seen_until: datetime | None
    loaded: float
    checked: float


@dataclass
class Vectors:
    """Each store's document vectors in the process (a float32 matrix: 1.5 KiB a product),
    caught up with the table at each search; and the queries' vectors."""

    _held: dict[str, _Held] = field(default_factory=dict)
    _locks: dict[str, asyncio.Lock] = field(default_factory=dict)
    _queries: OrderedDict[str, np.ndarray[Any, Any]] = field(default_factory=OrderedDict)

    async def query_vector(self, q: str) -> np.ndarray[Any, Any] | None:
        """The query's vector (None without the model)."""
        key = " ".join(q.lower().split())
        held = self._queries.get(key)
        if held is not None:
            self._queries.move_to_end(key)
            return held
        model = await asyncio.to_thread(encoder, "queries")
        if model is None:
            return None
        vector: np.ndarray[Any, Any] = (await asyncio.to_thread(model.embed, [key]))[0]
        self._queries[key] = vector
        while len(self._queries) > QUERIES_KEPT:
            self._queries.popitem(last=False)
        return vector

    async def of(
        self, uow: UnitOfWork, store: str, document_id: int
    ) -> np.ndarray[Any, Any] | None:
        """A document's vector (None before it is made)."""
        held = await self._caught_up(uow, store)
        at = held.where.get(document_id) if held is not None else None
        return None if held is None or at is None else held.matrix[at]

    async def nearest(
        self,
        uow: UnitOfWork,
        store: str,
        vector: np.ndarray[Any, Any],
        *,
        k: int,
        floor: float,
        margin: float | None = MARGIN,
    ) -> list[tuple[int, float]]:
        """(document id, cosine) of the `k` documents nearest `vector`, nearest first: those
        at `floor` or above, and within `margin` of the nearest (if any)."""
        import numpy

        held = await self._caught_up(uow, store)
        if held is None or not len(held.ids):
            return []
        scores = held.matrix @ vector
        k = min(k, len(scores))
        top = numpy.argpartition(-scores, k - 1)[:k]
        top = top[numpy.argsort(-scores[top], kind="stable")]
        if margin is not None:
            floor = max(floor, float(scores[top[0]]) - margin)
        return [(int(held.ids[i]), float(scores[i])) for i in top if scores[i] >= floor]

    async def _caught_up(self, uow: UnitOfWork, store: str) -> _Held | None:
        """The store's vectors with every one made so far: the newest's time is read from an
        index each search (a vector is matched as soon as it is committed), and every
        `RECHECK_SECONDS` the last `OVERLAP` is read again whatever it says (another
        process's batch may commit after a newer one, with an older time)."""
        newest = await uow.session.scalar(select(func.max(SearchVector.updated_at)))
        held = self._held.get(store)
        now = time.monotonic()
        if held is not None and self._current(held, newest, now):
            return held
        lock = self._locks.setdefault(store, asyncio.Lock())
        async with lock:
            held = self._held.get(store)
            if held is not None and self._current(held, newest, now):
                return held
            whole = held is None or now - held.loaded > RELOAD_SECONDS
            since = None if whole or held is None else held.seen_until
            rows = await self._read(uow, since)
            held = _merged(None if whole else held, rows, now)
            self._held.pop(store, None)
            self._held[store] = held
            while len(self._held) > STORES_HELD:  # the least recently caught up goes
                del self._held[next(iter(self._held))]
            return held

    @staticmethod
    def _current(held: _Held, newest: datetime | None, now: float) -> bool:
        seen = held.seen_until
        nothing_newer = newest is None or (seen is not None and newest <= seen)
        return (
            nothing_newer
            and now - held.checked < RECHECK_SECONDS
            and now - held.loaded < RELOAD_SECONDS
        )

    @staticmethod
    async def _read(uow: UnitOfWork, since: datetime | None) -> list[Any]:
        statement = select(SearchVector.document_id, SearchVector.vector, SearchVector.updated_at)
        if since is not None:
            statement = statement.where(SearchVector.updated_at >= since - OVERLAP)
        return list((await uow.session.execute(statement)).all())


def _merged(held: _Held | None, rows: list[Any], now: float) -> _Held:
    import numpy

    if held is None:
        held = _Held(
            ids=numpy.zeros(0, dtype=numpy.int64),
            matrix=numpy.zeros((0, DIMENSIONS), dtype=numpy.float32),
            where={},
            seen_until=None,
            loaded=now,
            checked=now,
        )
    fresh_ids: list[int] = []
    fresh_vectors: list[np.ndarray[Any, Any]] = []
    for document_id, raw, updated_at in rows:
        vector = numpy.frombuffer(raw, dtype=numpy.float16).astype(numpy.float32)
        if document_id in held.where:
            held.matrix[held.where[document_id]] = vector
        else:
            held.where[document_id] = len(held.ids) + len(fresh_ids)
            fresh_ids.append(document_id)
            fresh_vectors.append(vector)
        if held.seen_until is None or updated_at > held.seen_until:
            held.seen_until = updated_at
    held.checked = now
    if fresh_ids:
        held.ids = numpy.concatenate([held.ids, numpy.array(fresh_ids, dtype=numpy.int64)])
        held.matrix = numpy.vstack([held.matrix, numpy.stack(fresh_vectors)])
    return held
