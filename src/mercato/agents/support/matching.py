"""Answering a question from the FAQ: each published article scored by the question's words
(stemmed, the rare ones weighing more, the article's question and keywords more than its
answer) and by meaning (the best MiniLM cosine of the question with the article's question,
its question and keywords, and its question and answer), blended into a score in [0, 1] a
caller can hold a threshold to (ADR 26).

A process keeps each store's published articles and their vectors (`FaqIndex`): an article
written, changed or deleted evicts them here and in every other process once it commits
(`ProcessCache`, ADR 15), and a text embedded once is not embedded again while unchanged."""

from __future__ import annotations

import asyncio
import math
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from mercato.agents.support.models import SupportArticle
from mercato.agents.support.views import ArticleView, FaqMatch
from mercato.agents.support.words import terms
from mercato.kernel.broadcast import Broadcast
from mercato.kernel.db import UnitOfWork
from mercato.kernel.embeddings import Encoder, encoder
from mercato.kernel.process_cache import ProcessCache

if TYPE_CHECKING:
    import numpy as np

TOPIC = "support.faq_changed"
MEANING_WEIGHT = 0.55
"""The meaning's share of the score when the model is there (the words' share is the rest)."""
COSINE_FLOOR, COSINE_CEILING = 0.20, 0.65
"""MiniLM's cosine between a question and an unrelated one is rarely above the floor, and
between two wordings of one question rarely below the ceiling: mapped to 0 and 1."""
ANSWER_HIT = 0.5
"""A word found only in an article's answer counts this much of one in its question."""
WORDS_FLOOR = 1.5
"""The least a question's words weigh together when their share is taken: a question of
common words alone ("where is my order") cannot be answered by its words with confidence (a
word of one article in a dozen weighs about 2.3, one of half of them about 0.7)."""
MIN_SCORE = 0.10
"""Below this an article has nothing to do with the question and is not offered."""
KEPT_TEXTS = 10_000
KEPT_QUERIES = 1_000


@dataclass(frozen=True)
class Entry:
    article: ArticleView
    headline: frozenset[str]
    """The stems of its question and keywords."""
    body: frozenset[str]
    """The stems of its answer."""

    @classmethod
    def of(cls, article: ArticleView) -> Entry:
        headline = terms(" ".join([article.question, *article.keywords]))
        return cls(article, frozenset(headline), frozenset(terms(article.answer)))

    @property
    def meanings(self) -> tuple[str, str, str]:
        """What the article is about, three ways, as its vectors are made from: a question
        near any of them is near the article."""
        question = self.article.question
        return (
            question,
            f"{question}. {', '.join(self.article.keywords)}",
            f"{question} {self.article.answer}",
        )


@dataclass(frozen=True)
class Held:
    entries: list[Entry]
    vectors: Any
    """(3, articles, 384) unit vectors (`Entry.meanings`), or None without the model."""


def lexical(query: list[str], entry: Entry, weights: dict[str, float]) -> float:
    """The share of the query's words (weighted by rarity) the article has."""
    if not query:
        return 0.0
    found = sum(
        weights[t] * (1.0 if t in entry.headline else ANSWER_HIT if t in entry.body else 0.0)
        for t in query
    )
    return found / max(sum(weights[t] for t in query), WORDS_FLOOR)


def rarity(query: list[str], entries: list[Entry]) -> dict[str, float]:
    """Each query word's weight: the fewer articles have it, the more it says (a word none
    has weighs most, and so lowers every article's share)."""
    count = len(entries)
    return {
        t: math.log((count + 1) / (sum(t in e.headline or t in e.body for e in entries) + 0.5))
        for t in query
    }


def meaning(cosine: float) -> float:
    return min(1.0, max(0.0, (cosine - COSINE_FLOOR) / (COSINE_CEILING - COSINE_FLOOR)))


