"""A chart as a few drawing primitives (rectangles, lines, polygons, text) in a box whose y
grows downwards, as in SVG. The layouts (charts.py) make one scene per chart; svg.py writes it
as inline SVG and charts_pdf.py draws the same scene with reportlab.graphics, so the HTML and
the PDF show one chart."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from mercato.agents.intelligence.ask.render.formatting import grouped

Point = tuple[float, float]


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    fill: str
    stroke: str | None = None
    label: str = ""
    """What it shows, for a screen reader or a tooltip (an SVG <title>)."""


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str
    width: float = 1.0
    dash: tuple[float, ...] = ()


@dataclass(frozen=True)
class Polyline:
    points: tuple[Point, ...]
    stroke: str
    width: float = 2.0
    dash: tuple[float, ...] = ()


@dataclass(frozen=True)
class Polygon:
    points: tuple[Point, ...]
    fill: str
    opacity: float = 1.0


@dataclass(frozen=True)
class Circle:
    x: float
    y: float
    radius: float
    fill: str
    label: str = ""


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    """The baseline."""
    value: str
    size: float = 11.0
    anchor: str = "start"
    """"start", "middle" or "end"."""
    fill: str = "#334155"
    bold: bool = False


Shape = Rect | Line | Polyline | Polygon | Circle | Text


@dataclass
class Scene:
    width: float
    height: float
    title: str
    """A sentence that says what the chart shows (the SVG's <title> and aria-label)."""
    shapes: list[Shape] = field(default_factory=list)

    def add(self, *shapes: Shape) -> None:
        self.shapes.extend(shapes)


@dataclass(frozen=True)
class Scale:
    """Maps the domain [lo, hi] linearly onto the pixels [start, end]."""

    lo: float
    hi: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        span = self.hi - self.lo
        ratio = 0.5 if span <= 0 else (min(max(value, self.lo), self.hi) - self.lo) / span
        return self.start + ratio * (self.end - self.start)


LIMIT = 1e15
"""Values are drawn clipped to +-LIMIT so that spans stay finite (labels keep the value)."""


def clip(value: float) -> float:
    return min(max(value, -LIMIT), LIMIT)


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values covering [lo, hi] (1, 2, 2.5 or 5 times a power of ten apart); the
    first is <= lo and the last >= hi. Never more than a dozen."""
    lo, hi = clip(lo), clip(hi)
    if hi < lo:
        lo, hi = hi, lo
    if hi == lo:
        pad = abs(lo) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
    raw = (hi - lo) / max(count, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.floor(lo / step) * step
    ticks: list[float] = []
    value = first
    while len(ticks) < 12:
        ticks.append(0.0 if abs(value) < step * 1e-9 else value)
        if value >= hi:
            break
        value = first + step * len(ticks)
    return ticks


def tick_label(value: float, ticks: Sequence[float]) -> str:
    """A tick value with as many decimals as its step needs."""
    step = abs(ticks[1] - ticks[0]) if len(ticks) > 1 else 1.0
    decimals = 0 if step >= 1 or step == 0 else min(6, math.ceil(-math.log10(step) + 1e-9))
    if step > 0 and round(step, decimals) != step and decimals < 6:
        decimals += 1
    return grouped(value, decimals)
