"""The rating sort and facet, on matches as the finder reads them: the best rated first, more
reviews first among equals, unreviewed last; the facet's star buckets cumulative."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from mercato.agents.search import finder, ratings
from mercato.agents.search.finder import Match, Ranking

EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def _match(
    product_id: str,
    rating: float | None,
    count: int,
    *,
    in_stock: bool = True,
    relevance: float = 1.0,
    age_days: int = 0,
) -> Match:
    return Match(
        id=hash(product_id) % 10_000, product_id=product_id, score=relevance, in_stock=in_stock,
        price=Decimal("10.00"), created_at=EPOCH - timedelta(days=age_days), category_id=None,
        brand=None, popularity=0.0, facets="", rating=rating, rating_count=count,
        relevance=relevance,
    )  # fmt: skip


def test_the_rating_sort_puts_the_best_rated_first_and_the_unreviewed_last() -> None:
    # given matches rated differently, two with the same mean, and two never reviewed
    matches = [
        _match("none-relevant", None, 0, relevance=1.0),
        _match("three", 3.0, 9),
        _match("four-few", 4.5, 2),
        _match("none-less", None, 0, relevance=0.2),
        _match("four-many", 4.5, 30),
        _match("five", 5.0, 1),
    ]
    # when they are ordered by rating
    found = finder.ordered(matches, "rating", Ranking())
    # then the mean decides, then the number of reviews, then relevance; unreviewed last
    assert [m.product_id for m in found] == [
        "five", "four-many", "four-few", "three", "none-relevant", "none-less",
    ]  # fmt: skip


def test_equal_ratings_fall_back_to_the_default_order() -> None:
    # given two products with the same mean and count, one newer, one out of stock
    matches = [
        _match("old", 4.0, 3, age_days=10),
        _match("new", 4.0, 3, age_days=1),
        _match("sold-out", 4.0, 3, in_stock=False),
    ]
    # when they are ordered by rating, then as relevance would: in stock first, then newest
    found = finder.ordered(matches, "rating", Ranking(in_stock_first=True))
    assert [m.product_id for m in found] == ["new", "old", "sold-out"]


def test_the_facet_counts_each_bucket_cumulatively_and_leaves_empty_ones_out() -> None:
    # given means of 4.5, 4.0, 3.2, 1.0 and an unreviewed product
    facet = ratings.facet([4.5, 4.0, 3.2, 1.0, None])
    # then "4 stars & up" holds two, "3 & up" three, "2 & up" three, "1 & up" four
    assert [(v["value"], v["label"], v["count"]) for v in facet] == [
        (4, "4 stars & up", 2), (3, "3 stars & up", 3), (2, "2 stars & up", 3),
        (1, "1 star & up", 4),
    ]  # fmt: skip
    # and nothing reviewed has no bucket at all
    assert ratings.facet([None, None]) == []
    assert [v["value"] for v in ratings.facet([1.5])] == [1]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.none(), st.floats(min_value=1.0, max_value=5.0)), max_size=30))
def test_a_higher_bucket_never_counts_more_than_a_lower_one(means: list[float | None]) -> None:
    # given any products' means, when faceted
    counts = {v["value"]: v["count"] for v in ratings.facet(means)}
    full = [counts.get(stars, 0) for stars in ratings.STARS]
    # then the buckets are cumulative: 4 & up within 3 & up within ... within every rated one
    assert full == sorted(full)
    assert full[-1] == sum(1 for m in means if m is not None)
    assert full[0] == sum(1 for m in means if m is not None and m >= 4)