def rank(
    held: Held, text: str, query_vector: np.ndarray[Any, Any] | None, *, limit: int
) -> list[FaqMatch]:
    """The best `limit` articles for the question, best first, each with its score."""
    query = terms(text)
    if not held.entries or not (query or query_vector is not None):
        return []
    weights = rarity(query, held.entries)
    cosines = (
        [float(c) for c in (held.vectors @ query_vector).max(axis=0)]
        if query_vector is not None and held.vectors is not None
        else None
    )
    scored: list[tuple[float, int, Entry]] = []
    for i, entry in enumerate(held.entries):
        words = lexical(query, entry, weights)
        score = (
            words
            if cosines is None
            else MEANING_WEIGHT * meaning(cosines[i]) + (1 - MEANING_WEIGHT) * words
        )
        if score >= MIN_SCORE:
            scored.append((round(score, 4), i, entry))
    scored.sort(key=lambda s: (-s[0], s[1]))
    return [
        FaqMatch(
            article_id=e.article.id,
            question=e.article.question,
            answer=e.article.answer,
            topic=e.article.topic,
            score=score,
        )
        for score, _, e in scored[:limit]
    ]


class FaqIndex:
    """Each store's published articles and their vectors, kept by the process (one per
    kernel: `uow.deps(FaqIndex)`). Without a broadcast nothing is kept (read at each ask)."""

    def __init__(
        self,
        broadcast: Broadcast | None,
        *,
        ttl: float,
        load_encoder: Callable[[], Encoder | None] = lambda: encoder("queries"),
    ) -> None:
        self._load_encoder = load_encoder
        self._kept: ProcessCache[str, Held] | None = (
            ProcessCache(
                broadcast,
                TOPIC,
                ttl=ttl,
                to_message=lambda store: {"tenant_id": store},
                from_message=lambda message: str(message["tenant_id"]),
            )
            if broadcast is not None
            else None
        )
        self._texts: OrderedDict[str, Any] = OrderedDict()
        self._queries: OrderedDict[str, Any] = OrderedDict()

    async def match(self, uow: UnitOfWork, store: str, text: str, *, limit: int) -> list[FaqMatch]:
        if self._kept is None:
            held = await self._read(uow)
        else:
            held = await self._kept.get(store, lambda: self._read(uow))
        vector = await self._query_vector(text) if held.vectors is not None else None
        return rank(held, text, vector, limit=limit)

    def changed_on_commit(self, uow: UnitOfWork, store: str) -> None:
        """The store's articles changed: kept no more, here and (once `uow` commits) in every
        process."""
        if self._kept is not None:
            self._kept.changed_on_commit(uow, store)

    async def _read(self, uow: UnitOfWork) -> Held:
        rows = await uow.session.scalars(
            select(SupportArticle)
            .where(SupportArticle.published)
            .order_by(SupportArticle.position, SupportArticle.id)
        )
        entries = [Entry.of(ArticleView.of(row)) for row in rows]
        texts = [text for e in entries for text in e.meanings]
        vectors = await self._vectors(texts)
        if vectors is not None:  # by article, 3 views each → by view
            vectors = vectors.reshape(len(entries), 3, -1).transpose(1, 0, 2)
        return Held(entries, vectors)

    async def _model(self) -> Encoder | None:
        return await asyncio.to_thread(self._load_encoder)

    async def _vectors(self, texts: list[str]) -> Any:
        if not texts:
            return None
        model = await self._model()
        if model is None:
            return None
        import numpy

        missing = sorted({t for t in texts if t not in self._texts})
        if missing:
            made = await asyncio.to_thread(model.embed, missing)
            for text, vector in zip(missing, made, strict=True):
                self._texts[text] = vector
        stacked = numpy.stack([self._texts[t] for t in texts])
        for text in texts:
            self._texts.move_to_end(text)
        while len(self._texts) > KEPT_TEXTS:
            self._texts.popitem(last=False)
        return stacked

    async def _query_vector(self, text: str) -> Any:
        key = " ".join(text.lower().split())
        if not key:
            return None
        kept = self._queries.get(key)
        if kept is not None:
            self._queries.move_to_end(key)
            return kept
        model = await self._model()
        if model is None:
            return None
        vector = (await asyncio.to_thread(model.embed, [key]))[0]
        self._queries[key] = vector
        while len(self._queries) > KEPT_QUERIES:
            self._queries.popitem(last=False)
        return vector
