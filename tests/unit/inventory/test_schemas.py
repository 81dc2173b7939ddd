"""The inventory API's request models and the CSV stock feed reader refuse bad input."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from mercato.agents.inventory.schemas import (
    AdjustmentIn,
    ReceiptIn,
    ReservationIn,
    TransferIn,
    feed_from_csv,
    feed_from_json,
)


def test_a_csv_feed_is_read_with_its_header_blank_lines_and_spaces() -> None:
    feed = feed_from_csv(
        b"\xef\xbb\xbfSKU , On_Hand\nTEE-S, 12\n\nTEE-M,0\n", location_id="wh", source="x.csv"
    )
    assert [(line.sku, line.on_hand) for line in feed.lines] == [("TEE-S", 12), ("TEE-M", 0)]
    assert (feed.location_id, feed.source) == ("wh", "x.csv")


@pytest.mark.parametrize(
    ("body", "where"),
    [
        (b"sku,qty\nA,1\n", ["body", "header"]),
        (b"", ["body", "header"]),
        (b"sku,on_hand\nA,1\nB,x\n", ["body", "line 3", "on_hand"]),
        (b"sku,on_hand\nA,1.5\n", ["body", "line 2", "on_hand"]),
        (b"sku,on_hand\nA,-2\n", ["body", "line 2", "on_hand"]),
        ("sku,on_hand\nA,\u00b2\n".encode(), ["body", "line 2", "on_hand"]),  # superscript 2
        ("sku,on_hand\nA,\u0663\n".encode(), ["body", "line 2", "on_hand"]),  # Arabic-Indic 3
        ("sku,on_hand\nA,\uff11\uff12\n".encode(), ["body", "line 2", "on_hand"]),  # fullwidth 12
        (b"sku,on_hand\nA,99999999999999999999\n", ["body", "line 2", "on_hand"]),
        (b"sku,on_hand\nA\n", ["body", "line 2"]),
        (b"sku,on_hand\n,4\n", ["body", "line 2", "sku"]),
        (b"sku,on_hand\n", ["lines"]),
        (b"\xff\xfe", ["body"]),
    ],
)
def test_a_malformed_csv_feed_names_the_line_at_fault(body: bytes, where: list[str]) -> None:
    with pytest.raises(RequestValidationError) as refused:
        feed_from_csv(body, location_id="wh", source="x.csv")
    assert list(refused.value.errors()[0]["loc"]) == where


def test_a_csv_feed_needs_its_location_and_source_in_the_query() -> None:
    with pytest.raises(RequestValidationError) as refused:
        feed_from_csv(b"sku,on_hand\nA,1\n", location_id=None, source=None)
    assert sorted(tuple(e["loc"]) for e in refused.value.errors()) == [
        ("query", "location_id"),
        ("query", "source"),
    ]


def test_a_json_feed_refuses_quantities_given_as_text() -> None:
    with pytest.raises(RequestValidationError):
        feed_from_json(
            b'{"location_id": "w", "source": "s", "lines": [{"sku": "A", "on_hand": "1"}]}'
        )


@pytest.mark.parametrize(
    "body",
    [
        {"location_id": "w", "reason": "received", "delta": 1},
        {"sku": "A", "variant_id": "v", "location_id": "w", "reason": "received", "delta": 1},
        {"sku": "A", "location_id": "w", "reason": "received", "delta": 0},
        {"sku": "A", "location_id": "w", "reason": "received", "delta": True},
        {"sku": "A", "location_id": "w", "reason": "count", "counted": 1, "delta": 1},
        {"sku": "A", "location_id": "w", "reason": "lost", "counted": 1},
        {"sku": "A", "location_id": "w", "reason": "misplaced", "delta": -1},
    ],
)
def test_an_adjustment_names_one_variant_and_one_nonzero_change(body: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        AdjustmentIn.model_validate(body)


def test_transfers_and_reservations_take_positive_whole_quantities() -> None:
    with pytest.raises(ValidationError):
        TransferIn.model_validate(
            {"sku": "A", "from_location_id": "a", "to_location_id": "b", "quantity": -1}
        )
    with pytest.raises(ValidationError):
        ReservationIn.model_validate(
            {"reference": "r", "lines": [{"variant_id": "v", "quantity": 2.0}]}
        )
    ok = ReservationIn.model_validate(
        {"reference": "r", "lines": [{"variant_id": "v", "quantity": 2}]}
    )
    assert ok.lines[0].quantity == 2


@pytest.mark.parametrize(
    "lines",
    [
        [],
        [{"quantity": 1}],
        [{"sku": "A", "variant_id": "v", "quantity": 1}],
        [{"sku": "A", "quantity": 0}],
        [{"sku": "A", "quantity": 1.0}],
        [{"sku": "A", "quantity": 1}] * 1001,
    ],
)
def test_a_receipt_has_1_to_1000_lines_each_naming_one_variant_and_a_quantity(
    lines: list[dict[str, Any]],
) -> None:
    with pytest.raises(ValidationError):
        ReceiptIn.model_validate({"location_id": "w", "lines": lines})


def test_a_receipt_of_1000_lines_needs_no_reference() -> None:
    receipt = ReceiptIn.model_validate(
        {"location_id": "w", "lines": [{"variant_id": "v", "quantity": 3}] * 1000}
    )
    assert (len(receipt.lines), receipt.reference, receipt.note) == (1000, None, None)
