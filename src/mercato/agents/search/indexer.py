"""Keeping the index: each product's document rebuilt from the catalog's facts (never from an
event's payload: a redelivered or reordered event changes nothing), its facet values, and
its words in the engine of the database (FTS5 rows on SQLite, a weighted tsvector on
PostgreSQL), with its review rating as the reviews agent has it now. A product that is not
sellable (a draft, archived, gone) leaves the index."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import String, Table, bindparam, delete, func, literal_column, select, text, update
from sqlalchemy.sql.elements import ColumnClause

from mercato.agents.catalog import service as catalog
from mercato.agents.search import ratings
from mercato.agents.search.answers import Answers
from mercato.agents.search.meaning import forget, is_identifier, meaning_hash, meaning_text
from mercato.agents.search.models import SearchDocument, SearchFacetValue, SearchTerm
from mercato.agents.search.text import FACET_NAME, FACET_PAIRS, plain, vocabulary
from mercato.kernel import context
from mercato.kernel.db import UnitOfWork, upsert_insert
from mercato.kernel.store_sql import in_store

_DOCUMENTS = cast(Table, SearchDocument.__table__)
D = _DOCUMENTS.c
ENGLISH: ColumnClause[Any] = literal_column("'english'::regconfig")


def _weighed(name: str, weight: str) -> Any:
    return func.setweight(
        func.to_tsvector(ENGLISH, bindparam(name, type_=String())), literal_column(f"'{weight}'")
    )


_SET_WORDS = in_store(
    update(_DOCUMENTS)
    .where(D.id == bindparam("document_id"))
    .values(
        words=_weighed("w_name", "A")
        .op("||")(_weighed("w_labels", "B"))
        .op("||")(_weighed("w_details", "C"))
        .op("||")(_weighed("w_description", "D"))
    )
)
"""A document's words, weighted (name A, brand and categories B, attributes and SKUs C,
description D), from its words without accents, cut as the query's are (PostgreSQL's
`english` configuration keeps accents and reads "tee-1" as "tee" and "-1"; FTS5's tokenizer
cuts and folds as the query does)."""
_FTS_DELETE = text("DELETE FROM search_fts WHERE rowid IN :ids").bindparams(
    bindparam("ids", expanding=True)
)
_FTS_INSERT = text(
    "INSERT INTO search_fts (rowid, name, labels, details, description) "
    "VALUES (:id, :name, :labels, :details, :description)"
)


async def index_products(uow: UnitOfWork, product_ids: Sequence[str], *, now: datetime) -> int:
    """Bring the documents of these products in line with the catalog; how many are in the
    index afterwards. Documents are locked (PostgreSQL) before they are rewritten, so two
    handlers indexing one product write one after the other."""
    wanted = sorted(set(product_ids))
    if not wanted:
        return 0
    facts = await catalog.product_facts(uow, wanted)
    sellable = [facts[p] for p in wanted if p in facts and facts[p].sellable]
    store = context.current_tenant()
    if sellable:
        await uow.session.execute(
            upsert_insert(uow.session)(SearchDocument)
            .values(
                [
                    {
                        "tenant_id": store,
                        "product_id": f.product_id,
                        "name": f.name,
                        "labels": "",
                        "details": "",
                        "description": "",
                        "price": f.price,
                        "currency": f.currency,
                        "in_stock": f.in_stock,
                        "popularity": 0.0,
                        "rating": None,
                        "rating_count": 0,
                        "terms": "",
                        "meaning": "",
                        "facets": "",
                        "meaning_hash": "",
                        "embed_pending": True,
                        "created_at": f.created_at,
                        "indexed_at": now,
                    }
                    for f in sellable
                ]
            )
            .on_conflict_do_nothing(index_elements=["tenant_id", "product_id"])
        )
    documents = {
        d.product_id: d
        for d in await uow.session.scalars(
            select(SearchDocument)
            .where(SearchDocument.product_id.in_(wanted))
            .order_by(SearchDocument.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    }
    gone = [d.id for p, d in documents.items() if p not in facts or not facts[p].sellable]
    kept = [documents[f.product_id] for f in sellable]
    rated = await ratings.of(uow, [f.product_id for f in sellable])  # read once locked
    counted: Counter[str] = Counter()
    for document in documents.values():
        counted.subtract(document.terms.split())
    for fact in sellable:
        document = documents[fact.product_id]
        _fill(document, fact, now)
        document.rating, document.rating_count = rated[fact.product_id]
        counted.update(document.terms.split())
    await uow.session.flush()
    touched = [d.id for d in kept] + gone
    if touched:
        await uow.session.execute(
            delete(SearchFacetValue).where(SearchFacetValue.document_id.in_(touched))
        )
    uow.session.add_all(
        SearchFacetValue(document_id=documents[f.product_id].id, name=name[:64], value=value[:200])
        for f in sellable
        for name, value in f.attribute_pairs
    )
    if gone:
        await uow.session.execute(delete(SearchDocument).where(SearchDocument.id.in_(gone)))
        await forget(uow, gone)
    await _words(uow, kept, gone)
    await _count_terms(uow, counted, store)
    uow.deps(Answers).changed_on_commit(uow)
    return len(kept)


async def remove_stale(uow: UnitOfWork, *, before: datetime) -> int:
    """Drop the documents not indexed since `before` (a rebuild's end: what it did not reach
    is no product of the catalog's any more); how many."""
    ids = list(
        await uow.session.scalars(
            select(SearchDocument.id).where(SearchDocument.indexed_at < before)
        )
    )
    if ids:
        await uow.session.execute(
            delete(SearchFacetValue).where(SearchFacetValue.document_id.in_(ids))
        )
        await uow.session.execute(delete(SearchDocument).where(SearchDocument.id.in_(ids)))
        await forget(uow, ids)
        await _words(uow, [], ids)
        uow.deps(Answers).changed_on_commit(uow)
    return len(ids)


async def recount_terms(uow: UnitOfWork) -> None:
    """Count the vocabulary again from the documents (a rebuild's end)."""
    counted: Counter[str] = Counter()
    for terms in await uow.session.scalars(select(SearchDocument.terms)):
        counted.update(terms.split())
    await uow.session.execute(delete(SearchTerm))
    await _count_terms(uow, counted, context.current_tenant())


def _fill(document: SearchDocument, fact: catalog.ProductFacts, now: datetime) -> None:
    document.name = fact.name
    document.brand = fact.brand
    document.category_id = fact.category_id
    document.category_path = fact.category_path
    document.labels = " ".join(filter(None, [fact.brand or "", *fact.categories]))
    document.details = " ".join(
        [*(v for k, v in fact.attributes.items() if k.lower() != "brand"), *fact.skus,
         *fact.variant_titles]
    )  # fmt: skip
    document.description = fact.description
    document.terms = " ".join(sorted(vocabulary(document.name, document.labels, document.details)))
    attributes = " ".join(
        v for k, v in fact.attributes.items() if k.lower() != "brand" and not is_identifier(k)
    )
    document.meaning = meaning_text(
        document.name, document.labels, attributes, document.description
    )
    meant = meaning_hash(document.meaning)
    if document.meaning_hash != meant:  # its vector is made again, in the background
        document.meaning_hash = meant
        document.embed_pending = True
    document.facets = FACET_PAIRS.join(
        f"{name[:64]}{FACET_NAME}{value[:200]}" for name, value in fact.attribute_pairs
    )
    document.merchant_id = fact.merchant_id
    document.price = fact.price
    document.currency = fact.currency
    document.in_stock = fact.in_stock
    document.created_at = fact.created_at
    document.indexed_at = now


async def _count_terms(uow: UnitOfWork, counted: Counter[str], store: str | None) -> None:
    """Add each word's change of document count to the vocabulary, words in order (two
    indexers at once update shared words in the same order: no deadlock)."""
    changes = sorted((term, n) for term, n in counted.items() if n)
    if not changes:
        return
    insert = upsert_insert(uow.session)(SearchTerm)
    await uow.session.execute(
        insert.values(
            [{"tenant_id": store, "term": t, "documents": n} for t, n in changes]
        ).on_conflict_do_update(
            index_elements=["tenant_id", "term"],
            set_={"documents": SearchTerm.documents + insert.excluded.documents},
        )
    )


async def _words(uow: UnitOfWork, kept: list[SearchDocument], gone: list[int]) -> None:
    """The engine's words of the kept documents, and none left of the gone ones."""
    if uow.session.get_bind().dialect.name == "postgresql":
        if kept:
            await uow.session.execute(
                _SET_WORDS,
                [
                    {
                        "document_id": d.id,
                        "w_name": plain(d.name),
                        "w_labels": plain(d.labels),
                        "w_details": plain(d.details),
                        "w_description": plain(d.description),
                    }
                    for d in kept
                ],
            )
        return
    stale = [d.id for d in kept] + gone
    if stale:
        await uow.session.execute(_FTS_DELETE, {"ids": stale})
    if kept:
        await uow.session.execute(
            _FTS_INSERT,
            [
                {
                    "id": d.id,
                    "name": d.name,
                    "labels": d.labels,
                    "details": d.details,
                    "description": d.description,
                }
                for d in kept
            ],
        )
