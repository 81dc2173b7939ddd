"""Promotions read from a competitor's offer text or markup, with their terms (seed 001,
property 13): percent off, amount off, buy X get Y, bundles, free shipping and coupon codes,
with a minimum spend, a start and an end when the text states them. Written for how shops
phrase offers ("Save 20%", "-15%", "£5 off orders over £40", "BOGO 50% off", "3 for 2",
"2 for $30", "Free UK delivery on orders over £25", "Use code SPRING10 at checkout", "ends
Sunday"), and a few loanwords ("versandkostenfrei", "20 % Rabatt"). A text with none of them
gives none."""

from __future__ import annotations

import calendar
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from bs4 import BeautifulSoup

from mercato.agents.intelligence.pricing.money_text import Money, money_of, money_pattern
from mercato.agents.intelligence.pricing.promo_dates import Period, period
from mercato.kernel.money import round_money

Terms = dict[str, str | int | bool]
KINDS = ("percent_off", "amount_off", "buy_x_get_y", "bundle", "free_shipping", "coupon")
REQUIRED: dict[str, tuple[str, ...]] = {
    "percent_off": ("percent",),
    "amount_off": ("amount", "currency"),
    "buy_x_get_y": ("buy", "get", "get_discount_percent"),
    "bundle": (),
    "free_shipping": ("shipping",),
    "coupon": ("code",),
}
"""The terms each kind always carries (a bundle its `price` and `currency`, or its `percent`;
its `quantity` when stated)."""


@dataclass(frozen=True)
class Promotion:
    kind: str
    terms: Terms
    text: str
    """The words it was read from."""


@dataclass
class _Sentence:
    text: str
    work: str = field(init=False)
    """The text with what was already read blanked out (kept the same length)."""

    def __post_init__(self) -> None:
        self.work = self.text

    def take(self, found: re.Match[str]) -> str:
        start, end = found.span()
        self.work = self.work[:start] + " " * (end - start) + self.work[end:]
        return self.text[start:end].strip()


_NUM_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
              "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}  # fmt: skip
NUM = r"(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|an?)"
PCT = r"(?P<pct>100|\d{1,2}(?:[.,]\d{1,2})?)\s?(?:%|percent\b|per\s+cent\b|pct\b)"
_M = money_pattern
_I = re.I

MIN_SPEND = [
    re.compile(
        r"\b(?:on\s+|for\s+|with\s+)?(?:all\s+|any\s+)?(?:orders?|purchases?|baskets?|carts?|"
        r"spends?)\s+(?:of\s+|over\s+|above\s+|from\s+|exceeding\s+)(?:at\s+least\s+|more\s+"
        rf"than\s+)?{_M('m')}(?:\s*\+|\s+or\s+more)?", _I),
    re.compile(r"\bwhen\s+you\s+(?:spend|buy|order)\s+(?:over\s+|at\s+least\s+|more\s+than\s+|"
               rf"above\s+)?{_M('m')}(?:\s*\+|\s+or\s+more)?", _I),
    re.compile(r"\bmin(?:imum|\.)?\s*(?:spend|order|purchase|basket)(?:\s+(?:value|amount))?"
               rf"\s*(?:of|:)?\s*{_M('m')}", _I),
    re.compile(rf"\b(?:orders?|purchases?)\s+{_M('m')}\s*\+", _I),
    re.compile(rf"\bspend\s+(?:over\s+|at\s+least\s+|more\s+than\s+)?{_M('m')}(?:\s*\+|\s+or\s+"
               r"more)?", _I),
    re.compile(rf"\b(?:over|above)\s+{_M('m')}", _I),
]  # fmt: skip
_CODE = r"\s*[:\-]?\s*[\"'\u201c\u2018\u00ab]?(?P<code>[A-Za-z0-9][A-Za-z0-9_-]{2,24})"
COUPON = [
    re.compile(r"\b(?:(?:use|using|enter|apply|redeem|with)\s+(?:the\s+)?(?:promo(?:tional)?\s+|"
               r"coupon\s+|discount\s+|voucher\s+|offer\s+)?code|(?:promo(?:tional)?|coupon|"
               rf"discount|voucher|offer)\s+code){_CODE}", _I),
    re.compile(rf"(?:^|[(\[])\s*code\s*[:\-]{_CODE}", _I),
    re.compile(rf"\b(?:coupon|voucher)\s*[:\-]{_CODE}", _I),
]  # fmt: skip
_ORD = r"(?P<ord>\d(?:st|nd|rd|th)|second|third|fourth|fifth)"
_DEAL = (r"(?P<deal>free|for\s+free|(?:at\s+)?(?P<gpct>100|\d{1,2})\s?%\s?off|half[- ]price|"
         r"half\s+off|for\s+(?:a\s+)?penny|for\s+1p)")  # fmt: skip
