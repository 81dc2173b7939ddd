"""Pure helpers of the orders agent: numbers, cursors, If-Match, payment actions, tags, and
the JSON form of `OrderInfo` the checkout saga carries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from mercato.agents.orders.api import if_match_version
from mercato.agents.orders.lifecycle import payment_action_for
from mercato.agents.orders.listing import decode, encode
from mercato.agents.orders.notes import normalize_tags
from mercato.agents.orders.numbering import format_number, year_of
from mercato.agents.orders.problems import InvalidCursor, InvalidOrderRequest
from mercato.agents.orders.service import OrderInfo, OrderLineInfo


def test_numbers_are_prefix_year_and_seven_digits() -> None:
    assert format_number("ORD", 2026, 1234) == "ORD-2026-0001234"


@pytest.mark.edge_case("EC012")
def test_ec012_the_year_is_the_utc_year_of_the_placing_instant() -> None:
    last = datetime(2026, 12, 31, 23, 59, 59, 999000, tzinfo=UTC)
    assert year_of(last) == 2026
    # the same instant written in another zone is still 2026 in UTC
    assert year_of(last.astimezone(timezone(timedelta(hours=9)))) == 2026
    assert year_of(last + timedelta(milliseconds=1)) == 2027


def test_cursors_round_trip_and_refuse_forgeries() -> None:
    at = datetime(2026, 5, 1, 10, 0, tzinfo=UTC)
    assert decode(encode(at, "abc")) == (at, "abc")
    for bad in ("nonsense", "", encode(at, "")):
        with pytest.raises(InvalidCursor):
            decode(bad)


def test_if_match_names_a_version() -> None:
    assert [if_match_version(v) for v in (None, "*", '"3"', 'W/"4"', '"x"', '"²"')] == [
        None,
        None,
        3,
        4,
        -1,
        -1,
    ]


def test_cancelling_voids_an_authorization_and_refunds_a_capture() -> None:
    assert [payment_action_for(s) for s in ("pending", "authorized", "paid", "failed")] == [
        "none",
        "void",
        "refund",
        "none",
    ]
    assert payment_action_for("partially_refunded") == "refund"


def test_tags_are_normalized_and_limited() -> None:
    assert normalize_tags([" VIP ", "vip", "gift-wrap"]) == ["gift-wrap", "vip"]
    with pytest.raises(InvalidOrderRequest):
        normalize_tags(["two words"])
    with pytest.raises(InvalidOrderRequest):
        normalize_tags([f"t{n}" for n in range(21)])


def test_order_info_survives_its_json_form() -> None:
    info = OrderInfo(
        id="o-1",
        number="ORD-2026-0000001",
        status="pending",
        payment_status="pending",
        total=Decimal("30.00"),
        currency="USD",
        customer_id=None,
        lines=[
            OrderLineInfo(
                id="l-1",
                variant_id="v-1",
                sku="SKU-1",
                name="Mug",
                quantity=2,
                unit_price=Decimal("12.50"),
                line_total=Decimal("25.00"),
            )
        ],
        placed_at=datetime(2026, 12, 31, 23, 59, 59, 999000, tzinfo=UTC),
    )
    assert OrderInfo.from_data(info.to_data()) == info
