"""Discount codes: the admin's CRUD, whether a code may be applied to a cart, what an
applied code is worth now (EC014: one that expired since is not), and redeeming a code at
checkout (one conditional UPDATE, so a usage limit is never exceeded under concurrency)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table, bindparam, or_, select, update
from sqlalchemy.exc import IntegrityError

from mercato.agents.cart.models import DiscountCode
from mercato.agents.cart.pricing import Discount
from mercato.agents.cart.problems import (
    DiscountCodeExhausted,
    DiscountCodeExists,
    DiscountCodeExpired,
    DiscountCodeInactive,
    DiscountCodeNotFound,
    DiscountCodeNotStarted,
    DiscountCurrencyMismatch,
    InvalidAmount,
    InvalidDiscountCode,
)
from mercato.agents.cart.statuses import DiscountKind
from mercato.kernel.db import UnitOfWork
from mercato.kernel.errors import Problem
from mercato.kernel.ids import new_id
from mercato.kernel.money import is_valid_amount
from mercato.kernel.prepared import Prepared
from mercato.kernel.store_sql import in_store

REMOVED_WHEN_DEAD = frozenset(
    {
        "discount_code_not_found",
        "discount_code_inactive",
        "discount_code_expired",
        "discount_code_exhausted",
        "discount_currency_mismatch",
    }
)
"""Problems of an applied code that will not go away: the code is taken off the cart at its
next write or validation. A code not started yet, or whose minimum is not met, stays (it may
apply later) but is not counted."""


def normalize(code: str) -> str:
    """Codes are case-insensitive: stored and looked up upper-case."""
    return code.strip().upper()


@dataclass(frozen=True)
class CodeSpec:
    """The fields of a discount code an admin sets (None: not given, for updates)."""

    kind: DiscountKind | None = None
    value: Decimal | None = None
    min_subtotal: Decimal | None = None
    starts_at: datetime | None = None
    expires_at: datetime | None = None
    usage_limit: int | None = None
    active: bool | None = None


@dataclass(frozen=True, slots=True)
class CodeTerms:
    """A discount code's terms as a cart reads them (what `dead_reason` judges)."""

    code: str
    kind: DiscountKind
    value: Decimal
    currency: str | None
    min_subtotal: Decimal | None
    starts_at: datetime | None
    expires_at: datetime | None
    usage_limit: int | None
    times_used: int
    active: bool


async def find(uow: UnitOfWork, code: str) -> CodeTerms | None:
    found = await _TERMS.first(uow, code=normalize(code))
    return None if found is None else CodeTerms(*found)


def _check(row: DiscountCode, currency: str) -> None:
    if row.kind == DiscountKind.PERCENT and not Decimal(0) < row.value <= Decimal(100):
        raise InvalidDiscountCode("a percent code's value is more than 0 and at most 100")
    if row.kind == DiscountKind.FIXED:
        if row.value <= 0:
            raise InvalidDiscountCode("a fixed code's value is more than 0")
        if not is_valid_amount(row.value, currency):
            raise InvalidAmount(f"{row.value} has more decimals than {currency} has")
    if row.min_subtotal is not None and (
        row.min_subtotal < 0 or not is_valid_amount(row.min_subtotal, currency)
    ):
        raise InvalidAmount(f"min_subtotal {row.min_subtotal} is not an amount of {currency}")
    if row.starts_at and row.expires_at and row.expires_at <= row.starts_at:
        raise InvalidDiscountCode("expires_at is after starts_at")


async def create_code(
    uow: UnitOfWork, *, code: str, spec: CodeSpec, currency: str, now: datetime
) -> DiscountCode:
    """A new code; fixed values and minimums are amounts of the store's `currency`."""
    if spec.kind is None or spec.value is None:
        raise InvalidDiscountCode("a code has a kind and a value")
    row = DiscountCode(
        id=new_id(),
        code=normalize(code),
        kind=spec.kind,
        value=spec.value,
        currency=currency,
        min_subtotal=spec.min_subtotal,
        starts_at=spec.starts_at,
        expires_at=spec.expires_at,
        usage_limit=spec.usage_limit,
        times_used=0,
        active=True if spec.active is None else spec.active,
        created_at=now,
    )
    _check(row, currency)
    if await find(uow, code) is not None:
        raise DiscountCodeExists(f"the code {row.code} exists")
    try:
        async with uow.session.begin_nested():
            uow.session.add(row)
    except IntegrityError:  # a concurrent admin made the same code first
        raise DiscountCodeExists(f"the code {row.code} exists") from None
    return row


