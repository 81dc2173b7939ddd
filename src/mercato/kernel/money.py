"""Exact money (rule 4): `Decimal` amounts rounded by their currency's rules, never floats.

Amounts are stored as integers of 1/10,000 of the unit (`Amount` column type): exact on
SQLite and PostgreSQL alike, comparable and sortable in SQL (price filters and sorting), and
fine enough for every ISO 4217 currency (the most precise use three decimals).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated

from pydantic import PlainSerializer
from sqlalchemy import BigInteger
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

SCALE = 10_000
"""Stored units per currency unit."""

MINOR_UNITS: dict[str, int] = {
    # ISO 4217 currencies whose minor unit is not two decimals; every other code has two.
    "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0,
    "PYG": 0, "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0,
    "XPF": 0,
    "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
}  # fmt: skip


def exponent(currency: str) -> int:
    """Decimal places of the currency's minor unit (USD 2, JPY 0, KWD 3)."""
    return MINOR_UNITS.get(currency.upper(), 2)


def quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-exponent(currency))


def round_money(amount: Decimal, currency: str) -> Decimal:
    """Round half up to the currency's minor unit (what shoppers and tax offices expect)."""
    return amount.quantize(quantum(currency), rounding=ROUND_HALF_UP)


def is_valid_amount(amount: Decimal, currency: str) -> bool:
    """Whether the amount is already expressed in the currency's minor units."""
    return amount == round_money(amount, currency)


class Amount(TypeDecorator[Decimal]):
    """A `Decimal` stored exactly as a BIGINT of 1/10,000 units."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | int | None, dialect: Dialect) -> int | None:
        if value is None:
            return None
        scaled = Decimal(value) * SCALE
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{value} has more than 4 decimal places")
        return int(scaled)

    def process_result_value(self, value: int | None, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return Decimal(int(value)) / SCALE


MoneyStr = Annotated[Decimal, PlainSerializer(lambda d: format(d, "f"), return_type=str)]
"""A Decimal answered as a JSON string ("19.99"), never a float."""
