"""Statuses are enums, not bare strings (issue 12, item 12; ADR 16): every `status` column
(and `*_status`) of every table is a `StrEnumColumn` of the owning agent's `StrEnum`, and the
mapped attribute is annotated with that enum, so code compares members, never literals.
The stored strings are the members' values: rows written before read back unchanged."""

from __future__ import annotations

import ast
from collections.abc import Iterable
from enum import StrEnum

import pytest
from sqlalchemy import Column, MetaData, String, Table, create_engine, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import DeclarativeBase, Mapped, Mapper, mapped_column

from mercato.agents.knowledge.model_fields import fields_of
from mercato.kernel.db import Base, StrEnumColumn
from mercato.kernel.migrate import target_metadata


def is_status(name: str) -> bool:
    return name == "status" or name.endswith("_status")


def annotation_of(cls: type, attribute: str) -> str | None:
    """The attribute's annotation as written (`from __future__ import annotations`)."""
    for klass in cls.__mro__:
        written = vars(klass).get("__annotations__", {}).get(attribute)
        if written is not None:
            return written if isinstance(written, str) else repr(written)
    return None


def mapped_enum_name(annotation: str | None) -> str | None:
    """`Mapped[OrderStatus]` (or `Mapped[OrderStatus | None]`) → `OrderStatus`."""
    if annotation is None:
        return None
    node = ast.parse(annotation, mode="eval").body
    if not (isinstance(node, ast.Subscript) and ast.unparse(node.value) == "Mapped"):
        return None
    inner = node.slice
    if isinstance(inner, ast.BinOp) and ast.unparse(inner.right) == "None":
        inner = inner.left
    return inner.id if isinstance(inner, ast.Name) else None


def offenders(mappers: Iterable[Mapper[object]]) -> list[str]:
    """Status columns that are not enums, and enum columns whose annotation is not the enum."""
    found: list[str] = []
    for mapper in mappers:
        cls = mapper.class_
        for attribute in mapper.column_attrs:
            [column] = attribute.columns
            where = f"{cls.__name__}.{attribute.key}"
            kind = column.type
            if not isinstance(kind, StrEnumColumn):
                if is_status(column.name):
                    found.append(f"{where}: {type(kind).__name__}, not a StrEnumColumn")
                continue
            named = mapped_enum_name(annotation_of(cls, attribute.key))
            if named != kind.enum.__name__:
                found.append(f"{where}: annotated {named}, stored as {kind.enum.__name__}")
    return found


def test_every_status_column_of_every_table_is_an_enum_annotated_as_such() -> None:
    target_metadata()  # imports every agent's tables
    mappers = list(Base.registry.mappers)
    statuses = [
        f"{m.class_.__name__}.{a.key}" for m in mappers for a in m.column_attrs if is_status(a.key)
    ]

    assert {"Order.status", "Product.status", "Cart.status", "User.status"} <= set(statuses)
    assert offenders(mappers) == []


def test_the_check_catches_a_bare_string_status_and_a_mismatched_annotation() -> None:
    # given tables another agent might add: a plain string status, and an enum column
    # annotated as a plain string
    class Scratch(DeclarativeBase):
        """Tables of their own metadata, kept out of Mercato's."""

    class Colour(StrEnum):
        RED = "red"

    class Parcel(Scratch):
        __tablename__ = "parcels"
        id: Mapped[str] = mapped_column(String(36), primary_key=True)
        status: Mapped[str] = mapped_column(String(16))

    class Crate(Scratch):
        __tablename__ = "crates"
        id: Mapped[str] = mapped_column(String(36), primary_key=True)
        colour: Mapped[str] = mapped_column(StrEnumColumn(Colour, 8))

    # when checked, then both are named
    assert sorted(offenders(Scratch.registry.mappers)) == [
        "Crate.colour: annotated str, stored as Colour",
        "Parcel.status: String, not a StrEnumColumn",
    ]
    assert {Parcel.__tablename__, Crate.__tablename__} == set(Scratch.metadata.tables)


class Light(StrEnum):
    GREEN = "green"
    AMBER = "amber"


def lights() -> tuple[Table, Engine]:
    metadata = MetaData()
    table = Table("lights", metadata, Column("state", StrEnumColumn(Light, 8)))
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    return table, engine


def test_a_row_reads_back_as_the_member_and_is_stored_as_its_value() -> None:
    table, engine = lights()
    with engine.begin() as conn:
        # given a member and its value written
        conn.execute(insert(table), [{"state": Light.GREEN}, {"state": "amber"}])

        # then both read back as members, stored as the plain strings
        read = conn.scalars(select(table.c.state)).all()
        stored = conn.exec_driver_sql("SELECT state FROM lights").scalars().all()

    assert read == [Light.GREEN, Light.AMBER] and all(type(s) is Light for s in read)
    assert stored == ["green", "amber"] and all(type(s) is str for s in stored)


def test_a_string_that_is_no_member_is_refused_and_nothing_is_written() -> None:
    table, engine = lights()
    with engine.begin() as conn:
        with pytest.raises(StatementError, match="'red' is not a valid Light"):
            conn.execute(insert(table).values(state="red"))
        assert conn.exec_driver_sql("SELECT count(*) FROM lights").scalar() == 0


def test_the_knowledge_catalog_lists_an_enum_fields_values() -> None:
    target_metadata()
    status = next(f for f in fields_of("products") if f.name == "status")

    assert status.type == "enum"
    assert "one of: draft, active, archived" in status.validations
    assert status.example == "draft"
