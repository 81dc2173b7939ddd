"""Seed 001's clean-data properties on the pure cleaning functions: SKU normalisation (4),
deduplication (5), missing data (6), invalid types (7), spam reviews (8), the validated
round trip (9) and low-confidence matches flagged (10)."""

from __future__ import annotations

import json
import string
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mercato.agents.intelligence.ingest.clean.dedup import deduplicate
from mercato.agents.intelligence.ingest.clean.matching import Item, best_match, status_for
from mercato.agents.intelligence.ingest.clean.missing import STRATEGIES, fill_missing
from mercato.agents.intelligence.ingest.clean.pipeline import clean
from mercato.agents.intelligence.ingest.clean.records import (
    from_stored,
    to_stored,
    validate,
)
from mercato.agents.intelligence.ingest.clean.sku import normalize_sku

PROPERTY = settings(max_examples=100, deadline=None)
FORMATS = st.sampled_from(["generic", "shopify", "mercato", "amazon", "competitor"])
SKU_TEXT = st.text(alphabet=string.ascii_letters + string.digits, min_size=1, max_size=12)
SEPARATORS = st.text(alphabet=" -_./:#", max_size=3)
MOMENTS = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
)
MONEY = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)


def spaced(parts: list[str], separators: list[str]) -> str:
    return "".join(p + s for p, s in zip(parts, separators, strict=False)) + "".join(
        parts[len(separators) :]
    )


@pytest.mark.seed_property(4)
@PROPERTY
@given(
    parts=st.lists(SKU_TEXT, min_size=1, max_size=4),
    separators=st.lists(SEPARATORS, max_size=4),
    source=FORMATS,
    upper=st.booleans(),
)
def test_property_4_sku_normalisation_is_consistent(
    parts: list[str], separators: list[str], source: str, upper: bool
) -> None:
    # given a SKU written with any case, spacing and separators
    written = spaced(parts, separators)
    written = f"  {written.upper() if upper else written.lower()} "
    # when it is normalised
    once = normalize_sku(written, source)
    # then normalising again changes nothing, and the plain form gives the same identifier
    assert normalize_sku(once, source) == once
    assert normalize_sku("".join(parts).upper(), source) == once
    assert once.split(":", 1)[0] in {"SKU", "ASIN"}
    assert all(c in string.ascii_uppercase + string.digits for c in once.split(":", 1)[1])


def test_marketplace_prefixes_per_source() -> None:
    # given an ASIN and a seller SKU with Amazon's prefix
    # then the ASIN is namespaced apart, the prefix dropped for Amazon only
    assert normalize_sku("b07-xyz1234", "amazon") == "ASIN:B07XYZ1234"
    assert normalize_sku("FBA-ab-12", "amazon") == "SKU:AB12"
    assert normalize_sku("FBA-ab-12", "shopify") == "SKU:FBAAB12"
    assert normalize_sku("tee-blue-XL", "shopify") != normalize_sku("tee-blue-L", "shopify")
    with pytest.raises(ValueError):
        normalize_sku(" -- ", "generic")


@pytest.mark.seed_property(5)
@PROPERTY
@given(
    records=st.lists(
        st.tuples(st.sampled_from("abcde"), MOMENTS, st.integers()), min_size=0, max_size=30
    )
)
def test_property_5_deduplication_keeps_the_most_recent(
    records: list[tuple[str, datetime, int]],
) -> None:
    # given records sharing keys, observed at various moments
    # when they are deduplicated
    kept = deduplicate(records, key=lambda r: r[0], at=lambda r: r[1])
    # then one per key remains, the latest observed (the later one on a tie)
    assert sorted(r[0] for r in kept) == sorted({r[0] for r in records})
    for record in kept:
        same = [r for r in records if r[0] == record[0]]
        assert record[1] == max(r[1] for r in same)
        latest = [r for r in same if r[1] == record[1]]
        assert record is latest[-1]


