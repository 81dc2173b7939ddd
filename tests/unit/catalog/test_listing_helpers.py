"""The listing's pure parts: cursors, LIKE escaping, attribute filters, search words."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from mercato.agents.catalog.listing import (
    decode_cursor,
    encode_cursor,
    escape_like,
    parse_attrs,
    search_words,
)
from mercato.agents.catalog.models import Product
from mercato.agents.catalog.problems import InvalidCursor, InvalidFilter

ROW = Product(
    id="0190f1a2-0000-7000-8000-000000000001",
    name="Café ☕",
    price=Decimal("19.99"),
    created_at=datetime(2026, 3, 1, 12, 30, 0, 123456, tzinfo=UTC),
)


@pytest.mark.parametrize(
    ("sort", "key"),
    [
        ("newest", ROW.created_at),
        ("price_asc", Decimal("19.99")),
        ("price_desc", Decimal("19.99")),
        ("name", "Café ☕"),
    ],
)
def test_a_cursor_round_trips_its_sort_key_and_id(sort: str, key: object) -> None:
    cursor = encode_cursor(sort, ROW)
    assert "=" not in cursor
    assert decode_cursor(cursor, sort) == (key, ROW.id)


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "!!!",
        base64.urlsafe_b64encode(b'["newest","yesterday","x"]').decode(),
        base64.urlsafe_b64encode(b'["newest","2026-01-01T00:00:00","x"]').decode(),  # naive
        base64.urlsafe_b64encode(b'["price_asc","NaN","x"]').decode(),
        base64.urlsafe_b64encode(b'["price_asc","cheap","x"]').decode(),
        base64.urlsafe_b64encode(b'["price_asc",1,"x"]').decode(),
        base64.urlsafe_b64encode(b'["price_asc","-1","x"]').decode(),
        base64.urlsafe_b64encode(b'["price_asc","1e30","x"]').decode(),
        base64.urlsafe_b64encode(b'["price_asc","1000000000.01","x"]').decode(),
        base64.urlsafe_b64encode(b'["price_asc","0.00001","x"]').decode(),
        base64.urlsafe_b64encode(b'["price_asc","1e-999999999","x"]').decode(),
        base64.urlsafe_b64encode(b'{"s":"newest"}').decode(),
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
    ],
)
def test_a_cursor_it_did_not_issue_is_refused(cursor: str) -> None:
    with pytest.raises(InvalidCursor):
        decode_cursor(
            cursor,
            "price_asc" if "price" in repr(base64.urlsafe_b64decode(cursor + "==")) else "newest",
        )


def test_a_cursor_of_another_sort_is_refused() -> None:
    with pytest.raises(InvalidCursor):
        decode_cursor(encode_cursor("newest", ROW), "name")


def test_like_wildcards_are_escaped() -> None:
    assert escape_like(r"50%_off\now") == r"50\%\_off\\now"


def test_search_words() -> None:
    assert search_words("  Red   TEE ") == ["red", "tee"]
    assert search_words(None) == []
    assert len(search_words(" ".join(str(n) for n in range(20)))) == 8


def test_attribute_filters() -> None:
    assert parse_attrs(["Colour: Red", "size:M:L"]) == [("colour", "red"), ("size", "m:l")]
    for bad in (["colour"], [":red"], ["colour: "], [f"a{n}:b" for n in range(11)]):
        with pytest.raises(InvalidFilter):
            parse_attrs(bad)
