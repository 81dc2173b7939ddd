"""Product identifiers: GTIN (EAN-8, UPC-A, EAN-13, GTIN-14) with their check digit, and
MPN with brand. A GTIN is compared as GTIN-14 (left-padded with zeros), so a UPC-A and the
EAN-13 with a leading zero are the same product."""

from __future__ import annotations

import re

from mercato.agents.intelligence.ingest.clean.sku import fold

GTIN_LENGTHS = (8, 12, 13, 14)
_SEPARATORS = re.compile(r"[\s.-]")


def check_digit(body: str) -> int:
    """The GS1 check digit of the digits before it (weights 3, 1, … from the right)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def normalize_gtin(raw: str | None) -> str | None:
    """The GTIN-14 of `raw`, or None when it is not a GTIN (wrong length or check digit)."""
    if raw is None:
        return None
    digits = _SEPARATORS.sub("", str(raw))
    if not (digits.isascii() and digits.isdigit()) or len(digits) not in GTIN_LENGTHS:
        return None
    if check_digit(digits[:-1]) != int(digits[-1]):
        return None
    return digits.zfill(14)


def mpn_key(mpn: str | None, brand: str | None) -> str | None:
    """`BRAND|MPN` folded (case, spacing and separators ignored); None without both."""
    if not mpn or not brand:
        return None
    folded_mpn, folded_brand = fold(mpn), fold(brand)
    if not folded_mpn or not folded_brand:
        return None
    return f"{folded_brand}|{folded_mpn}"
