"""Each user's preferences (seed 001 property 39): the KPIs they watch, the marketplaces they
focus on, their business goals, the margin below which they will not sell, and how much
detail their reports carry. Kept per user (the principal's id) and store; a user who never
stated any has the defaults (no KPI, marketplace or goal; no floor; "standard" detail).

`put` replaces them as a whole: what the body leaves out takes its default. Invalid values
raise `InvalidPreferences` naming the field and what it allows, and change nothing."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

from mercato.agents.intelligence.memory.models import IntelPreferences
from mercato.agents.intelligence.memory.problems import InvalidPreferences
from mercato.kernel import context
from mercato.kernel.db import UnitOfWork, upsert_insert
from mercato.kernel.errors import TenantContextMissing

KPIS = (
    "revenue",
    "units_sold",
    "margin",
    "price_position",
    "rating",
    "sentiment",
    "stock_cover",
    "return_rate",
)
GOALS = (
    "grow_revenue",
    "protect_margin",
    "clear_stock",
    "improve_reviews",
    "win_on_price",
    "grow_marketplace",
)
DETAILS = ("brief", "standard", "detailed")
MAX_MARKETPLACES = 10
MARKETPLACE_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,39}$")
MARKETPLACE_RULE = "lower-case names of letters, digits, '_', '-' or '.' (up to 40 characters)"
MAX_FLOOR = Decimal(90)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Preferences:
    kpis: tuple[str, ...] = ()
    """In the user's order: the report shows these metrics first."""
    marketplaces: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()
    margin_floor_percent: Decimal | None = None
    """Two decimals ("12.50")."""
    report_detail: str = "standard"
    updated_at: datetime | None = None
    """None: never stated (the defaults)."""

    def report_view(self) -> dict[str, Any]:
        """What a report records of them (`preferences` in the report's body)."""
        floor = self.margin_floor_percent
        return {
            "kpis": list(self.kpis),
            "marketplaces": list(self.marketplaces),
            "goals": list(self.goals),
            "margin_floor_percent": None if floor is None else format(floor, "f"),
        }


class PreferencesInput(Protocol):
    """What `put` reads: the API's `PreferencesIn`, or a `Preferences`."""

    @property
    def kpis(self) -> Sequence[str]: ...
    @property
    def marketplaces(self) -> Sequence[str]: ...
    @property
    def goals(self) -> Sequence[str]: ...
    @property
    def margin_floor_percent(self) -> Decimal | None: ...
    @property
    def report_detail(self) -> str: ...


def validated(prefs_in: PreferencesInput) -> Preferences:
    """The preferences as kept: duplicates dropped (first kept), marketplaces lower-cased;
    `InvalidPreferences` for anything unknown or out of range."""
    return Preferences(
        kpis=_known("kpis", prefs_in.kpis, KPIS),
        marketplaces=_marketplaces(prefs_in.marketplaces),
        goals=_known("goals", prefs_in.goals, GOALS),
        margin_floor_percent=_floor(prefs_in.margin_floor_percent),
        report_detail=_detail(prefs_in.report_detail),
    )


async def get(uow: UnitOfWork, user_id: str) -> Preferences:
    """The user's preferences, or the defaults when they never stated any."""
    # read anew: the session may hold the row as it was before a `put` of this unit of work
    row = await uow.session.get(IntelPreferences, (_store(), user_id), populate_existing=True)
    return _from_row(row) if row is not None else Preferences()


async def put(
    uow: UnitOfWork, user_id: str, prefs_in: PreferencesInput, now: datetime
) -> Preferences:
    """Replace the user's preferences (validated first: invalid ones change nothing)."""
    prefs = validated(prefs_in)
    values = {
        "tenant_id": _store(),
        "user_id": user_id,
        "kpis": list(prefs.kpis),
        "marketplaces": list(prefs.marketplaces),
        "goals": list(prefs.goals),
        "margin_floor_percent": prefs.margin_floor_percent,
        "report_detail": prefs.report_detail,
        "updated_at": now,
    }
    insert = upsert_insert(uow.session)(IntelPreferences).values(**values)
    await uow.session.execute(
        insert.on_conflict_do_update(
            index_elements=["tenant_id", "user_id"],
            set_={k: insert.excluded[k] for k in values if k not in ("tenant_id", "user_id")},
        )
    )
    return replace(prefs, updated_at=now)


def _from_row(row: IntelPreferences) -> Preferences:
    return Preferences(
        kpis=tuple(row.kpis),
        marketplaces=tuple(row.marketplaces),
        goals=tuple(row.goals),
        margin_floor_percent=None
        if row.margin_floor_percent is None
        else row.margin_floor_percent.quantize(CENT),
        report_detail=row.report_detail,
        updated_at=row.updated_at,
    )


def _store() -> str:
    tenant = context.current_tenant()
    if tenant is None:
        raise TenantContextMissing()
    return tenant


def _unique(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _known(field: str, values: Sequence[str], allowed: Sequence[str]) -> tuple[str, ...]:
    for value in values:
        if value not in allowed:
            raise InvalidPreferences(
                f"{field}: {value!r} is not known; allowed: {', '.join(allowed)}",
                field=field,
                allowed=list(allowed),
            )
    return _unique(values)


def _marketplaces(values: Sequence[str]) -> tuple[str, ...]:
    names = _unique([value.strip().lower() for value in values])
    for name in names:
        if not MARKETPLACE_NAME.match(name):
            raise InvalidPreferences(
                f"marketplaces: {name!r} is not a marketplace name; allowed: {MARKETPLACE_RULE}",
                field="marketplaces",
                allowed=[MARKETPLACE_RULE],
            )
    if len(names) > MAX_MARKETPLACES:
        raise InvalidPreferences(
            f"marketplaces: {len(names)} given; allowed: at most {MAX_MARKETPLACES}",
            field="marketplaces",
            allowed=[f"at most {MAX_MARKETPLACES}"],
        )
    return names


def _floor(value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    exponent = value.as_tuple().exponent
    if (
        not value.is_finite()
        or not 0 <= value <= MAX_FLOOR
        or (isinstance(exponent, int) and exponent < -2)
    ):
        raise InvalidPreferences(
            f"margin_floor_percent: {value} is out of range; allowed: a percentage from 0 "
            f"to {MAX_FLOOR} with at most two decimals, or null",
            field="margin_floor_percent",
            allowed=["0..90", "null"],
        )
    return (value + 0).quantize(CENT)  # + 0: no "-0.00"


def _detail(value: str) -> str:
    if value not in DETAILS:
        raise InvalidPreferences(
            f"report_detail: {value!r} is not known; allowed: {', '.join(DETAILS)}",
            field="report_detail",
            allowed=list(DETAILS),
        )
    return value
