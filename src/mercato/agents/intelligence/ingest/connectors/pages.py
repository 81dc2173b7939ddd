"""What a competitor's product page says: from its schema.org JSON-LD (`Product` with an
`Offer` or `AggregateOffer`), else from CSS selectors configured for the site. Parsed with
Beautiful Soup on the standard library's `html.parser`."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from bs4 import BeautifulSoup

AVAILABILITY = {
    "instock": "in_stock",
    "instoreonly": "in_stock",
    "onlineonly": "in_stock",
    "outofstock": "out_of_stock",
    "soldout": "out_of_stock",
    "discontinued": "out_of_stock",
    "preorder": "preorder",
    "presale": "preorder",
    "backorder": "preorder",
    "limitedavailability": "limited",
}
_GTIN_KEYS = ("gtin14", "gtin13", "gtin12", "gtin8", "gtin", "isbn")
_NUMBER = re.compile(r"\d[\d.,\s']*")


def availability(value: Any) -> str:
    text = str(value or "").rsplit("/", 1)[-1].replace(" ", "").lower()
    return AVAILABILITY.get(text, "unknown")


def parse_price(text: Any) -> Decimal | None:
    """A price as written on a page: `1,299.00`, `1.299,00`, `€ 12`, `12.5`."""
    if text is None:
        return None
    found = _NUMBER.search(str(text))
    if not found:
        return None
    number = re.sub(r"[\s']", "", found.group()).rstrip(".,")
    if "," in number and "." in number:
        decimal_mark = "," if number.rfind(",") > number.rfind(".") else "."
    elif "," in number:
        decimal_mark = "," if len(number) - number.rfind(",") - 1 in (1, 2) else "."
    else:
        decimal_mark = "."
    thousands = "." if decimal_mark == "," else ","
    number = number.replace(thousands, "").replace(decimal_mark, ".")
    try:
        return Decimal(number)
    except InvalidOperation:
        return None


def _nodes(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _nodes(item)
    elif isinstance(data, dict):
        yield data
        yield from _nodes(data.get("@graph"))


def _is(node: Mapping[str, Any], kind: str) -> bool:
    types = node.get("@type")
    return kind in (types if isinstance(types, list) else [types])


def _text(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("name")
    return str(value).strip() or None if value not in (None, "") else None


def from_json_ld(soup: BeautifulSoup) -> dict[str, Any] | None:
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            data = json.loads(script.get_text() or "null", parse_float=Decimal)
        except ValueError:
            continue
        for node in _nodes(data):
            if _is(node, "Product"):
                return _product(node)
    return None


def _product(node: Mapping[str, Any]) -> dict[str, Any]:
    offers = node.get("offers")
    offer = (offers[0] if offers else {}) if isinstance(offers, list) else (offers or {})
    if _is(offer, "AggregateOffer"):
        price = offer.get("lowPrice", offer.get("price"))
    else:
        price = offer.get("price")
        spec = offer.get("priceSpecification")
        if price is None and isinstance(spec, dict):
            price = spec.get("price")
    gtin = next((node[k] for k in _GTIN_KEYS if node.get(k)), None)
    return {
        "title": _text(node.get("name")),
        "brand": _text(node.get("brand")),
        "sku": _text(node.get("sku")),
        "mpn": _text(node.get("mpn")),
        "gtin": _text(gtin),
        "price": parse_price(price) if not isinstance(price, Decimal | int) else Decimal(price),
        "currency": _text(offer.get("priceCurrency")),
        "availability": availability(offer.get("availability")),
        "promotion": _text(offer.get("description")),
    }


def from_selectors(soup: BeautifulSoup, selectors: Mapping[str, str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name, selector in selectors.items():
        element = soup.select_one(selector)
        if element is None:
            continue
        value = element.get("content") or element.get_text(" ", strip=True)
        found[name] = str(value).strip() or None
    if "price" in found:
        found["price"] = parse_price(found["price"])
    if "availability" in found:
        found["availability"] = availability(found["availability"])
    return found


def extract(html: str, selectors: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The page's offer fields; selectors fill what the JSON-LD lacks (or all of it)."""
    soup = BeautifulSoup(html, "html.parser")
    found = from_json_ld(soup) or {}
    for name, value in from_selectors(soup, selectors or {}).items():
        if found.get(name) in (None, "unknown"):
            found[name] = value
    return found