OFFER = {
    "competitor": "Rival",
    "url": "https://rival.test/p/1",
    "title": "Blue kettle",
    "price": "19.99",
    "currency": "EUR",
    "availability": "in_stock",
    "promotion": "10% off",
    "observed_at": "2026-12-01T10:00:00+00:00",
}


@pytest.mark.seed_property(6)
@PROPERTY
@given(
    absent=st.sets(st.sampled_from(sorted(STRATEGIES["offer"]))),
    blank=st.sampled_from([None, "", "   "]),
    source_currency=st.sampled_from([None, "USD"]),
)
def test_property_6_missing_data_is_flagged_or_filled(
    absent: set[str], blank: str | None, source_currency: str | None
) -> None:
    # given an offer with some fields missing (absent or blank)
    data = {k: (blank if k in absent and k != "url" else v) for k, v in OFFER.items()}
    if "url" in absent:
        del data["url"]
    defaults = {"currency": source_currency} if source_currency else {}
    # when missing data is handled
    filled = fill_missing("offer", data, defaults)
    # then every missing field is rejected, filled by its strategy, or flagged
    for name in absent:
        strategy, value = STRATEGIES["offer"][name]
        if strategy == "reject" or (strategy == "source" and not source_currency):
            assert f"{name}: missing" in filled.errors
        elif strategy == "source":
            assert filled.data[name] == source_currency
            assert f"{name}:from_source" in filled.flags
        elif strategy == "default":
            assert filled.data[name] == value
            assert f"{name}:default" in filled.flags
        else:
            assert name not in filled.data
            assert f"{name}:missing" in filled.flags
    # and nothing present is touched or flagged
    for name, value in OFFER.items():
        if name not in absent:
            assert filled.data[name] == value
    assert len(filled.flags) + len(filled.errors) == len(absent)


WRONG = {
    "price": st.sampled_from(["abc", "-1", True, [1], {"a": 1}, "1e999"]),
    "currency": st.sampled_from(["euro", "eu", 12, False]),
    "observed_at": st.sampled_from(["yesterday", "2026-13-01T00:00:00+00:00", 5, True]),
    "availability": st.sampled_from(["maybe", 3]),
    "title": st.sampled_from([12, ["a"], True]),
}


@pytest.mark.seed_property(7)
@PROPERTY
@given(
    wrong=st.dictionaries(
        st.sampled_from(sorted(WRONG)), st.none(), min_size=1, max_size=len(WRONG)
    ),
    data=st.data(),
)
def test_property_7_invalid_types_are_rejected(wrong: dict[str, None], data: Any) -> None:
    # given an offer whose fields `wrong` hold values of the wrong type or form
    record = dict(OFFER)
    for name in wrong:
        record[name] = data.draw(WRONG[name])
    # when it is validated
    valid, errors = validate("offer", record)
    # then it is rejected, with an error naming each wrong field
    assert valid is None
    for name in wrong:
        assert any(e.startswith(f"{name}:") for e in errors), (name, errors)


@pytest.mark.seed_property(8)
@PROPERTY
@given(
    words=st.lists(
        st.sampled_from(["great", "kettle", "boils", "fast", "quiet", "nice"]),
        min_size=2,
        max_size=6,
        unique=True,
    ),
    spam=st.sampled_from(
        [
            "buy now at http://cheap.example.com",
            "call me on +1 555 123 4567",
            "mail deals@spam.example",
            "BEST BEST BEST BEST BEST BEST",
        ]
    ),
)
def test_property_8_spam_reviews_are_filtered(words: list[str], spam: str) -> None:
    # given a plain review and the same review carrying spam
    plain = {"external_id": "r1", "rating": 4, "text": " ".join(words).capitalize() + "."}
    spammy = {**plain, "text": f"{plain['text']} {spam}"}
    # when both are cleaned
    kept = clean("review", plain, source_format="generic")
    dropped = clean("review", spammy, source_format="generic")
    # then the plain one is kept and the spam is filtered out with its reasons
    assert kept.record is not None, kept.errors
    assert dropped.record is None
    assert any(e.startswith("text: spam") for e in dropped.errors)


