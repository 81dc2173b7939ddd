"""Scoring FAQ articles for a question: by words alone when the model is not there (the
rarer a shared word, the more it counts; the question and keywords more than the answer),
and blended with meaning when it is; scores in [0, 1], nothing offered below the floor."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mercato.agents.support.matching import (
    MIN_SCORE,
    WORDS_FLOOR,
    Entry,
    FaqIndex,
    Held,
    lexical,
    meaning,
    rank,
    rarity,
)
from mercato.agents.support.views import ArticleView
from mercato.kernel.embeddings import encoder

NOW = datetime(2026, 12, 5, tzinfo=UTC)


def article(n: int, question: str, answer: str, keywords: list[str]) -> ArticleView:
    return ArticleView(str(n), question, answer, "topic", keywords, True, n, NOW, NOW)


ARTICLES = [
    article(1, "What is your returns policy?", "Send it back within 30 days.", ["return"]),
    article(2, "How long does shipping take?", "Parcels arrive in 2 to 5 days.", ["delivery"]),
    article(3, "Which cards do you accept?", "Visa and PayPal. Returns are refunded.", []),
]
ENTRIES = [Entry.of(a) for a in ARTICLES]


def test_words_alone_rank_by_the_rare_words_shared_and_the_headline_first() -> None:
    held = Held(ENTRIES, None)
    found = rank(held, "how do I return it?", None, limit=3)
    # "return" is in the returns article's question, and in the cards article's answer (as
    # "returns"), which counts half
    assert [m.article_id for m in found] == ["1", "3"]
    assert found[0].score == pytest.approx(2 * found[1].score, abs=1e-3)
    assert all(0 <= m.score <= 1 for m in found)
    # a word only one article has outweighs one two have
    [first, *_] = rank(held, "return parcel", None, limit=3)
    assert first.article_id == "2"


def test_a_question_of_common_or_unknown_words_is_not_confident() -> None:
    weights = rarity(["day"], ENTRIES)
    assert weights["day"] < WORDS_FLOOR
    assert lexical(["day"], ENTRIES[0], weights) < 0.5
    assert lexical([], ENTRIES[0], weights) == 0.0
    assert rank(Held(ENTRIES, None), "zebra crossing", None, limit=3) == []
    assert rank(Held([], None), "return", None, limit=3) == []


def test_meaning_maps_the_cosine_onto_zero_to_one() -> None:
    assert meaning(0.0) == 0.0 and meaning(1.0) == 1.0
    assert 0 < meaning(0.4) < 1


def test_meaning_finds_what_no_word_shares() -> None:
    model = encoder("queries")
    assert model is not None
    vectors = model.embed([t for e in ENTRIES for t in e.meanings])
    held = Held(ENTRIES, vectors.reshape(len(ENTRIES), 3, -1).transpose(1, 0, 2))
    question = "I'd like my money refunded for an item"
    [best, *_] = rank(held, question, model.embed([question])[0], limit=3)
    assert best.article_id == "1" and best.score >= MIN_SCORE


async def test_an_index_without_a_model_reads_and_ranks_by_words() -> None:
    class Reading:
        """A unit of work's session answering one published article."""

        async def scalars(self, _statement: object) -> list[object]:
            from mercato.agents.support.models import SupportArticle

            return [
                SupportArticle(
                    id="1", question="What is your returns policy?", answer="30 days.",
                    topic="returns", keywords=["send back"], published=True, position=0,
                    created_at=NOW, updated_at=NOW,
                )
            ]  # fmt: skip

    class Uow:
        session = Reading()

    index = FaqIndex(None, ttl=0, load_encoder=lambda: None)
    [match] = await index.match(Uow(), "default", "send it back", limit=3)  # type: ignore[arg-type]
    assert (match.article_id, match.topic) == ("1", "returns")
