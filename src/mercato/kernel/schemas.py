"""`RequestModel`: the base of every request body, so that every agent's API refuses the same
things the same way (a test checks every body a route accepts is one).

- Unknown fields are refused (`extra="forbid"`): a misspelt field is an error, not ignored.
- Numbers are numbers: a string (`"quantity": "1"`) or a boolean (`true`) is refused where
  an integer or a float is expected, instead of being coerced, and only `true` / `false`
  are booleans. Amounts of money stay strings or numbers (`"19.99"`, the form every answer
  uses), never booleans.
- No integer beyond 64 bits, whatever the field's own bounds (a database would overflow).
- No control character in any text (tab, line feed and carriage return are text): a JSON
  string, a list of them, or the keys and values of a mapping. Checked here, not at the
  edge, so that bodies no model reads (a gateway's signed webhook) reach their route as sent.
"""

from __future__ import annotations

import types
from decimal import Decimal
from functools import cache
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from mercato.kernel.input_guard import CONTROL_CHARACTERS


class RequestModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _numbers_are_numbers_and_text_is_text(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields.get(info.field_name or "")
        if field is not None and value is not None:
            shape = _shape(field.annotation)  # type: ignore[arg-type]
            _check(shape, value)
            _check_text(value, is_mapping=shape[0] == "dict")
        return value


def _check_text(value: Any, *, is_mapping: bool) -> None:
    """Strings, lists of strings and a mapping field's keys and string values; a nested
    object is left to its own model, which names the field more precisely."""
    texts: list[Any] = []
    if isinstance(value, str):
        texts = [value]
    elif isinstance(value, list):
        texts = [v for v in value if isinstance(v, str)]
    elif isinstance(value, dict) and is_mapping:
        texts = [*value, *(v for v in value.values() if isinstance(v, str))]
    if any(isinstance(t, str) and CONTROL_CHARACTERS.search(t) for t in texts):
        raise PydanticCustomError("control_character", "control characters are not allowed")


INT64 = (-(2**63), 2**63 - 1)
"""Whatever a field's own bounds, no integer beyond what a database column can hold."""

Shape = tuple[Any, ...]
"""An annotation reduced to what the check needs: ("int",), ("decimal",), ("list", shape),
("dict", shape), ("union", shapes…) or ("any",)."""


@cache
def _shape(annotation: Any) -> Shape:  # annotations are hashable
    origin = get_origin(annotation)
    if origin is Annotated:
        return _shape(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        shapes = tuple(_shape(a) for a in get_args(annotation) if a is not type(None))
        return shapes[0] if len(shapes) == 1 else ("union", *shapes)
    if origin in (list, set, frozenset, tuple):
        args = [a for a in get_args(annotation) if a is not Ellipsis]
        return ("list", _shape(args[0])) if len(args) == 1 else ("any",)
    if origin is dict:
        return ("dict", _shape(get_args(annotation)[1]))
    if annotation is bool:
        return ("bool",)
    if annotation in (int, float):
        return ("int",)
    if annotation is Decimal:
        return ("decimal",)
    return ("any",)


def _check(shape: Shape, value: Any) -> None:
    kind = shape[0]
    if kind == "int" and isinstance(value, bool | str):
        raise PydanticCustomError(
            "number_expected",
            "Input should be a number, not {given}",
            {"given": type(value).__name__},
        )
    if kind in {"int", "decimal"} and isinstance(value, int) and not INT64[0] <= value <= INT64[1]:
        raise PydanticCustomError("number_too_large", "Input should fit in 64 bits")
    if kind == "bool" and not isinstance(value, bool):
        raise PydanticCustomError("bool_expected", "Input should be true or false")
    if kind == "decimal" and isinstance(value, bool):
        raise PydanticCustomError("number_expected", "Input should be an amount, not a boolean")
    if kind == "list" and isinstance(value, list | tuple):
        for item in value:
            _check(shape[1], item)
    elif kind == "dict" and isinstance(value, dict):
        for item in value.values():
            _check(shape[1], item)
    elif kind == "union" and all(s[0] in {"int", "decimal"} for s in shape[1:]):
        _check(("decimal",) if any(s[0] == "decimal" for s in shape[1:]) else ("int",), value)
