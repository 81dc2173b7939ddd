"""Long-term memory: what shoppers say they like ("I'm a size M", "no wool", "my budget is
50") and what their signals show (products viewed in the chat, put in a cart, bought),
kept per shopper (`user:<id>`, or `guest:<session>` until the guest signs in and it becomes
the user's). Visible and erasable by the shopper (`GET`, `DELETE /v1/me/memory`)."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import delete, select, update

from mercato.agents.assistant.memory_view import Remembered, price_band
from mercato.agents.assistant.models import Memory
from mercato.agents.assistant.nlu.attributes import COLORS
from mercato.agents.catalog import service as catalog
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id

SINGLE = {"size", "max_price"}
"""Preferences a shopper has one of: a new one replaces the old."""
MAX_WEIGHT = 50.0
SIGNAL_WEIGHTS = {"view": 0.5, "cart": 1.0, "purchase": 3.0}
MATERIALS = (
    "wool|merino|cashmere|polyester|nylon|acrylic|leather|suede|silk|down|feathers?|fur|"
    "latex|nickel|plastic|cotton|linen|hemp|bamboo|denim|synthetics?|fragrance|perfume|"
    "scent|parabens?|alcohol|gluten|nuts|soy|aluminium|cast iron|glass|ceramic|stoneware|"
    "porcelain|rubber|spandex|elastane"
)
_COLOR_WORDS = "|".join(sorted((re.escape(c) for c in COLORS), key=len, reverse=True))
_SIZE = re.compile(
    r"\b(?:i'?m|i am|i wear|my size is|i'?m usually|i usually wear|i usually take|i take|size)\s+"
    r"(?:a\s+|an\s+|usually\s+)?(?:size\s+)?(xxs|xs|s|m|l|xl|xxl|xxxl|\d{2})\b(?!\s*(?:years|yo|kg))",
    re.IGNORECASE,
)
_EXCLUDE = re.compile(
    r"\b(?:no|not|never|nothing (?:in|made of|with)|"
    r"(?:i )?(?:don'?t|do not) (?:like|want|wear|use)|i hate|"
    r"i'?m allergic to|allergic to|avoid|without|free of|i can'?t (?:wear|stand))"
    rf"\s+(?:any\s+)?({MATERIALS}|{_COLOR_WORDS})\b",
    re.IGNORECASE,
)
_LIKE_COLOR = re.compile(
    r"\b(?:i (?:love|like|prefer|always wear|mostly wear)|my fav(?:ou?rite)? colou?r is)"
    rf"\s+({_COLOR_WORDS})\b",
    re.IGNORECASE,
)
_BUDGET = re.compile(
    r"\bmy budget is\s+(?:about\s+|around\s+|under\s+|up to\s+|max\s+)?"
    r"[$€£]?\s?(\d{1,6}(?:\.\d{1,2})?)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Entry:
    id: str
    kind: str
    key: str
    value: str
    weight: float
    source: str
    updated_at: datetime


def stated(text: str) -> list[tuple[str, str]]:
    """The preferences a message states, as (key, value)."""
    found: list[tuple[str, str]] = []
    for m in _SIZE.finditer(text):
        found.append(("size", m.group(1).upper()))
    for m in _EXCLUDE.finditer(text):
        found.append(("exclude", m.group(1).lower()))
    for m in _LIKE_COLOR.finditer(text):
        found.append(("color", m.group(1).lower()))
    for m in _BUDGET.finditer(text):
        found.append(("max_price", m.group(1)))
    return found


async def recall(uow: UnitOfWork, owner: str | None) -> Remembered:
    if owner is None:
        return Remembered()
    preferences: dict[str, list[str]] = {}
    affinities: dict[str, dict[str, float]] = {}
    for entry in await entries(uow, owner):
        if entry.kind == "preference":
            preferences.setdefault(entry.key, []).append(entry.value)
        else:
            affinities.setdefault(entry.key, {})[entry.value] = entry.weight
    return Remembered(preferences, affinities)


async def entries(uow: UnitOfWork, owner: str) -> list[Entry]:
    rows = await uow.session.scalars(
        select(Memory)
        .where(Memory.owner == owner)
        .order_by(Memory.kind.desc(), Memory.updated_at.desc(), Memory.id)
    )
    return [Entry(m.id, m.kind, m.key, m.value, m.weight, m.source, m.updated_at) for m in rows]


async def prefer(uow: UnitOfWork, owner: str, key: str, value: str, *, now: datetime) -> None:
    """Remember a stated preference (a new size replaces the old one)."""
    if key in SINGLE:
        await uow.session.execute(
            delete(Memory).where(
                Memory.owner == owner, Memory.kind == "preference", Memory.key == key
            )
        )
    await _add(uow, owner, "preference", key, value, 1.0, "stated", now=now, replace=True)


async def _add(
    uow: UnitOfWork,
    owner: str,
    kind: str,
    key: str,
    value: str,
    weight: float,
    source: str,
    *,
    now: datetime,
    replace: bool = False,
) -> None:
    value = value[:200]
    found = await uow.session.scalar(
        select(Memory).where(
            Memory.owner == owner, Memory.kind == kind, Memory.key == key, Memory.value == value
        )
    )
    if found is None:
        uow.session.add(
            Memory(
                id=new_id(),
                owner=owner,
                kind=kind,
                key=key,
                value=value,
                weight=weight,
                source=source,
                updated_at=now,
            )
        )
        await uow.session.flush()
        return
    new_weight = weight if replace else min(MAX_WEIGHT, found.weight + weight)
    await uow.session.execute(
        update(Memory)
        .where(Memory.id == found.id)
        .values(weight=new_weight, source=source, updated_at=now)
        .execution_options(synchronize_session=False)
    )


async def forget(uow: UnitOfWork, owner: str, *, entry_id: str | None = None) -> int:
    statement = delete(Memory).where(Memory.owner == owner)
    if entry_id is not None:
        statement = statement.where(Memory.id == entry_id)
    result = await uow.session.execute(statement)
    return int(getattr(result, "rowcount", 0) or 0)


async def move(uow: UnitOfWork, *, source: str, target: str, now: datetime) -> None:
    """A guest's memory becomes its user's (what the user already had stays, weights add)."""
    for entry in await entries(uow, source):
        if entry.kind == "preference":
            await prefer(uow, target, entry.key, entry.value, now=now)
        else:
            await _add(
                uow, target, entry.kind, entry.key, entry.value, entry.weight, entry.source, now=now
            )
    await forget(uow, source)


async def note_products(
    uow: UnitOfWork,
    owner: str,
    products: Iterable[dict[str, Any]],
    *,
    signal: str,
    now: datetime,
) -> None:
    """A signal about products (viewed, put in a cart, bought): affinity for their brand,
    category, colours and price band."""
    products = list(products)
    weight = SIGNAL_WEIGHTS[signal]
    names = await catalog.category_names(
        uow, [p["category_id"] for p in products if p.get("category_id")]
    )
    for product in products:
        found: list[tuple[str, str]] = []
        if product.get("category_id") in names:
            found.append(("category", names[product["category_id"]]))
        attributes = {str(k).lower(): str(v) for k, v in (product.get("attributes") or {}).items()}
        if attributes.get("brand"):
            found.append(("brand", attributes["brand"]))
        for variant in (
            product.get("variants", [])[:1] if signal == "view" else product.get("variants", [])
        ):
            for name, value in (variant.get("attributes") or {}).items():
                if str(name).lower() in {"colour", "color"}:
                    found.append(("color", str(value).lower()))
        with contextlib.suppress(InvalidOperation, KeyError):
            found.append(("price_band", price_band(Decimal(str(product["price"])))))
        for key, value in dict.fromkeys(found):
            await _add(uow, owner, "affinity", key, value, weight, signal, now=now)
