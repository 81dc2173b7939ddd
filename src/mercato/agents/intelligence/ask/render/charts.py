"""The four charts of a report laid out as scenes (scene.py): "price_gap" (horizontal bars of
the store's price and each competitor's, a marker line at the store's price, prices and gap
percentages labelled), "sentiment_trend" (polarity -1..1 per period around a zero line, with
each point's review count), "forecast_band" (history, forecast, the 95% band and the darker 80%
band inside it) and "sales_trend" (units per day with the period totals). Pure functions: data
that cannot be drawn gives a scene that says so."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from mercato.agents.intelligence.ask.render import series
from mercato.agents.intelligence.ask.render.formatting import money, percent, plain, text, truncate
from mercato.agents.intelligence.ask.render.scene import (
    Circle,
    Line,
    Point,
    Polygon,
    Polyline,
    Rect,
    Scale,
    Scene,
    Text,
    clip,
    nice_ticks,
    tick_label,
)

WIDTH = 640.0
INK, MUTED, GRID, AXIS = "#1e293b", "#64748b", "#e2e8f0", "#94a3b8"
STORE, OTHER, DEARER, CHEAPER = "#2563eb", "#64748b", "#b91c1c", "#15803d"
BAND_95, BAND_80, FORECAST, HISTORY = "#bfdbfe", "#60a5fa", "#1d4ed8", "#334155"
NAME_CHARS = 24
"""Competitor names and x labels longer than this are cut with an ellipsis."""


def empty(title: str, reason: str = "No data to chart") -> Scene:
    scene = Scene(WIDTH, 80.0, f"{title}: {reason.lower()}")
    scene.add(
        Rect(0, 0, WIDTH, 80.0, "#f8fafc", GRID),
        Text(WIDTH / 2, 45, reason, 12, "middle", MUTED),
    )
    return scene


def _y_axis(scene: Scene, scale: Scale, ticks: Sequence[float], left: float, right: float) -> None:
    for tick in ticks:
        y = scale(tick)
        scene.add(
            Line(left, y, right, y, GRID),
            Text(left - 6, y + 4, tick_label(tick, ticks), 10, "end", MUTED),
        )


def _every(count: int, room: int) -> int:
    """Label every n-th of `count` x positions so that at most `room` labels show."""
    return max(1, math.ceil(count / max(room, 1)))


def price_gap(data: Any, title: str = "Price gap") -> Scene:
    gap = series.price_gap(data)
    rows: list[tuple[str, float, float | None, bool]] = [
        (offer.name, offer.price, offer.gap_percent, False)
        for offer in sorted(gap.offers, key=lambda offer: offer.price)
    ]
    if gap.store_price is not None:
        rows.insert(0, ("Your price", gap.store_price, None, True))
    if not rows:
        return empty(title)
    left, right, top, row = 170.0, WIDTH - 150.0, 42.0, 26.0
    height = top + row * len(rows) + 46
    prices = [clip(price) for _, price, _, _ in rows]
    ticks = nice_ticks(min(0.0, *prices), max(0.0, *prices))
    scale = Scale(ticks[0], ticks[-1], left, right)
    product = gap.product or "the product"
    described = ", ".join(
        f"{name} {money(price, gap.currency)}"
        + ("" if pct is None else f" ({percent(pct, signed=True)})")
        for name, price, pct, _ in rows
    )
    scene = Scene(WIDTH, height, f"{title}: prices for {product}: {described}")
    scene.add(Text(0, 16, truncate(f"{product} ({gap.currency})", 70), 12, "start", INK, True))
    bottom = top + row * len(rows)
    for tick in ticks:
        x = scale(tick)
        scene.add(
            Line(x, top - 4, x, bottom, GRID),
            Text(x, bottom + 14, tick_label(tick, ticks), 10, "middle", MUTED),
        )
    if gap.store_price is not None:  # the marker behind the bars, its label above them
        x = scale(clip(gap.store_price))
        scene.add(
            Line(x, top - 6, x, bottom + 2, INK, 1.2, (4.0, 3.0)),
            Text(x, top - 9, "your price", 9, "middle", INK),
        )
    zero = scale(0.0)
    for index, (name, price, pct, is_store) in enumerate(rows):
        y = top + row * index
        end = scale(clip(price))
        label = f"{name}: {money(price, gap.currency)}"
        scene.add(
            Text(left - 8, y + 16, truncate(name, NAME_CHARS), 11, "end", INK, is_store),
            Rect(
                min(zero, end),
                y + 4,
                max(abs(end - zero), 1.0),
                16,
                STORE if is_store else OTHER,
                label=label,
            ),
        )
        shown = money(price, gap.currency)
        if abs(end - zero) >= 8 * len(shown):  # room inside the bar: white on the bar's end
            scene.add(Text(max(zero, end) - 6, y + 16, shown, 11, "end", "#ffffff", is_store))
        else:
            scene.add(Text(max(zero, end) + 6, y + 16, shown, 11, "start", INK, is_store))
        if pct is not None:
            colour = DEARER if pct > 0 else CHEAPER if pct < 0 else MUTED
            note = "you are dearer" if pct > 0 else "you are cheaper" if pct < 0 else "same price"
            scene.add(
                Text(WIDTH - 4, y + 16, f"{percent(pct, signed=True)} {note}", 10, "end", colour)
            )
    scene.add(Text((left + right) / 2, bottom + 32, f"Price ({gap.currency})", 11, "middle", MUTED))
    return scene


def sentiment_trend(data: Any, title: str = "Sentiment trend") -> Scene:
    granularity, points = series.sentiment_trend(data)
    if not points:
        return empty(title)
    left, right, top, bottom = 56.0, WIDTH - 20.0, 28.0, 200.0
    scale = Scale(-1.0, 1.0, bottom, top)
    band = (right - left) / len(points)
    described = ", ".join(f"{point.period or '?'} {point.polarity:+.2f}" for point in points[:24])
    scene = Scene(WIDTH, bottom + 48, f"{title}: review polarity by {granularity}: {described}")
    scene.add(Text(left - 46, 14, "Polarity (-1 negative, +1 positive)", 10, "start", MUTED))
    _y_axis(scene, scale, [-1.0, -0.5, 0.0, 0.5, 1.0], left, right)
    scene.add(Line(left, scale(0.0), right, scale(0.0), AXIS, 1.5))
    xs = [left + band * (index + 0.5) for index in range(len(points))]
    if len(points) > 1:
        scene.add(
            Polyline(tuple((x, scale(p.polarity)) for x, p in zip(xs, points, strict=True)), STORE)
        )
    step = _every(len(points), 12)
    for index, (x, point) in enumerate(zip(xs, points, strict=True)):
        y = scale(point.polarity)
        colour = CHEAPER if point.polarity > 0.05 else DEARER if point.polarity < -0.05 else MUTED
        scene.add(Circle(x, y, 4, colour, f"{point.period}: {point.polarity:+.2f}"))
        if index % step == 0:
            if point.count is not None:
                above = y - 8 if point.polarity >= 0 else y + 16
                scene.add(Text(x, above, f"n={plain(point.count)}", 9, "middle", MUTED))
            scene.add(Text(x, bottom + 16, truncate(point.period, 10), 10, "middle", MUTED))
    scene.add(Text((left + right) / 2, bottom + 38, granularity.capitalize(), 11, "middle", MUTED))
    return scene


def _time_scale(days: Sequence[date], left: float, right: float) -> Callable[[date], float]:
    first, last = min(days).toordinal(), max(days).toordinal()
    scale = Scale(float(first), float(last), left, right)
    return lambda when: scale(float(when.toordinal()))


def _date_ticks(
    scene: Scene, days: Sequence[date], to_x: Callable[[date], float], y: float
) -> None:
    unique = sorted(set(days))
    for when in unique[:: _every(len(unique), 6)]:
        scene.add(Text(to_x(when), y, when.strftime("%d %b"), 10, "middle", MUTED))


def _band(points: Sequence[series.Band], lower: str, upper: str) -> list[tuple[date, float, float]]:
    found = []
    for point in points:
        low, high = getattr(point, lower), getattr(point, upper)
        if low is not None and high is not None:
            found.append((point.day, clip(min(low, high)), clip(max(low, high))))
    return found


def forecast_band(data: Any, title: str = "Demand forecast") -> Scene:
    forecast = series.forecast_band(data)
    days = [amount.day for amount in forecast.history] + [band.day for band in forecast.points]
    if not days:
        return empty(title)
    left, right, top, bottom = 60.0, WIDTH - 20.0, 40.0, 220.0
    band_95 = _band(forecast.points, "lower_95", "upper_95")
    band_80 = _band(forecast.points, "lower_80", "upper_80")
    values = [clip(a.value) for a in forecast.history] + [clip(b.forecast) for b in forecast.points]
    values += [v for _, low, high in band_95 + band_80 for v in (low, high)]
    ticks = nice_ticks(min(0.0, *values), max(0.0, *values))
    scale = Scale(ticks[0], ticks[-1], bottom, top)
    to_x = _time_scale(days, left, right)
    product = forecast.product or "the product"
    total = sum(band.forecast for band in forecast.points)
    scene = Scene(
        WIDTH,
        bottom + 44,
        f"{title}: {product}: {len(forecast.history)} days of history and a {len(forecast.points)}"
        f"-day forecast of {plain(round(total, 1))} units, with 80% and 95% intervals",
    )
    scene.add(Text(0, 14, truncate(product, 60), 12, "start", INK, True))
    legend = [
        ("History", HISTORY),
        ("Forecast", FORECAST),
        ("80% interval", BAND_80),
        ("95% interval", BAND_95),
    ]
    for index, (name, colour) in enumerate(legend):
        x = WIDTH - 4 - (len(legend) - index) * 100
        scene.add(Rect(x, 6, 12, 10, colour), Text(x + 16, 15, name, 10, "start", MUTED))
    _y_axis(scene, scale, ticks, left, right)
    for band, colour in ((band_95, BAND_95), (band_80, BAND_80)):
        if len(band) == 1:
            when, low, high = band[0]
            scene.add(
                Rect(to_x(when) - 3, scale(high), 6, max(scale(low) - scale(high), 1.0), colour)
            )
        elif band:
            upper: list[Point] = [(to_x(when), scale(high)) for when, _, high in band]
            lower: list[Point] = [(to_x(when), scale(low)) for when, low, _ in reversed(band)]
            scene.add(Polygon(tuple(upper + lower), colour, 0.8))
    if forecast.points and forecast.history:
        x = to_x(forecast.points[0].day)
        scene.add(Line(x, top, x, bottom, AXIS, 1.0, (3.0, 3.0)))
    for line, colour, dash in (
        ([(a.day, a.value) for a in forecast.history], HISTORY, ()),
        ([(b.day, b.forecast) for b in forecast.points], FORECAST, (5.0, 3.0)),
    ):
        drawn = tuple((to_x(when), scale(clip(value))) for when, value in line)
        if len(drawn) == 1:
            scene.add(Circle(drawn[0][0], drawn[0][1], 3, colour))
        elif drawn:
            scene.add(Polyline(drawn, colour, 2.0, dash))
    scene.add(Line(left, scale(ticks[0]), right, scale(ticks[0]), AXIS))
    _date_ticks(scene, days, to_x, bottom + 16)
    scene.add(Text((left + right) / 2, bottom + 36, "Day", 11, "middle", MUTED))
    scene.add(Text(left - 52, 30, "Units per day", 10, "start", MUTED))
    return scene


def sales_trend(data: Any, title: str = "Sales trend") -> Scene:
    sales = series.sales_trend(data)
    if not sales.points:
        return empty(title)
    left, right, top, bottom = 60.0, WIDTH - 20.0, 44.0, 200.0
    values = [clip(point.value) for point in sales.points]
    ticks = nice_ticks(min(0.0, *values), max(0.0, *values))
    scale = Scale(ticks[0], ticks[-1], bottom, top)
    change = ""
    if sales.current_total is not None and sales.previous_total:
        ratio = (sales.current_total - sales.previous_total) / abs(sales.previous_total)
        change = f" ({percent(ratio * 100, signed=True)})"
    totals = (
        f"{sales.period or 'This period'}: {plain(sales.current_total)} units; "
        f"before: {plain(sales.previous_total)} units{change}"
    )
    scene = Scene(
        WIDTH, bottom + 44, f"{title}: units sold per day, {len(sales.points)} days. {totals}"
    )
    scene.add(Text(0, 14, truncate(totals[:1].upper() + totals[1:], 90), 12, "start", INK, True))
    scene.add(Text(left - 52, 34, "Units per day", 10, "start", MUTED))
    _y_axis(scene, scale, ticks, left, right)
    band = (right - left) / len(sales.points)
    zero = scale(0.0)
    for index, point in enumerate(sales.points):
        y = scale(clip(point.value))
        x = left + band * index + band * 0.15
        scene.add(
            Rect(x, min(y, zero), max(band * 0.7, 0.5), max(abs(zero - y), 0.5), STORE,
                 label=f"{point.day.isoformat()}: {plain(point.value)} units")
        )  # fmt: skip
    scene.add(Line(left, zero, right, zero, AXIS, 1.5))
    step = _every(len(sales.points), 8)
    for index, point in enumerate(sales.points[::step]):
        x = left + band * (index * step + 0.5)
        scene.add(Text(x, bottom + 16, point.day.strftime("%d %b"), 10, "middle", MUTED))
    scene.add(Text((left + right) / 2, bottom + 36, "Day", 11, "middle", MUTED))
    return scene


LAYOUTS: dict[str, Callable[[Any, str], Scene]] = {
    "price_gap": price_gap,
    "sentiment_trend": sentiment_trend,
    "forecast_band": forecast_band,
    "sales_trend": sales_trend,
}


def layout(kind: Any, data: Any, title: Any = "") -> Scene:
    """The scene of a chart of any kind; an unknown kind says so."""
    name = text(kind)
    heading = text(title) or name.replace("_", " ").capitalize() or "Chart"
    found = LAYOUTS.get(name)
    if found is None:
        return empty(heading, "This kind of chart cannot be drawn")
    return found(data, heading)
