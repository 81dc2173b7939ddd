"""The entity extractor: each kind found with its span and normalised value, typos in the
catalogue's names forgiven, and one kind never taken for another."""

from __future__ import annotations

import pytest

from mercato.agents.assistant.nlu.entities import extract
from mercato.agents.assistant.nlu.gazetteer import Gazetteer

GAZETTEER = Gazetteer.build(
    [
        ("p1", "Alpine Merino Hoodie No. 3"),
        ("p2", "Classic Cast Iron Skillet No. 12"),
        ("p3", "Nordic Stoneware Mug"),
    ],
    [("c1", "Jackets", "jackets"), ("c2", "Electronics", "electronics")],
)


def found(text: str) -> set[tuple[str, str, str]]:
    return {(e.type, e.value, text[e.start : e.end]) for e in extract(text, GAZETTEER)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "add 2 merino hodies in navy size M",
            {
                ("quantity", "2", "2"),
                ("product", "merino hoodie", "merino hodies"),
                ("color", "navy", "navy"),
                ("size", "M", "M"),
            },
        ),
        ("wheres ORD-2026-0000042??", {("order_ref", "ORD-2026-0000042", "ORD-2026-0000042")}),
        ("order 4471 9920 13 never came", {("order_ref", "4471992013", "4471 9920 13")}),
        ("use code SPRING-25 pls", {("discount_code", "SPRING-25", "SPRING-25")}),
        (
            "skillets under 50 bucks",
            {("product", "skillet", "skillets"), ("price_max", "50", "50")},
        ),
        ("something between €20 and 40", {("price_min", "20", "20"), ("price_max", "40", "40")}),
        ("a couple of mugs", {("quantity", "2", "a couple of"), ("product", "mug", "mugs")}),
        ("show me electronics", {("category", "electronics", "electronics")}),
        ("the second one", {("ordinal", "2", "second")}),
        ("the last one please", {("ordinal", "-1", "last")}),
        (
            "mail me at Ana.Lima@Example.com",
            {("email", "ana.lima@example.com", "Ana.Lima@Example.com")},
        ),
        ("do you have it in large", {("size", "Large", "large")}),
        ("size 42 skilet", {("size", "42", "42"), ("product", "skillet", "skilet")}),
    ],
)
def test_each_kind_is_found_with_its_span_and_value(
    text: str, expected: set[tuple[str, str, str]]
) -> None:
    assert found(text) == expected


def test_an_address_is_found_in_its_parts() -> None:
    text = "please ship it to 12 Baker Street, London NW1 6XE, UK"
    assert found(text) == {
        ("street", "12 Baker Street", "12 Baker Street"),
        ("city", "London", "London"),
        ("postal_code", "NW1 6XE", "NW1 6XE"),
        ("country", "GB", "UK"),
    }


def test_a_german_address_keeps_its_street_number_after_the_street() -> None:
    text = "hauptstrasse 5, 10115 Berlin, Germany"
    assert found(text) == {
        ("street", "hauptstrasse 5", "hauptstrasse 5"),
        ("postal_code", "10115", "10115"),
        ("city", "Berlin", "Berlin"),
        ("country", "DE", "Germany"),
    }


@pytest.mark.parametrize(
    "text",
    [
        "this one",  # a pronoun, no quantity
        "i ordered 3 days ago",  # a duration, no quantity
        "send it to us",  # "us" is a country only in an address
        "my friend Dan says hi",
        "12345",  # five digits alone: neither an order (6-15) nor a postcode without an address
    ],
)
def test_what_is_no_entity_is_left_alone(text: str) -> None:
    assert found(text) == set()


def test_a_products_whole_name_gives_its_id() -> None:
    [entity] = extract("the nordic stoneware mug", GAZETTEER)
    assert (entity.type, entity.extra) == ("product", {"product_id": "p3"})


def test_without_a_catalogue_the_other_kinds_are_still_found() -> None:
    assert {e.type for e in extract("2 hoodies in red, size L, under $30")} == {
        "quantity",
        "color",
        "size",
        "price_max",
    }
