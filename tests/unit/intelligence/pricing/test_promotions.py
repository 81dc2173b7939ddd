"""Promotions read from offer texts (seed 001, property 13): each recognised promotion
carries its kind and its terms, whatever the phrasing among those shops use, with the
minimum spend and the dates its sentence states; a text with no promotion gives none."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mercato.agents.intelligence.pricing.promotions import KINDS, REQUIRED, Promotion, extract
from mercato.kernel.money import round_money

PROPERTY = settings(max_examples=100, deadline=None)
SEEN = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))
NEUTRAL = [
    "soft",
    "organic",
    "cotton",
    "shirt",
    "in",
    "navy",
    "blue",
    "with",
    "a",
    "classic",
    "fit",
    "and",
    "a",
    "button",
    "collar",
    "made",
    "in",
    "Portugal",
    "machine",
    "washable",
    "at",
    "low",
    "temperature",
    "size",
    "medium",
    "colour",
    "charcoal",
    "grey",
    "lined",
    "hood",
    "two",
    "pockets",
    "recycled",
    "polyester",
    "water",
    "resistant",
    "shell",
    "lightweight",
    "everyday",
    "jacket",
]
WORDS = {1: "one", 2: "two", 3: "three", 4: "four"}


@dataclass(frozen=True)
class Spec:
    kind: str
    terms: dict[str, str | int | bool]
    text: str


def money_text(amount: Decimal, currency: str, style: int) -> str:
    plain = format(amount, "f")
    whole = format(amount.normalize(), "f") if amount == amount.to_integral() else plain
    forms = {
        "USD": [f"${whole}", f"{plain} USD", f"USD {plain}"],
        "EUR": [f"€{plain}", f"{whole} €", f"{plain.replace('.', ',')} €", f"EUR {plain}"],
        "GBP": [f"£{whole}", f"{plain} GBP", f"£{plain}"],
    }[currency]
    return forms[style % len(forms)]


amounts = st.integers(min_value=100, max_value=99_999).map(lambda c: Decimal(c) / 100)
currencies = st.sampled_from(["USD", "EUR", "GBP"])


@st.composite
def specs(draw: st.DrawFn) -> Spec:
    kind = draw(st.sampled_from(KINDS))
    style = draw(st.integers(min_value=0, max_value=20))
    if kind == "percent_off":
        percent = draw(st.integers(min_value=1, max_value=95))
        forms = [f"{percent}% off", f"Save {percent}%", f"{percent} % discount",
                 f"-{percent}%", f"Take an extra {percent}% off", f"get {percent} percent off",
                 f"{percent}% Rabatt"]  # fmt: skip
        if draw(st.booleans()):
            return Spec(kind, {"percent": str(percent), "up_to": True}, f"Up to {percent}% off")
        return Spec(kind, {"percent": str(percent)}, forms[style % len(forms)])
    if kind == "amount_off":
        amount, currency = draw(amounts), draw(currencies)
        money = money_text(amount, currency, style)
        forms = [f"{money} off", f"Save {money}", f"Get {money} off", f"Take an extra {money} off"]
        terms = {"amount": format(round_money(amount, currency), "f"), "currency": currency}
        return Spec(kind, terms, forms[style % len(forms)])  # type: ignore[arg-type]
    if kind == "buy_x_get_y":
        buy, get = draw(st.integers(1, 4)), draw(st.integers(1, 3))
        percent = draw(st.sampled_from([100, 50, 25]))
        deal = "free" if percent == 100 else f"{percent}% off"
        forms = [f"Buy {buy} get {get} {deal}", f"buy {WORDS[buy]}, get {WORDS[get]} {deal}",
                 f"Buy {buy} and get {get} {deal}"]  # fmt: skip
        if percent == 100 and style % 3 == 0:
            forms = [f"{buy + get} for {buy}"]
        if buy == get == 1 and style % 2:
            forms = ["BOGO" if percent == 100 else f"BOGO {percent}% off"]
        terms = {"buy": buy, "get": get, "get_discount_percent": str(percent)}
        return Spec(kind, terms, forms[style % len(forms)])  # type: ignore[arg-type]
    if kind == "bundle":
        quantity, amount, currency = draw(st.integers(2, 6)), draw(amounts), draw(currencies)
        money = money_text(amount, currency, style)
        forms = [f"{quantity} for {money}", f"Any {quantity} for {money}",
                 f"Buy {quantity} for {money}", f"{quantity} for just {money}"]  # fmt: skip
        price = format(round_money(amount, currency), "f")
        terms = {"quantity": quantity, "price": price, "currency": currency}
        return Spec(kind, terms, forms[style % len(forms)])  # type: ignore[arg-type]
    if kind == "free_shipping":
        forms = ["Free shipping", "FREE delivery", "Ships free", "free postage",
                 "versandkostenfrei", "Delivery is free"]  # fmt: skip
        if style % 5 == 0:
            return Spec(kind, {"shipping": "free", "service": "express"}, "Free express delivery")
        return Spec(kind, {"shipping": "free"}, forms[style % len(forms)])
    letters = draw(st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ", min_size=3, max_size=8))
    code = f"{letters}{draw(st.integers(1, 99))}"
    forms = [f"Use code {code}", f"Promo code: {code}", f"with coupon code {code}",
             f"Enter code {code} at checkout", f"apply voucher code {code.lower()}"]  # fmt: skip
    return Spec("coupon", {"code": code}, forms[style % len(forms)])


@st.composite
def conditions(draw: st.DrawFn, seen: date) -> tuple[str, dict[str, str]]:
    """What a sentence may add: a minimum spend, an end date (and their terms)."""
    text, terms = "", {}
    if draw(st.booleans()):
        amount, currency = draw(amounts), draw(currencies)
        money = money_text(amount, currency, draw(st.integers(0, 5)))
        text += draw(st.sampled_from([f" on orders over {money}",
                                      f" when you spend {money} or more",
                                      f" (min. spend {money})"]))  # fmt: skip
        terms |= {
            "min_spend": format(round_money(amount, currency), "f"),
            "min_spend_currency": currency,
        }
    form = draw(st.integers(0, 3))
    if form == 1:
        day, month = draw(st.integers(1, 28)), draw(st.integers(1, 12))
        ends = date(seen.year, month, day)
        ends = ends if ends >= seen else date(seen.year + 1, month, day)
        text += f" until {day} {calendar.month_abbr[month]}"
        terms["ends"] = ends.isoformat()
    elif form == 2:
        weekday = draw(st.integers(0, 6))
        text += f" ends {calendar.day_name[weekday]}"
        terms["ends"] = (seen + timedelta(days=(weekday - seen.weekday()) % 7)).isoformat()
    elif form == 3:
        ends = seen + timedelta(days=draw(st.integers(0, 90)))
        text += f", offer ends {ends.isoformat()}"
        terms["ends"] = ends.isoformat()
    return text, terms


noise = st.lists(st.sampled_from(NEUTRAL), min_size=0, max_size=12).map(" ".join)


def well_formed(promotion: Promotion) -> bool:
    terms = promotion.terms
    if promotion.kind == "bundle" and not (
        {"price", "currency"} <= set(terms) or "percent" in terms
    ):
        return False
    return promotion.kind in KINDS and set(REQUIRED[promotion.kind]) <= set(terms)


@pytest.mark.seed_property(13)
@PROPERTY
@given(data=st.data(), seen=SEEN, before=noise, after=noise)
def test_property_13_promotions_are_extracted_with_details(
    data: st.DataObject, seen: date, before: str, after: str
) -> None:
    # given an offer text with one to three promotions, each in a sentence of its own with
    # its conditions, among words that promise nothing
    promised = data.draw(st.lists(specs(), min_size=1, max_size=3))
    sentences, expected = [], []
    for spec in promised:
        extra, terms = data.draw(conditions(seen))
        sentences.append(spec.text + extra)
        expected.append((spec.kind, {**spec.terms, **terms}))
    text = ". ".join(s[:1].upper() + s[1:] for s in [before, *sentences, after] if s)
    # when its promotions are extracted
    found = extract(text, seen=seen, currency="USD")
    # then each promised one is there with its kind and terms, and every one found carries
    # the terms of its kind
    for kind, terms in expected:
        assert any(
            p.kind == kind and all(p.terms.get(k) == v for k, v in terms.items()) for p in found
        ), (text, kind, terms, found)
    assert all(well_formed(p) for p in found), found


@pytest.mark.seed_property(13)
@PROPERTY
@given(words=noise, seen=SEEN, size=st.integers(1, 60))
def test_property_13_texts_without_a_promotion_give_none(words: str, seen: date, size: int) -> None:
    # given product copy that promises nothing, numbers and markup included
    text = f"<p>{words.capitalize()}</p> <ul><li>Size {size}</li><li>{size} cm long</li></ul>"
    # then no promotion is read from it
    assert extract(text, seen=seen, currency="EUR") == []


SUNDAY_6_DEC = date(2026, 12, 6)


@pytest.mark.parametrize(
    ("text", "kind", "terms"),
    [
        ("Save 20% on all jackets until 31 Dec", "percent_off", {"percent": "20",
                                                               "ends": "2026-12-31"}),
        ("£5 off orders over £40", "amount_off", {"amount": "5.00", "currency": "GBP",
                                                  "min_spend": "40.00"}),
        ("BOGO 50% off", "buy_x_get_y", {"buy": 1, "get": 1, "get_discount_percent": "50"}),
        ("3 for 2 on all books", "buy_x_get_y", {"buy": 2, "get": 1}),
        ("Buy 2, get the 3rd free", "buy_x_get_y", {"buy": 2, "get": 1}),
        ("Free UK delivery on orders over £25", "free_shipping", {"min_spend": "25.00",
                                                                  "service": "uk"}),
        ("<div><span>Extra 25% off</span> with code <b>XMAS25</b></div>", "percent_off",
         {"percent": "25", "code": "XMAS25"}),
        ("Valid 1-15 March: 30% off", "percent_off", {"starts": "2027-03-01",
                                                      "ends": "2027-03-15"}),
        ("Save €4,50 today only", "amount_off", {"amount": "4.50", "currency": "EUR",
                                                 "ends": "2026-12-06"}),
        ("Get $10 off when you spend $50 or more. Offer ends 12/31", "amount_off",
         {"min_spend": "50.00", "ends": "2026-12-31"}),
        ("Ships free. Min. spend €30", "free_shipping", {"min_spend": "30.00"}),
        ("bundle & save 15%", "bundle", {"percent": "15"}),
        ("Half price, ends tomorrow", "percent_off", {"percent": "50", "ends": "2026-12-07"}),
        ("20 % Rabatt, versandkostenfrei", "free_shipping", {"shipping": "free"}),
        ("From Dec 10 until December 24th: 2 for $30", "bundle",
         {"quantity": 2, "price": "30.00", "starts": "2026-12-10", "ends": "2026-12-24"}),
    ],
)  # fmt: skip
def test_phrasings_shops_use(text: str, kind: str, terms: dict[str, object]) -> None:
    # given an offer's text as a shop writes it, seen on Sunday 6 December 2026
    found = extract(text, seen=SUNDAY_6_DEC, currency="USD")
    # then the promotion is read with its terms
    assert any(
        p.kind == kind and all(p.terms.get(k) == v for k, v in terms.items()) for p in found
    ), found


def test_identifiers_and_prices_are_not_promotions() -> None:
    # given product codes, plain prices and model years
    texts = ["Product code: AB-1234", "Price 19.99", "was $29.99 now $19.99",
             "Model 2020 in 3 colours for everyday use", "Pack of 2, 100 % cotton"]  # fmt: skip
    for text in texts:
        # then nothing is read as a promotion
        assert extract(text, seen=SUNDAY_6_DEC, currency="USD") == [], text