@pytest.mark.seed_property(9)
@PROPERTY
@given(
    price=MONEY,
    currency=st.sampled_from(["EUR", "USD", "GBP", "JPY"]),
    title=st.text(min_size=1, max_size=60).filter(lambda t: t.strip() == t and t),
    availability=st.sampled_from(["in_stock", "out_of_stock", "preorder", "limited", "unknown"]),
    promotion=st.none() | st.text(max_size=40),
    at=MOMENTS,
)
def test_property_9_valid_records_round_trip(
    price: Decimal,
    currency: str,
    title: str,
    availability: str,
    promotion: str | None,
    at: datetime,
) -> None:
    # given a valid offer
    record = {
        "competitor": "Rival",
        "url": "https://rival.test/p",
        "title": title,
        "price": price,
        "currency": currency,
        "availability": availability,
        "promotion": promotion,
        "observed_at": at,
    }
    # when it is validated, stored as JSON (as the database does) and read back
    valid, errors = validate("offer", record)
    assert valid is not None, errors
    stored = json.loads(json.dumps(to_stored(valid)))
    back = from_stored("offer", stored)
    # then it is the same record, value for value
    assert back == valid
    assert back.model_dump() == {**record, "sku": None, "gtin": None, "mpn": None, "brand": None}


CATALOGUE = [
    Item("p1", "Stainless steel kettle 1.7 l", gtin="4006381333931", brand="Bosch"),
    Item("p2", "Cotton crew neck t-shirt", brand="Basics"),
    Item("p3", "Wireless noise cancelling headphones", mpn="WH-1000XM5", brand="Sony"),
]


@pytest.mark.seed_property(10)
@PROPERTY
@given(
    title=st.text(alphabet=string.ascii_letters + " ", max_size=50),
    brand=st.none() | st.sampled_from(["Bosch", "Sony", "Acme"]),
    gtin=st.none() | st.sampled_from(["4006381333931", "0012345678905", "123"]),
    threshold=st.floats(min_value=0, max_value=1),
)
def test_property_10_low_confidence_matches_are_flagged(
    title: str, brand: str | None, gtin: str | None, threshold: float
) -> None:
    # given an outside product and the store's catalogue
    item = Item("x", title, gtin=gtin, brand=brand)
    # when it is matched
    found = best_match(item, CATALOGUE)
    # then any match has a confidence in [0, 1], and waits for review below the threshold
    if found is not None:
        assert 0 <= found.confidence <= 1
        status = status_for(found.confidence, threshold)
        assert (status == "pending") == (found.confidence < threshold)
    if gtin == "4006381333931":
        assert found is not None and found.product_id == "p1" and found.method == "gtin"


def test_identifiers_before_titles() -> None:
    # given the same MPN of the same brand under another title
    found = best_match(Item("x", "Over-ear headset", mpn="wh1000 xm5", brand="SONY"), CATALOGUE)
    # then the identifier decides it
    assert found is not None and (found.product_id, found.method) == ("p3", "mpn_brand")
    # and a near title without identifiers is proposed with a lower confidence
    near = best_match(Item("y", "stainless kettle 1.7l steel"), CATALOGUE)
    assert near is not None and near.product_id == "p1" and near.confidence < 0.95


def test_missing_timezone_is_invalid() -> None:
    valid, errors = validate("offer", {**OFFER, "observed_at": datetime(2026, 1, 1)})
    assert valid is None and errors[0].startswith("observed_at")
    moment = datetime.now(UTC) - timedelta(days=1)
    ok, _ = validate("offer", {**OFFER, "observed_at": moment})
    assert ok is not None
