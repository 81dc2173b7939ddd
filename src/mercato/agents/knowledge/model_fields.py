"""An entity's fields and relationships as the owning agent's table declares them.

Read from SQLAlchemy's metadata (column types, nullability, lengths, CHECK and UNIQUE
constraints, foreign keys) and from the mapped class's source (the comment or docstring an
attribute carries), so the catalog says what the code does: change a column and the
catalog changes with it. Nothing here imports another agent's models by name.
"""

from __future__ import annotations

import ast
import inspect
import re
from dataclasses import dataclass, field
from functools import cache

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Float,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from mercato.kernel.db import Base, StrEnumColumn, UTCDateTime
from mercato.kernel.money import Amount

HIDDEN = {"tenant_id", "password_hash", "token_hash", "token", "card_fingerprint"}
"""Columns the catalog never describes (secrets, and the kernel's tenant scoping)."""


@dataclass(frozen=True)
class EntityField:
    name: str
    type: str
    description: str
    required: bool = True
    validations: list[str] = field(default_factory=list)
    example: str = ""


@dataclass(frozen=True)
class EntityRelationship:
    target: str
    type: str  # belongs_to, has_many, has_one, references
    description: str = ""
    required: bool = False


def table(name: str) -> Table:
    return Base.metadata.tables[name]


def fields_of(table_name: str) -> list[EntityField]:
    found = table(table_name)
    notes = _attribute_notes(table_name)
    return [
        EntityField(
            name=column.name,
            type=_type_of(column),
            description=notes.get(column.name) or _humanize(column.name),
            required=_required(column),
            validations=_validations(found, column),
            example=example_for(column.name, _type_of(column), _listed(column, notes)),
        )
        for column in found.columns
        if column.name not in HIDDEN
    ]


def _required(column: Column[object]) -> bool:
    return not column.nullable and column.default is None and column.server_default is None


def _type_of(column: Column[object]) -> str:
    kind = column.type
    if isinstance(kind, StrEnumColumn):
        return "enum"
    if isinstance(kind, Amount | Numeric | Float):
        return "decimal"
    if isinstance(kind, Boolean):
        return "boolean"
    if isinstance(kind, Integer):
        return "integer"
    if isinstance(kind, UTCDateTime):
        return "datetime"
    if isinstance(kind, JSON):
        return "object"
    if isinstance(kind, LargeBinary):
        return "binary"
    if isinstance(kind, String | Text):
        return "string"
    return type(kind).__name__.lower()


def _validations(found: Table, column: Column[object]) -> list[str]:
    rules: list[str] = []
    length = getattr(column.type, "length", None)
    if isinstance(column.type, String) and length:
        rules.append(f"max length {length}")
    if isinstance(column.type, StrEnumColumn):
        rules.append("one of: " + ", ".join(column.type.values))
    if column.primary_key:
        rules.append("primary key")
    for constraint in found.constraints:
        if isinstance(constraint, CheckConstraint):
            text = str(constraint.sqltext)
            if re.search(rf"\b{re.escape(column.name)}\b", text):
                rules.append(f"check: {text}")
        elif isinstance(constraint, UniqueConstraint) and column.name in constraint.columns:
            others = [
                c.name for c in constraint.columns if c.name not in {column.name, "tenant_id"}
            ]
            rules.append("unique" + (f" with {', '.join(others)}" if others else " per store"))
    if column.unique:
        rules.append("unique")
    for key in column.foreign_keys:
        rules.append(f"references {key.target_fullname}")
    return rules


@cache
def _attribute_notes(table_name: str) -> dict[str, str]:
    """column → the comment on its line, or the docstring right after it, in the source of
    the class mapped to `table_name`."""
    cls = next(
        (
            m.class_
            for m in Base.registry.mappers
            if getattr(m.local_table, "name", None) == table_name
        ),
        None,
    )
    if cls is None:
        return {}
    try:
        source = inspect.getsource(cls)
    except (OSError, TypeError):
        return {}
    lines = source.splitlines()
    body = ast.parse(source).body[0]
    notes: dict[str, str] = {}
    assert isinstance(body, ast.ClassDef)
    statements = body.body
    for index, node in enumerate(statements):
        if not isinstance(node, ast.AnnAssign) or not isinstance(node.target, ast.Name):
            continue
        name = node.target.id
        line = lines[node.lineno - 1]
        if "#" in line:
            notes[name] = line.split("#", 1)[1].strip()
        following = statements[index + 1] if index + 1 < len(statements) else None
        if (
            isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            notes[name] = " ".join(following.value.value.split())
    return notes


def _listed(column: Column[object], notes: dict[str, str]) -> str:
    """The values a field takes, as its note lists them (`a | b`): an enum's members."""
    if isinstance(column.type, StrEnumColumn):
        return " | ".join(column.type.values)
    return notes.get(column.name, "")


def _humanize(name: str) -> str:
    words = name.removesuffix("_id").replace("_", " ")
    if name.endswith("_id"):
        return f"the {words}'s id"
    if name.endswith("_at"):
        return f"when {name.removesuffix('_at').replace('_', ' ')} happened"
    return words.capitalize()


_EXAMPLES = {
    "email": "ana@example.com",
    "currency": "USD",
    "country": "US",
    "name": "Ana Lima",
    "sku": "MUG-BLK-350",
    "number": "ORD-2026-0000042",
}


def example_for(name: str, kind: str, note: str) -> str:
    """A plausible value, from the field's name, type and the values its note lists."""
    if name in _EXAMPLES:
        return _EXAMPLES[name]
    listed = re.split(r"\s*\|\s*", note) if "|" in note else []
    if listed and re.fullmatch(r"[a-z_]+", listed[0].split()[0] if listed[0] else ""):
        return listed[0].split()[0]
    return {
        "decimal": "19.99",
        "integer": "1",
        "boolean": "false",
        "datetime": "2026-11-29T12:00:00+00:00",
        "object": "{}",
    }.get(kind, "01a227c7-1222-7000-8c77-37df8a67a8cb" if name.endswith("id") else "")