async def list_codes(
    uow: UnitOfWork, *, after: str | None = None, limit: int | None = None
) -> list[DiscountCode]:
    """The store's codes in alphabetical order, those after the code `after`."""
    query = select(DiscountCode).order_by(DiscountCode.code)
    if after is not None:
        query = query.where(DiscountCode.code > after)
    return list(await uow.session.scalars(query if limit is None else query.limit(limit)))


async def update_code(uow: UnitOfWork, *, code_id: str, changes: dict[str, Any]) -> DiscountCode:
    """Change the given fields (`changes` holds only what the admin sent; None clears an
    optional field)."""
    row = await uow.session.get(DiscountCode, code_id)
    if row is None:
        raise DiscountCodeNotFound(f"no discount code {code_id!r}")
    for name, value in changes.items():
        if name in {"kind", "value", "active"} and value is None:
            raise InvalidDiscountCode(f"{name} cannot be cleared")
        setattr(row, name, value)
    _check(row, row.currency or "")
    return row


def dead_reason(
    row: CodeTerms | DiscountCode | None, *, now: datetime, currency: str
) -> str | None:
    """Why an applied code gives nothing now (its problem code), or None if it is good."""
    if row is None:
        return "discount_code_not_found"
    if not row.active:
        return "discount_code_inactive"
    if row.starts_at is not None and now < row.starts_at:
        return "discount_code_not_started"
    if row.expires_at is not None and now >= row.expires_at:
        return "discount_code_expired"
    if row.usage_limit is not None and row.times_used >= row.usage_limit:
        return "discount_code_exhausted"
    amounts_in_currency = row.kind == DiscountKind.FIXED or row.min_subtotal is not None
    if amounts_in_currency and row.currency != currency:  # never compare across currencies
        return "discount_currency_mismatch"
    return None


_REFUSALS: dict[str, type[Problem]] = {
    "discount_code_not_found": DiscountCodeNotFound,
    "discount_code_inactive": DiscountCodeInactive,
    "discount_code_not_started": DiscountCodeNotStarted,
    "discount_code_expired": DiscountCodeExpired,
    "discount_code_exhausted": DiscountCodeExhausted,
    "discount_currency_mismatch": DiscountCurrencyMismatch,
}

DETAILS = {
    "discount_code_not_found": "there is no discount code {code}",
    "discount_code_inactive": "the code {code} is no longer valid",
    "discount_code_not_started": "the code {code} is not valid yet",
    "discount_code_expired": "the code {code} has expired",
    "discount_code_exhausted": "the code {code} was used up",
    "discount_currency_mismatch": "the code {code} is for another currency",
    "discount_minimum_not_met": "the code {code} needs a subtotal of at least {minimum}",
}


def refuse(reason: str, code: str) -> Problem:
    return _REFUSALS[reason](DETAILS[reason].format(code=normalize(code)))


def as_discount(row: CodeTerms | DiscountCode) -> Discount:
    return Discount(kind=row.kind, value=row.value, min_subtotal=row.min_subtotal)


async def redeem_code(uow: UnitOfWork, *, code: str, now: datetime) -> DiscountCode:
    """Count one use of `code` (checkout). One conditional UPDATE: under any concurrency a
    code with a usage limit is never used more often than its limit; the loser gets
    `discount_code_exhausted` (or why else the code cannot be used now)."""
    wanted = normalize(code)
    result = await uow.session.execute(
        update(DiscountCode)
        .where(
            DiscountCode.code == wanted,
            DiscountCode.active.is_(True),
            or_(DiscountCode.starts_at.is_(None), DiscountCode.starts_at <= now),
            or_(DiscountCode.expires_at.is_(None), DiscountCode.expires_at > now),
            or_(
                DiscountCode.usage_limit.is_(None),
                DiscountCode.times_used < DiscountCode.usage_limit,
            ),
        )
        .values(times_used=DiscountCode.times_used + 1)
        .execution_options(synchronize_session=False)
    )
    row = await uow.session.scalar(
        select(DiscountCode)
        .where(DiscountCode.code == wanted)
        .execution_options(populate_existing=True)
    )
    if getattr(result, "rowcount", 0) == 1 and row is not None:
        return row
    reason = dead_reason(row, now=now, currency=(row.currency or "") if row else "")
    raise refuse(reason or "discount_code_exhausted", wanted)


_CODES = cast(Table, DiscountCode.__table__)
_TERMS = Prepared(
    in_store(
        select(*(_CODES.c[name] for name in CodeTerms.__dataclass_fields__)).where(
            _CODES.c.code == bindparam("code")
        )
    )
)
