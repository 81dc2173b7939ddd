"""FAQ articles: staff write, change and delete them; shoppers (and the assistant) read the
published ones, by topic, in the store's order. Every change evicts what processes keep of
the store's articles (`matching.FaqIndex`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from mercato.agents.support.matching import FaqIndex
from mercato.agents.support.models import SupportArticle
from mercato.agents.support.problems import ArticleNotFound, InvalidArticle
from mercato.agents.support.views import ArticleView
from mercato.kernel import context
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id

TOPIC = re.compile(r"^[a-z][a-z0-9_-]{1,31}$")
TOPICS = ("shipping", "returns", "payments", "orders", "account", "products", "discounts", "other")
"""The topics the console offers; a store may use others (a slug)."""
MAX_QUESTION, MAX_ANSWER, MAX_KEYWORDS, MAX_KEYWORD = 300, 10_000, 30, 60
MAX_ARTICLES = 500
"""A store's FAQ is read whole (by the Help page, and by the matcher): a handbook, not a
knowledge base."""


@dataclass(frozen=True)
class ArticleSpec:
    """An article's fields as staff set them (None: not given, for a change)."""

    question: str | None = None
    answer: str | None = None
    topic: str | None = None
    keywords: list[str] | None = None
    published: bool | None = None
    position: int | None = None


def _question(text: str) -> str:
    cleaned = " ".join(text.split())
    if not 3 <= len(cleaned) <= MAX_QUESTION:
        raise InvalidArticle(f"a question has 3 to {MAX_QUESTION} characters")
    return cleaned


def _answer(text: str) -> str:
    cleaned = text.strip()
    if not 1 <= len(cleaned) <= MAX_ANSWER:
        raise InvalidArticle(f"an answer has 1 to {MAX_ANSWER} characters")
    return cleaned


def _topic(text: str) -> str:
    cleaned = text.strip().lower()
    if not TOPIC.fullmatch(cleaned):
        raise InvalidArticle("a topic is 2-32 characters of a-z, 0-9, '_' and '-'")
    return cleaned


def _keywords(words: list[str]) -> list[str]:
    cleaned = list(dict.fromkeys(" ".join(w.split()).lower() for w in words if w.strip()))
    if len(cleaned) > MAX_KEYWORDS or any(len(w) > MAX_KEYWORD for w in cleaned):
        raise InvalidArticle(f"at most {MAX_KEYWORDS} keywords of at most {MAX_KEYWORD} characters")
    return cleaned


def _position(value: int) -> int:
    if not 0 <= value <= 1_000_000:
        raise InvalidArticle("a position is 0 to 1,000,000")
    return value


def _evict(uow: UnitOfWork) -> None:
    index = uow.wired(FaqIndex)
    store = context.current_tenant()
    if index is not None and store is not None:
        index.changed_on_commit(uow, store)


async def create(uow: UnitOfWork, *, spec: ArticleSpec, now: datetime) -> ArticleView:
    if spec.question is None or spec.answer is None or spec.topic is None:
        raise InvalidArticle("an article has a question, an answer and a topic")
    row = SupportArticle(
        id=new_id(),
        question=_question(spec.question),
        answer=_answer(spec.answer),
        topic=_topic(spec.topic),
        keywords=_keywords(spec.keywords or []),
        published=True if spec.published is None else spec.published,
        position=0 if spec.position is None else _position(spec.position),
        created_at=now,
        updated_at=now,
    )
    count, last = (
        await uow.session.execute(
            select(func.count(), func.max(SupportArticle.position)).select_from(SupportArticle)
        )
    ).one()
    _added(uow, row, count=count, last=last, placed=spec.position is not None)
    await uow.session.flush()
    return ArticleView.of(row)


def _added(
    uow: UnitOfWork, row: SupportArticle, *, count: int, last: int | None, placed: bool
) -> None:
    if count >= MAX_ARTICLES:
        raise InvalidArticle(f"a store has at most {MAX_ARTICLES} FAQ articles")
    if not placed:  # last of the store's order
        row.position = 0 if last is None else last + 1
    uow.session.add(row)
    _evict(uow)


async def _row(uow: UnitOfWork, article_id: str) -> SupportArticle:
    row = await uow.session.get(SupportArticle, article_id)
    if row is None:
        raise ArticleNotFound(f"no FAQ article {article_id!r}")
    return row


async def update(
    uow: UnitOfWork, *, article_id: str, spec: ArticleSpec, now: datetime
) -> ArticleView:
    row = await _row(uow, article_id)
    _apply(uow, row, spec, now)
    await uow.session.flush()
    return ArticleView.of(row)


def _apply(uow: UnitOfWork, row: SupportArticle, spec: ArticleSpec, now: datetime) -> None:
    if spec.question is not None:
        row.question = _question(spec.question)
    if spec.answer is not None:
        row.answer = _answer(spec.answer)
    if spec.topic is not None:
        row.topic = _topic(spec.topic)
    if spec.keywords is not None:
        row.keywords = _keywords(spec.keywords)
    if spec.published is not None:
        row.published = spec.published
    if spec.position is not None:
        row.position = _position(spec.position)
    row.updated_at = now
    _evict(uow)


async def delete(uow: UnitOfWork, *, article_id: str) -> None:
    row = await _row(uow, article_id)
    _evict(uow)
    await uow.session.delete(row)
    await uow.session.flush()


async def articles(
    uow: UnitOfWork, *, topic: str | None = None, drafts: bool = False
) -> list[ArticleView]:
    """The store's articles in its order (by topic when given); published ones only unless
    `drafts`."""
    query = select(SupportArticle).order_by(SupportArticle.position, SupportArticle.id)
    if topic is not None:
        query = query.where(SupportArticle.topic == topic.strip().lower())
    if not drafts:
        query = query.where(SupportArticle.published)
    return [ArticleView.of(row) for row in await uow.session.scalars(query)]