BUY_GET = [
    re.compile(rf"\bbuy\s+(?P<buy>{NUM})(?:\s+items?)?\s*(?:,|and|&|\+)?\s*(?:get|receive)\s+"
               rf"(?:(?:the\s+)?{_ORD}|(?P<get>{NUM}))(?:\s+(?:more|items?|one))?\s+{_DEAL}", _I),
    re.compile(rf"\bget\s+(?P<get>{NUM})\s+{_DEAL}\s+when\s+you\s+buy\s+(?P<buy>{NUM})", _I),
    re.compile(r"\bbogof?\b(?:\s*[:\-]?\s*(?P<gpct>100|\d{1,2})\s?%\s?off|\s+(?P<deal>free))?",
               _I),
    re.compile(r"\b(?P<x>\d)\s+for\s+(?P<y>\d)\b(?!\s*(?:[.,]\d|%|[$€£¥]|usd|eur|gbp))", _I),
]  # fmt: skip
BUNDLE = [
    re.compile(rf"\b(?:buy\s+|any\s+)?(?P<qty>{NUM})\s+(?:items?\s+|pieces?\s+|pcs\s+|pairs?\s+)?"
               rf"(?:for|at)\s+(?:only\s+|just\s+)?{_M('b')}", _I),
    re.compile(r"\b(?:bundle|multi-?buy|multipack|set)\s+(?:of\s+(?P<qty>\d{1,2})\s+)?(?:for|"
               rf"at)\s+(?:only\s+|just\s+)?{_M('b')}", _I),
    re.compile(r"\b(?:bundle|buy\s+(?P<qty>\d{1,2})\s+or\s+more)\s*(?:&|and)\s*save\s+(?:up\s+"
               rf"to\s+)?{PCT}", _I),
]  # fmt: skip
FREE_SHIPPING = [
    re.compile(r"\bfree\s+(?P<service>standard\s+|express\s+|next[- ]day\s+|2[- ]day\s+|"
               r"tracked\s+|uk\s+|us\s+|eu\s+|ground\s+|economy\s+|home\s+)?(?:shipping|delivery|"
               r"postage|p\s?&\s?p|s\s?&\s?h)\b", _I),
    re.compile(r"\bships?\s+(?:for\s+)?free\b|\b(?:shipping|delivery|postage)\s+(?:is\s+)?"
               r"(?:free|on\s+us)\b|\bfree\s+ship\b|\b(?:zero|no)\s+(?:shipping|delivery)\s+"
               r"(?:fees?|costs?|charges?)\b", _I),
    re.compile(r"\b(?:kostenlose[rn]?\s+versand|versandkostenfrei|livraison\s+(?:offerte|"
               r"gratuite)|env[ií]o\s+gratis|spedizione\s+gratuita|gratis\s+verzending)\b", _I),
]  # fmt: skip
_OFF = r"(?:off|discount|reduction|savings?|korting|rabatt|de\s+descuento|de\s+r[ée]duction|sconto)"
PERCENT = [
    re.compile(rf"(?P<upto>up\s+to\s+)?(?:an?\s+)?(?:extra\s+|additional\s+|further\s+)?{PCT}"
               rf"\s*{_OFF}\b", _I),
    re.compile(r"\b(?:save|take|get|enjoy|receive|extra|additional)\s+(?P<upto>up\s+to\s+)?"
               rf"(?:an?\s+)?(?:extra\s+|additional\s+)?{PCT}", _I),
    re.compile(rf"(?<![\w.,])[-\u2212\u2013]\s?{PCT}", _I),
    re.compile(r"\b(?P<half>half[- ]price|half\s+off)\b", _I),
]  # fmt: skip
AMOUNT = [
    re.compile(rf"(?P<upto>up\s+to\s+)?{_M('a')}\s+{_OFF}\b", _I),
    re.compile(r"\b(?:save|take|get|enjoy|receive|extra)\s+(?P<upto>up\s+to\s+)?(?:an?\s+)?"
               rf"(?:extra\s+|additional\s+)?{_M('a')}", _I),
    re.compile(rf"(?<![\w.,])[-\u2212\u2013]\s?{_M('a')}", _I),
]  # fmt: skip
_BREAK = re.compile(r"[!?;|•·\n\r]+|\.(?:\s+|$)")
_ABBREVIATIONS = {m.lower() for m in calendar.month_abbr if m} | {
    "sept", "min", "max", "no", "approx", "incl", "excl", "ca", "vs", "eg", "ie", "st", "nr",
}  # fmt: skip
"""Words whose full stop ends no sentence ("through Jan. 5", "Min. spend €30")."""


