"""SKU normalisation per source format (seed 001, property 4).

The rules, in order:
1. Unicode is folded to ASCII (NFKD, accents dropped), letters are upper-cased, and every
   character that is not a letter or a digit (spaces, `-`, `_`, `.`, `/`, `:`, `#`, …) is
   removed: `ab-12 3`, `AB_123` and ` ab.123 ` are all `AB123`.
2. The result is namespaced, so identifiers of different kinds never collide: an Amazon
   ASIN (`B0` and eight letters or digits, from an `amazon` source) is `ASIN:B0…`; anything
   else is a seller SKU, `SKU:…`.
3. Marketplace prefixes that sellers put in front of their own SKU are dropped for that
   marketplace only: `FBA` and `AMZ` for `amazon` (`FBA-ABC1` → `SKU:ABC1`).
4. Shopify variant SKUs are the variant's own (a product's variants each carry one) and are
   kept whole, size and colour suffixes included: two variants never share an identifier.
5. An already normalised value (`SKU:…`, `ASIN:…`) is returned as it is, so normalising
   twice changes nothing.
A value with no letter or digit is refused (`ValueError`)."""

from __future__ import annotations

import re
import unicodedata

NAMESPACES = ("SKU", "ASIN")
MARKETPLACE_PREFIXES: dict[str, tuple[str, ...]] = {"amazon": ("FBA", "AMZ")}
_ASIN = re.compile(r"B0[0-9A-Z]{8}")
_NOT_ALNUM = re.compile(r"[^0-9A-Z]")


def fold(text: str) -> str:
    """Rule 1: ASCII letters and digits, upper case, nothing else."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NOT_ALNUM.sub("", ascii_text.upper())


def normalize_sku(raw: str, source_format: str = "generic") -> str:
    """The canonical identifier of `raw` as written by a source of `source_format`
    (`generic`, `shopify`, `mercato`, `amazon`, `competitor`)."""
    stripped = raw.strip()
    for namespace in NAMESPACES:
        if stripped.upper().startswith(f"{namespace}:"):
            body = fold(stripped[len(namespace) + 1 :])
            if not body:
                raise ValueError(f"no letter or digit in SKU {raw!r}")
            return f"{namespace}:{body}"
    body = fold(stripped)
    if not body:
        raise ValueError(f"no letter or digit in SKU {raw!r}")
    if source_format == "amazon":
        if _ASIN.fullmatch(body):
            return f"ASIN:{body}"
        for prefix in MARKETPLACE_PREFIXES["amazon"]:
            if body.startswith(prefix) and len(body) > len(prefix):
                body = body[len(prefix) :]
                break
    return f"SKU:{body}"
