"""Seed-001 properties 16-20 of the sentiment agent, over its pure functions (the served
model, with embeddings when the MiniLM runtime is here: loaded once per process)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mercato.agents.intelligence.sentiment import aggregate, complaints, feature_requests
from mercato.agents.intelligence.sentiment.aspects import ASPECTS, opinions
from mercato.agents.intelligence.sentiment.model import analyse

LABELS = {"positive", "neutral", "negative"}
texts = st.one_of(
    st.text(max_size=300),
    st.lists(
        st.sampled_from(
            ["great", "not", "bad", "very", "broke", "love", "delivery", "price", "but", "😍",
             "😡", "!!!", "...", "yeah right", "/s", "\"premium\"", "okay", "sooo", "gooood",
             "the", "size", "fits", "never", "service", "kaput", "muy bueno", "."]
        ),
        max_size=25,
    ).map(" ".join),
)  # fmt: skip


@pytest.mark.seed_property(16)
@settings(max_examples=100, deadline=None)
@given(batch=st.lists(texts, min_size=1, max_size=4))
def test_property_16_every_review_is_classified_with_a_confidence(batch: list[str]) -> None:
    # given any texts (empty, symbols, emoji, words in any order)
    # when they are analysed
    results = analyse(batch)
    # then each has a label, a polarity in [-1, 1] of the label's sign, a confidence in [0, 1]
    assert len(results) == len(batch)
    for result in results:
        assert result.label in LABELS
        assert -1 <= result.polarity <= 1 and 0 <= result.confidence <= 1
        if result.label == "positive":
            assert result.polarity > 0
        if result.label == "negative":
            assert result.polarity < 0
        assert result.confidence >= 1 / 3 - 1e-9  # the likeliest of three classes


FEATURES = ["timer", "longer cable", "carry case", "blue version", "bigger handle", "usb port"]
ASKS = ["I wish it had a {f}.", "Would be nice if it came with a {f}.", "Please add a {f}!",
        "It should come with a {f}.", "If only it had a {f}."]  # fmt: skip


@pytest.mark.seed_property(17)
@settings(max_examples=100, deadline=None)
@given(
    reviews=st.lists(
        st.lists(st.tuples(st.sampled_from(FEATURES), st.sampled_from(ASKS)), max_size=3),
        max_size=12,
    ),
    filler=st.sampled_from(["Nice kettle.", "Broke fast.", "", "Arrived Monday."]),
)
def test_property_17_feature_requests_are_extracted_and_ranked(
    reviews: list[list[tuple[str, str]]], filler: str
) -> None:
    # given reviews asking for features in several phrasings
    texts = [" ".join([filler, *(ask.format(f=f) for f, ask in asks)]) for asks in reviews]
    # when the requests are extracted and ranked
    ranked = feature_requests.rank(
        (str(i), feature_requests.requests_in(t)) for i, t in enumerate(texts)
    )
    # then each feature is found with the number of reviews asking for it, most asked first
    expected = {f: sum(any(f == g for g, _ in asks) for asks in reviews) for f in FEATURES}
    assert {r.request: r.count for r in ranked} == {f: n for f, n in expected.items() if n}
    assert [r.count for r in ranked] == sorted((r.count for r in ranked), reverse=True)
    for r in ranked:
        assert r.examples and all(r.request in feature_requests.requests_in(texts[int(i)])
                                  for i in r.examples)  # fmt: skip


COMPLAINTS = {
    "delivery": "the delivery was late and awful",
    "quality": "the stitching is poor quality",
    "service": "customer service was rude",
    "durability": "it broke after a week",
}
PRAISE = ["I love the colour", "the kettle is lovely", "works perfectly"]


@pytest.mark.seed_property(18)
@settings(max_examples=100, deadline=None)
@given(
    reviews=st.lists(
        st.tuples(
            st.sets(st.sampled_from(sorted(COMPLAINTS)), max_size=2), st.sampled_from(PRAISE)
        ),
        max_size=10,
    )
)
def test_property_18_complaint_patterns_are_identified(
    reviews: list[tuple[set[str], str]],
) -> None:
    # given reviews with praise and some recurring complaints
    texts = [
        ". ".join([praise, *(COMPLAINTS[a] for a in sorted(asp))]) + "." for asp, praise in reviews
    ]
    facts = [
        complaints.ReviewFacts(str(i), t, [o.aspect for o in opinions(t) if o.label == "negative"])
        for i, t in enumerate(texts)
    ]
    # when the patterns are found
    found = {(p.kind, p.pattern): p for p in complaints.patterns(facts, min_count=2, limit=100)}
    # then every aspect complained of in two reviews or more is one, with its count
    for aspect in COMPLAINTS:
        n = sum(aspect in asp for asp, _ in reviews)
        if n >= 2:
            assert found[("aspect", aspect)].count == n
            assert len(found[("aspect", aspect)].examples) == min(n, complaints.EXAMPLES)
        else:
            assert ("aspect", aspect) not in found
    # and no pattern is counted in fewer reviews than asked, or from praise alone
    assert all(p.count >= 2 for p in found.values())
    assert not any(p.pattern in {"love", "lovely"} for p in found.values())


@pytest.mark.seed_property(19)
@settings(max_examples=100, deadline=None)
@given(
    scored=st.lists(
        st.tuples(
            st.sampled_from(sorted(LABELS)),
            st.floats(-1, 1, allow_nan=False),
            st.integers(0, 400),
        ),
        max_size=40,
    )
)
def test_property_19_products_have_aggregate_sentiment_scores(
    scored: list[tuple[str, float, int]],
) -> None:
    # given a product's analysed reviews over a year
    start = datetime(2026, 1, 1, tzinfo=UTC)
    reviews = [aggregate.Scored(label, p, start + timedelta(days=d)) for label, p, d in scored]
    # when they are aggregated
    summary = aggregate.summarise(reviews)
    # then the count, mean polarity and label shares are theirs
    assert summary.count == len(reviews)
    assert -1 <= summary.mean_polarity <= 1
    if reviews:
        assert summary.mean_polarity == pytest.approx(
            sum(r.polarity for r in reviews) / len(reviews), abs=1e-4
        )
        assert sum(summary.shares.values()) == pytest.approx(1, abs=1e-3)
    else:
        assert summary.mean_polarity == 0 and set(summary.shares.values()) == {0.0}
    # and the trend's buckets split them by week and by month, oldest first
    for granularity in ("week", "month"):
        buckets = aggregate.trend(reviews, granularity)  # type: ignore[arg-type]
        assert sum(b.summary.count for b in buckets) == len(reviews)
        assert [b.period for b in buckets] == sorted({b.period for b in buckets})


POSITIVE = {
    "price": "the price is a great bargain",
    "delivery": "delivery was fast and excellent",
    "service": "the seller was very helpful",
    "appearance": "I love the colour",
    "size and fit": "the size fits perfectly",
    "packaging": "the packaging was lovely",
    "usability": "setup was easy and intuitive",
}
NEGATIVE = {
    "price": "it is overpriced",
    "delivery": "delivery took forever",
    "service": "support was useless",
    "appearance": "the colour is ugly",
    "size and fit": "the size is far too small",
    "packaging": "the box was crushed and damaged",
    "usability": "the instructions are confusing and awful",
}


@pytest.mark.seed_property(20)
@settings(max_examples=100, deadline=None)
@given(
    picked=st.lists(
        st.tuples(st.sampled_from(sorted(POSITIVE)), st.booleans()),
        min_size=1, max_size=4, unique_by=lambda t: t[0],
    ),
    joiner=st.sampled_from([" but ", ". ", ", and ", "; ", " however "]),
)  # fmt: skip
def test_property_20_aspect_level_sentiment_is_extracted(
    picked: list[tuple[str, bool]], joiner: str
) -> None:
    # given a review of clauses, each about one aspect, praised or criticised
    text = joiner.join((POSITIVE if good else NEGATIVE)[a] for a, good in picked)
    # when its aspects are extracted
    found = {o.aspect: o for o in opinions(text)}
    # then each is found with its own clause's sentiment, and nothing else
    assert set(found) == {a for a, _ in picked}
    for aspect, good in picked:
        assert found[aspect].label == ("positive" if good else "negative")
        assert (found[aspect].polarity > 0) is good
    assert [o.aspect for o in opinions(text)] == [a for a in ASPECTS if a in found]
