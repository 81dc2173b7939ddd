"""Every request body is a `RequestModel`: unknown fields refused, numbers and booleans not
coerced from strings. A body model that forgets the base is found here, not by a client."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field, ValidationError

from mercato.app import create_app
from mercato.kernel.config import Settings
from mercato.kernel.schemas import RequestModel


def body_models(annotation: Any, seen: set[type[BaseModel]]) -> set[type[BaseModel]]:
    """The models a body annotation accepts, nested models included."""
    found: set[type[BaseModel]] = set()
    stack = [annotation]
    while stack:
        current = stack.pop()
        if isinstance(current, type) and issubclass(current, BaseModel):
            if current in seen:
                continue
            seen.add(current)
            found.add(current)
            stack.extend(f.annotation for f in current.model_fields.values())
        else:
            stack.extend(getattr(current, "__args__", ()))
    return found


def test_every_body_a_route_accepts_is_a_request_model(tmp_path: Any) -> None:
    app = create_app(Settings(data_dir=tmp_path))
    seen: set[type[BaseModel]] = set()
    offenders = []
    for route in app.state.routes.routes:
        api_route: APIRoute = route[1]
        if api_route.body_field is None:
            continue
        for model in body_models(api_route.body_field.field_info.annotation, seen):
            if not issubclass(model, RequestModel):
                offenders.append(f"{route[0]}: {model.__module__}.{model.__qualname__}")
    assert offenders == []


class Line(RequestModel):
    quantity: int = Field(ge=1)
    price: Decimal | None = None
    gift: bool = False
    counts: dict[str, int] = Field(default_factory=dict)


@pytest.mark.parametrize(
    "body",
    [
        {"quantity": "1"},
        {"quantity": True},
        {"quantity": 1, "price": True},
        {"quantity": 1, "gift": "yes"},
        {"quantity": 1, "gift": 1},
        {"quantity": 1, "counts": {"a": "2"}},
        {"quantity": 1, "colour": "red"},
        {"quantity": 2**63},
        {"quantity": 1, "counts": {"a": -(2**64)}},
    ],
)
def test_strings_and_booleans_are_not_numbers_and_unknown_fields_are_refused(
    body: dict[str, Any],
) -> None:
    with pytest.raises(ValidationError):
        Line.model_validate(body)


def test_numbers_amounts_and_booleans_of_their_own_type_are_accepted() -> None:
    line = Line.model_validate({"quantity": 2, "price": "19.99", "gift": True, "counts": {"a": 1}})
    assert (line.quantity, line.price, line.gift, line.counts) == (
        2,
        Decimal("19.99"),
        True,
        {"a": 1},
    )
    assert Line.model_validate({"quantity": 1, "price": 5}).price == Decimal(5)


class Address(RequestModel):
    name: str


class Parcel(RequestModel):
    label: str = ""
    tags: list[str] = Field(default_factory=list)
    attributes: dict[str, str] = Field(default_factory=dict)
    to: Address | None = None


@pytest.mark.parametrize(
    "body, field",
    [
        ({"label": "nul\u0000"}, ("label",)),
        ({"tags": ["ok", "bell\u0007"]}, ("tags",)),
        ({"attributes": {"colo\u001bur": "red"}}, ("attributes",)),
        ({"attributes": {"colour": "c1\u0085"}}, ("attributes",)),
        ({"to": {"name": "half\ud800"}}, ("to", "name")),
    ],
)
def test_control_characters_are_refused_in_every_text_naming_the_field(
    body: dict[str, Any], field: tuple[str, ...]
) -> None:
    with pytest.raises(ValidationError) as refused:
        Parcel.model_validate(body)
    assert [e["loc"] for e in refused.value.errors()] == [field]
    assert refused.value.errors()[0]["type"] == "control_character"


def test_tabs_line_ends_and_any_script_are_text() -> None:
    parcel = Parcel.model_validate({"label": "Zoë\tØrsted\r\n日本語 🎉", "tags": ["a\nb"]})
    assert parcel.label.endswith("🎉")