def sentences(text: str) -> list[str]:
    parts, start = [], 0
    for found in _BREAK.finditer(text):
        if found.group(0).startswith("."):
            before = text[start : found.start()]
            word = re.search(r"(\w+)$", before)
            dated = re.search(r"\d(?:st|nd|rd|th)?\s+\w+$", before)  # "1 Jan." is whole
            if word and word.group(1).lower() in _ABBREVIATIONS and not dated:
                continue
        parts.append(text[start : found.start()])
        start = found.end()
    parts.append(text[start:])
    return [part.strip() for part in parts if part.strip()]


def plain_text(text: str) -> str:
    """Markup's words (scripts and styles dropped), entities decoded, spaces collapsed."""
    if "<" in text and ">" in text:
        soup = BeautifulSoup(text, "html.parser")
        for tag in soup(["script", "style"]):
            tag.decompose()
        text = soup.get_text(" ")
    return re.sub(r"[ \t\u00a0]+", " ", html.unescape(text)).strip()


def extract(text: str, *, seen: date, currency: str) -> list[Promotion]:
    """The promotions of `text` (an offer seen on `seen`, priced in `currency`), in the order
    they appear; each with its terms, the sentence's minimum spend and code, and the dates
    of its sentence (else of the whole text)."""
    plain = plain_text(text)
    if not plain:
        return []
    day_first = currency.upper() not in {"USD"}
    overall = period(plain, seen, day_first=day_first)
    found: list[Promotion] = []
    loose_spend: Terms = {}
    for part in sentences(plain):
        sentence = _Sentence(part)
        if not sentence.text:
            continue
        dates = period(sentence.text, seen, day_first=day_first)
        if dates.starts is None and dates.ends is None:
            dates = overall
        shared: Terms = {}
        for pattern in MIN_SPEND:
            if (match := pattern.search(sentence.work)) and (m := money_of(match, "m", currency)):
                sentence.take(match)
                shared |= {"min_spend": _amount(m), "min_spend_currency": m.currency}
                break
        codes = _codes(sentence)
        promotions = _offers(sentence, currency)
        if shared and not promotions and not codes:
            loose_spend = loose_spend or shared  # "Free delivery. Min. spend €30"
        for kind, terms, words in promotions:
            extra = {"code": codes[0]} if codes and kind != "coupon" else {}
            found.append(Promotion(kind, {**terms, **shared, **extra, **_dated(dates)}, words))
        for code in codes:
            found.append(Promotion("coupon", {"code": code, **shared, **_dated(dates)}, code))
    if loose_spend:
        found = [
            p if "min_spend" in p.terms else Promotion(p.kind, {**p.terms, **loose_spend}, p.text)
            for p in found
        ]
    unique: dict[tuple[str, str], Promotion] = {}
    for promotion in found:
        unique.setdefault((promotion.kind, repr(sorted(promotion.terms.items()))), promotion)
    return list(unique.values())


def _dated(dates: Period) -> Terms:
    starts, ends = dates.starts, dates.ends
    return {
        **({"starts": starts.isoformat()} if starts else {}),
        **({"ends": ends.isoformat()} if ends else {}),
    }


