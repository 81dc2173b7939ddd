"""The charts as inline SVG: each kind draws what its data says (a marker at the store's
price, a zero line, shaded forecast bands, period totals), says in a <title> and an
aria-label what it shows, and stays well-formed XML for any data a report may hold: empty,
None, NaN, huge, negative, wrong types, very long names."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from mercato.agents.intelligence.ask.render.svg import (
    chart_svg,
    forecast_band_svg,
    price_gap_svg,
    sales_trend_svg,
    sentiment_trend_svg,
)
from tests.unit.intelligence.ask.render.example_report import example_report

SVG = "{http://www.w3.org/2000/svg}"
PROPERTY = settings(max_examples=100, deadline=None, database=None)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(root: ET.Element) -> list[str]:
    return [element.text or "" for element in root.iter(f"{SVG}text")]


def example_chart(kind: str) -> dict[str, Any]:
    return next(chart for chart in example_report()["charts"] if chart["kind"] == kind)


def test_price_gap_draws_a_bar_per_price_a_marker_at_the_store_price_and_the_gaps() -> None:
    # given the example's price gap (the store and three competitors)
    data = example_chart("price_gap")["data"]
    # when drawn
    root = parse(price_gap_svg(data, "Your price against competitors"))
    # then there is a bar for each price, a dashed marker line, the prices and gap percentages
    # labelled, the long name cut with an ellipsis, and a title that lists the prices
    bars = [rect for rect in root.iter(f"{SVG}rect") if rect.find(f"{SVG}title") is not None]
    assert len(bars) == 4
    assert any(line.get("stroke-dasharray") for line in root.iter(f"{SVG}line"))
    labels = texts(root)
    assert {"\u20ac79.00", "\u20ac69.99", "\u20ac74.50", "\u20ac84.00"} <= set(labels)
    assert "+12.9% you are dearer" in labels and "-6.0% you are cheaper" in labels
    assert any(label.endswith("\u2026") and label.startswith("Outdoor") for label in labels)
    assert "Price (EUR)" in labels
    title = root.find(f"{SVG}title")
    assert title is not None and "SportDirect \u20ac69.99" in (title.text or "")
    assert root.get("aria-label") == title.text


def test_sentiment_trend_has_a_zero_line_ticks_and_counts() -> None:
    # given five months of polarity / when drawn
    root = parse(sentiment_trend_svg(example_chart("sentiment_trend")["data"]))
    labels = texts(root)
    # then its y axis runs -1..1 with a zero line, each point has its review count and period
    assert {"-1", "0", "1", "-0.5", "0.5"} <= {
        label.rstrip("0").rstrip(".") or "0" for label in labels
    }
    assert {"n=21", "n=32", "2026-07", "2026-11"} <= set(labels)
    assert len(list(root.iter(f"{SVG}circle"))) == 5
    assert len(list(root.iter(f"{SVG}polyline"))) == 1


def test_forecast_band_shades_the_95_and_80_percent_bands_under_the_lines() -> None:
    # given 28 days of history and a 14-day forecast with intervals / when drawn
    root = parse(forecast_band_svg(example_chart("forecast_band")["data"]))
    # then two band polygons (95% lighter first, 80% darker over it), the history line and the
    # dashed forecast line, and a legend naming them
    polygons = list(root.iter(f"{SVG}polygon"))
    assert [p.get("fill") for p in polygons] == ["#bfdbfe", "#60a5fa"]
    lines = list(root.iter(f"{SVG}polyline"))
    assert len(lines) == 2 and lines[1].get("stroke-dasharray")
    assert {"History", "Forecast", "80% interval", "95% interval", "Day"} <= set(texts(root))


def test_sales_trend_draws_a_bar_per_day_and_the_period_totals() -> None:
    # given 28 days of units / when drawn
    root = parse(sales_trend_svg(example_chart("sales_trend")["data"]))
    # then a bar per day and the totals with their change
    bars = [rect for rect in root.iter(f"{SVG}rect") if rect.find(f"{SVG}title") is not None]
    assert len(bars) == 28
    assert any("624 units" in label and "+12.4%" in label for label in texts(root))


def test_empty_data_says_there_is_nothing_to_chart() -> None:
    # given charts with no usable points / when drawn / then each says so in words
    for svg in (
        price_gap_svg({}),
        sentiment_trend_svg({"points": []}),
        forecast_band_svg(None),
        sales_trend_svg({"points": [{"date": "bad", "units": 3}]}),
        chart_svg({"kind": "pie", "title": "Pie", "data": {}}),
    ):
        root = parse(svg)
        assert any("No data" in label or "cannot be drawn" in label for label in texts(root))
        assert root.get("aria-label")


def test_points_without_a_value_are_skipped_not_drawn_as_zero() -> None:
    # given a sentiment trend with a None and a NaN polarity among three points
    data = {
        "granularity": "week",
        "points": [
            {"period": "W1", "polarity": 0.5, "count": 3},
            {"period": "W2", "polarity": None, "count": 2},
            {"period": "W3", "polarity": math.nan, "count": 2},
            {"period": "W4", "polarity": -0.25, "count": 4},
        ],
    }
    # when drawn / then only the two real points are drawn
    root = parse(sentiment_trend_svg(data))
    assert len(list(root.iter(f"{SVG}circle"))) == 2
    assert "W2" not in texts(root)


def test_a_single_point_and_all_zero_values_still_draw() -> None:
    # given one day of sales at zero, and a forecast of one point / when drawn
    sales = parse(sales_trend_svg({"points": [{"date": "2026-12-01", "units": 0}]}))
    forecast = parse(
        forecast_band_svg(
            {"points": [{"date": "2026-12-01", "forecast": 4, "lower_95": 1, "upper_95": 8}]}
        )
    )
    # then a bar and a point are drawn, with tick values
    assert len([r for r in sales.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]) == 1
    assert len(list(forecast.iter(f"{SVG}circle"))) == 1


def test_text_in_a_chart_is_escaped() -> None:
    # given a competitor name and a title with markup
    data = {"store_price": 10, "competitors": [{"name": "</svg><script>x()</script>", "price": 9}]}
    # when drawn
    svg = chart_svg({"kind": "price_gap", "title": '"><b>T</b>', "data": data})
    root = parse(svg)
    # then no element but the chart's own: the markup is text
    assert {element.tag for element in root.iter()} <= {
        f"{SVG}{tag}"
        for tag in ("svg", "title", "rect", "line", "text", "polyline", "polygon", "circle")
    }
    assert "<script>" not in svg


NUMBERS = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-1e300, max_value=1e300),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.sampled_from([0, -1, 1e-300, "12.5", "abc", True]),
)
DATES = st.one_of(st.dates().map(lambda d: d.isoformat()), st.text(max_size=12), st.none())
NAMES = st.one_of(st.text(max_size=200), st.none(), st.integers())


def lists(item: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.lists(item, max_size=20), st.none(), st.text(max_size=3))


CHART_DATA = {
    "price_gap": st.fixed_dictionaries(
        {"product": NAMES, "currency": NAMES, "store_price": NUMBERS,
         "competitors": lists(st.fixed_dictionaries(
             {"name": NAMES, "price": NUMBERS, "gap_percent": NUMBERS, "observed_at": DATES}))}
    ),
    "sentiment_trend": st.fixed_dictionaries(
        {"granularity": NAMES, "points": lists(st.fixed_dictionaries(
            {"period": NAMES, "polarity": NUMBERS, "count": NUMBERS}))}
    ),
    "forecast_band": st.fixed_dictionaries(
        {"product": NAMES,
         "history": lists(st.fixed_dictionaries({"date": DATES, "units": NUMBERS})),
         "points": lists(st.fixed_dictionaries(
             {"date": DATES, "forecast": NUMBERS, "lower_80": NUMBERS, "upper_80": NUMBERS,
              "lower_95": NUMBERS, "upper_95": NUMBERS}))}
    ),
    "sales_trend": st.fixed_dictionaries(
        {"points": lists(st.fixed_dictionaries({"date": DATES, "units": NUMBERS})),
         "current_total": NUMBERS, "previous_total": NUMBERS, "period": NAMES}
    ),
}  # fmt: skip
COORDINATES = ("x", "y", "width", "height", "x1", "y1", "x2", "y2", "cx", "cy", "r")
ANY_JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.floats(), st.integers(), st.text(max_size=8)),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@PROPERTY
@given(
    kind=st.sampled_from(sorted(CHART_DATA)),
    data=st.data(),
    title=NAMES,
)
def test_charts_are_well_formed_svg_for_any_data(
    kind: str, data: st.DataObject, title: Any
) -> None:
    # given a chart of any kind whose data is shaped as the schema says, with any values, or
    # any JSON at all
    chart_data = data.draw(st.one_of(CHART_DATA[kind], ANY_JSON))
    # when it is drawn
    svg = chart_svg({"kind": kind, "title": title, "data": chart_data})
    # then it is one well-formed <svg> with a title and an aria-label, and no NaN coordinate
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title") is not None and root.get("aria-label")
    for element in list(root.iter())[1:]:
        numbers = [element.get(name) for name in COORDINATES if element.get(name) is not None]
        numbers += (element.get("points") or "").replace(",", " ").split()
        assert all(math.isfinite(float(value)) for value in numbers)
