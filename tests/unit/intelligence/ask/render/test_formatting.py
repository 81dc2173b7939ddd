"""How a report's values read: money in its currency's style and decimals, percentages,
units and days, shares as whole percentages; and a value that is missing, NaN or not a number
reads as an em dash instead of failing."""

from __future__ import annotations

import math

import pytest

from mercato.agents.intelligence.ask.render.formatting import (
    MISSING,
    duration,
    measure,
    moment,
    money,
    share,
    text,
    truncate,
)


@pytest.mark.parametrize(
    ("value", "unit", "signed", "expected"),
    [
        (79.0, "currency:EUR", False, "\u20ac79.00"),
        (1299.5, "currency:EUR", False, "\u20ac1,299.50"),
        (-3.5, "currency:USD", True, "-$3.50"),
        (3.5, "currency:GBP", True, "+\u00a33.50"),
        (1500, "currency:JPY", False, "\u00a51,500"),
        (12, "currency:CHF", False, "CHF 12.00"),
        (1.2345, "currency:KWD", False, "KWD 1.235"),
        (12.5, "percent", False, "12.5%"),
        (3.6, "percent", True, "+3.6 pp"),
        (624, "units", False, "624 units"),
        (69, "units", True, "+69 units"),
        (1, "days", False, "1 day"),
        (-7, "days", True, "-7 days"),
        (0.31, "score", False, "0.31"),
        (1234, "count", False, "1,234"),
        (0.0, "currency:EUR", True, "\u20ac0.00"),
    ],
)
def test_a_metric_value_reads_in_its_unit(
    value: float, unit: str, signed: bool, expected: str
) -> None:
    # given a metric's value and unit / when it is formatted / then it reads as a shop writes it
    assert measure(value, unit, signed=signed) == expected


@pytest.mark.parametrize("value", [None, math.nan, math.inf, "abc", True, [1], {}])
def test_a_value_that_is_not_a_number_reads_as_missing(value: object) -> None:
    # given a value a stored report may hold that is not a finite number
    # when it is formatted in any unit / then it is an em dash, never an error or "nan"
    assert measure(value, "currency:EUR") == MISSING
    assert measure(value, "percent") == MISSING
    assert money(value, "EUR") == MISSING
    assert share(value) == MISSING


def test_shares_durations_and_times_read_for_people() -> None:
    # given a confidence, durations and timestamps / when formatted / then they read plainly
    assert (share(0.724), share(1.7), share(-1)) == ("72%", "100%", "0%")
    assert (duration(412), duration(1830.2), duration(125_000)) == ("412 ms", "1.8 s", "2 min 5 s")
    assert moment("2026-12-06T11:20:31+00:00") == "2026-12-06 11:20 UTC"
    assert moment("2026-12-06T11:20:31Z") == "2026-12-06 11:20 UTC"
    assert moment("2026-12-06") == "2026-12-06"
    assert moment("yesterday") == "yesterday"
    assert moment(None) == MISSING


def test_huge_numbers_stay_short() -> None:
    # given an absurd value / when formatted / then it is in scientific notation, not 300 digits
    assert len(money(1e300, "EUR")) < 20


def test_text_is_one_clean_line_and_truncation_marks_the_cut() -> None:
    # given text with control characters and runs of whitespace
    # when cleaned / then they are gone; a long name is cut with an ellipsis
    assert text("a\x00b\x1b  c\n d") == "ab c d"
    assert text(None) == ""
    assert truncate("Outdoor & Co. Megastore Europe", 10) == "Outdoor &\u2026"
    assert truncate("short", 10) == "short"