def _codes(sentence: _Sentence) -> list[str]:
    codes: list[str] = []
    for pattern in COUPON:
        for match in pattern.finditer(sentence.work):
            code = match["code"]
            if any(c.isdigit() for c in code) or (code.isupper() and len(code) >= 4):
                sentence.take(match)
                codes.append(code.upper())
    return codes


Found = tuple[str, Terms, str]


def _offers(sentence: _Sentence, currency: str) -> list[Found]:
    """Every offer of the sentence, the most specific kinds read first (a "buy one get one
    50% off" is not also a "50% off"), in the order they appear."""
    located: list[tuple[int, Found]] = []
    readers: list[tuple[list[re.Pattern[str]], Callable[[re.Match[str], str], Terms | None], str]]
    readers = [
        (BUY_GET, _buy_get, "buy_x_get_y"),
        (BUNDLE, _bundle, "bundle"),
        (FREE_SHIPPING, _free_shipping, "free_shipping"),
        (PERCENT, _percent, "percent_off"),
        (AMOUNT, _amount_off, "amount_off"),
    ]
    for patterns, read, kind in readers:
        for pattern in patterns:
            for match in list(pattern.finditer(sentence.work)):
                if sentence.work[match.start() : match.end()].strip() != match.group(0).strip():
                    continue  # a part of it was read already
                terms = read(match, currency)
                if terms is not None:
                    start = match.start()
                    located.append((start, (kind, terms, sentence.take(match))))
    return [item for _, item in sorted(located, key=lambda pair: pair[0])]


def _count(word: str | None) -> int | None:
    if word is None:
        return None
    word = word.lower()
    return int(word) if word.isdigit() else _NUM_WORDS.get(word)


def _number(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def _text_of(number: Decimal) -> str:
    return (
        format(number.normalize(), "f") if number == number.to_integral() else format(number, "f")
    )


def _amount(money: Money) -> str:
    return format(round_money(money.amount, money.currency), "f")


def _buy_get(match: re.Match[str], _currency: str) -> Terms | None:
    groups = match.groupdict()
    if groups.get("x"):  # "3 for 2": buy 2, the third free
        x, y = int(groups["x"]), int(groups["y"])
        if not x > y >= 1:
            return None
        return {"buy": y, "get": x - y, "get_discount_percent": "100"}
    buy = _count(groups.get("buy")) or 1
    get = 1 if groups.get("ord") else (_count(groups.get("get")) or 1)
    deal = (groups.get("deal") or "").lower()
    if groups.get("gpct"):
        percent = groups["gpct"]
    elif "half" in deal:
        percent = "50"
    elif "penny" in deal or "1p" in deal:
        percent = "99"
    else:
        percent = "100"
    if not 0 < int(percent) <= 100 or buy < 1 or get < 1:
        return None
    return {"buy": buy, "get": get, "get_discount_percent": percent}


def _bundle(match: re.Match[str], currency: str) -> Terms | None:
    groups = match.groupdict()
    quantity = _count(groups.get("qty"))
    if quantity is not None and quantity < 2:
        return None
    counted: Terms = {"quantity": quantity} if quantity else {}
    if groups.get("pct"):
        percent = _number(groups["pct"])
        return {**counted, "percent": _text_of(percent)} if 0 < percent <= 100 else None
    money = money_of(match, "b", currency)
    if money is None or money.amount <= 0:
        return None
    return {**counted, "price": _amount(money), "currency": money.currency}


def _free_shipping(match: re.Match[str], _currency: str) -> Terms | None:
    service = (match.groupdict().get("service") or "").strip().lower()
    return {"shipping": "free", **({"service": service} if service else {})}


def _percent(match: re.Match[str], _currency: str) -> Terms | None:
    groups = match.groupdict()
    percent = Decimal(50) if groups.get("half") else _number(groups["pct"])
    if not 0 < percent <= 100:
        return None
    return {"percent": _text_of(percent), **({"up_to": True} if groups.get("upto") else {})}


def _amount_off(match: re.Match[str], currency: str) -> Terms | None:
    money = money_of(match, "a", currency)
    if money is None or money.amount <= 0:
        return None
    terms: Terms = {"amount": _amount(money), "currency": money.currency}
    return terms | ({"up_to": True} if match.groupdict().get("upto") else {})
