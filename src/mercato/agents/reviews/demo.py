"""The demo store's reviews: a few hundred, over its first products, written in many voices
(praise, complaints, mixed feelings, sarcasm, typos, emoji, loanwords; about price, quality,
size and fit, delivery and service; feature requests), composed from the hand-written phrase
banks of `phrases.py` with a seeded generator, each rating consistent with its text. The
reviewers are synthetic shoppers (the demo has three customer accounts): a display name and a
stable id. A share of them received their product: their delivered order lines are noted in
the verified-purchase read model first, so BR025 marks those reviews verified as it would
after a real delivery. A few spam reviews wait in the moderation queue.

Written through the agent's own functions (rules, moderation and events as for a shopper),
idempotently: nothing is added when the demo's reviewers are there already."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import func, select

from mercato.agents.catalog import service as catalog
from mercato.agents.reviews import phrases, purchases, writing
from mercato.agents.reviews.models import Review
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.db import UnitOfWork

SEED = 2026
PRODUCTS = 60
REVIEWS_PER_PRODUCT = (0, 11)
VERIFIED_SHARE = 0.45
REVIEWER = "demo-reviewer-{:03d}"
SPAMMER = "Deal Hunter"
RATINGS = ([5, 4, 3, 2, 1], [38, 24, 14, 9, 15])


async def seed(kernel: Kernel) -> None:
    """Seed the demo store's reviews (idempotent)."""
    rng = random.Random(SEED)
    now = kernel.clock.now()
    async with kernel.uow() as uow:
        if await _seeded(uow):
            return
        product_ids = await catalog.product_ids_after(uow, None, PRODUCTS)
        rated: dict[str, str] = {}
        written: list[tuple[str, int, str | None, str, str, str, int]] = []
        for product_id in product_ids:
            reviewers = rng.sample(range(len(phrases.NAMES) * 3), rng.randint(*REVIEWS_PER_PRODUCT))
            for who in reviewers:
                rating, title, body = compose(rng)
                days = rng.randint(1, 365)
                written.append((product_id, rating, title, body, REVIEWER.format(who),
                                phrases.NAMES[who % len(phrases.NAMES)], days))  # fmt: skip
        for n, product_id in enumerate(product_ids[:4]):  # the moderation queue's material
            spam = phrases.SPAM[n % len(phrases.SPAM)]
            written.append((product_id, 5, None, spam, REVIEWER.format(900 + n), SPAMMER, 2))
        written.sort(key=lambda w: -w[6])  # oldest first
        delivered = [
            (f"demo-order-{n:05d}", f"demo-line-{n:05d}", w[4], w[0])
            for n, w in enumerate(written)
            if w[5] != SPAMMER and rng.random() < VERIFIED_SHARE
        ]
        await purchases.record_delivered(uow, purchases=delivered, at=now - timedelta(days=400))
        for product_id, rating, title, body, customer, name, days in written:
            review = await writing.record_review(
                uow, product_id=product_id, customer_id=customer, display_name=name,
                rating=rating, title=title, body=body, now=now - timedelta(days=days), rate=False,
            )  # fmt: skip
            rated[product_id] = review.id
        for product_id, last in rated.items():  # one recount (and its event) per product
            await writing.refresh_rating(uow, product_id=product_id, review_id=last, now=now)
        await uow.commit()


async def _seeded(uow: UnitOfWork) -> bool:
    found = await uow.session.scalar(
        select(func.count()).select_from(Review).where(Review.customer_id.like("demo-reviewer-%"))
    )
    return bool(found)


def compose(rng: random.Random) -> tuple[int, str | None, str]:
    """One shopper's review: (rating, title or None, text), its tone the rating's."""
    rating = rng.choices(*RATINGS)[0]
    title = rng.choice(phrases.TITLES[rating]) if rng.random() < 0.8 else None
    if rating <= 2 and rng.random() < 0.2:
        sentences = [rng.choice(phrases.SARCASM)]
    else:
        sentences = [rng.choice(phrases.OPENERS[rating])]
    aspects = rng.sample(list(phrases.ASPECTS), rng.randint(1, 3))
    for n, aspect in enumerate(aspects):
        good, bad = phrases.ASPECTS[aspect]
        positive = rating >= 4 or (rating == 3 and n % 2 == 0)
        if rating == 4 and n == len(aspects) - 1 and len(aspects) > 1:
            positive = False  # the "one small gripe"
        sentences.append(rng.choice(good if positive else bad))
    tone = "good" if rating >= 4 else "bad" if rating <= 2 else "mid"
    if tone != "mid" and rng.random() < 0.3:
        sentences.append(rng.choice(phrases.LOANWORDS[tone]))
    if rng.random() < 0.25:
        sentences.append(rng.choice(phrases.REQUESTS))
    if rng.random() < 0.35:
        sentences.append(rng.choice(phrases.EMOJI[tone]))
    text = " ".join(sentences)
    if rng.random() < 0.2:
        text = _typos(rng, text)
    if rng.random() < 0.15:
        text = text.lower()
    return rating, title, text


def _typos(rng: random.Random, text: str) -> str:
    words = text.split(" ")
    for i, word in enumerate(words):
        bare = word.strip(".,!").lower()
        if bare in phrases.TYPOS and rng.random() < 0.6:
            words[i] = word.lower().replace(bare, phrases.TYPOS[bare])
    return " ".join(words)
