"""`json_answer` (ADR 21): a read route's answer, built as plain dicts, in the bytes FastAPI
writes for its response model."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, TypeAdapter

from mercato.kernel.money import MoneyStr
from mercato.kernel.reads import json_answer


class Answer(BaseModel):
    name: str
    price: MoneyStr
    nothing: str | None
    at: datetime
    on_the_second: datetime
    tags: list[str]
    attributes: dict[str, str]
    count: int
    flag: bool


def test_json_answer_writes_the_bytes_fastapi_writes() -> None:
    # given an answer as a dict, and the same as the route's response model
    values: dict[str, Any] = {
        "name": 'Café ☕ "quoted" \\ \n\t\x7f \u2028',
        "price": "19.90",
        "nothing": None,
        "at": datetime(2026, 3, 1, 12, 30, 0, 120000, tzinfo=UTC),
        "on_the_second": datetime(2026, 3, 1, 12, 30, 0, tzinfo=UTC),
        "tags": ["a", "ü"],
        "attributes": {"colour": "red", "size": "M"},
        "count": 2**53 + 1,
        "flag": False,
    }
    model = Answer(**{**values, "price": Decimal("19.90")})
    # when each is serialized, then the bytes are the same
    answer = json_answer(values)
    assert answer.body == TypeAdapter(Answer).dump_json(model, by_alias=True)
    assert answer.media_type == "application/json" and answer.status_code == 200
