"""Charts as inline SVG (no script, no external asset): each function takes a chart's `data`
as stored in a report and returns one <svg> element, well-formed XML whatever the data, with a
<title> and an aria-label that say what it shows."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape, quoteattr

from mercato.agents.intelligence.ask.render import charts
from mercato.agents.intelligence.ask.render.scene import (
    Circle,
    Line,
    Polygon,
    Polyline,
    Rect,
    Scene,
    Shape,
)

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', Arial, sans-serif"


def _n(value: float) -> str:
    text = f"{value:.1f}"
    return "0" if text in ("-0.0", "0.0") else text.removesuffix(".0")


def _points(points: tuple[tuple[float, float], ...]) -> str:
    return " ".join(f"{_n(x)},{_n(y)}" for x, y in points)


def _dash(dash: tuple[float, ...]) -> str:
    return f' stroke-dasharray="{" ".join(_n(d) for d in dash)}"' if dash else ""


def _title(label: str) -> str:
    return f"<title>{escape(label)}</title>" if label else ""


def _shape(shape: Shape) -> str:
    if isinstance(shape, Rect):
        stroke = f" stroke={quoteattr(shape.stroke)}" if shape.stroke else ""
        inner = _title(shape.label)
        attributes = (
            f'<rect x="{_n(shape.x)}" y="{_n(shape.y)}" width="{_n(shape.width)}" '
            f'height="{_n(shape.height)}" fill={quoteattr(shape.fill)}{stroke}'
        )
        return f"{attributes}>{inner}</rect>" if inner else f"{attributes}/>"
    if isinstance(shape, Line):
        return (
            f'<line x1="{_n(shape.x1)}" y1="{_n(shape.y1)}" x2="{_n(shape.x2)}" '
            f'y2="{_n(shape.y2)}" stroke={quoteattr(shape.stroke)} '
            f'stroke-width="{_n(shape.width)}"{_dash(shape.dash)}/>'
        )
    if isinstance(shape, Polyline):
        return (
            f'<polyline points="{_points(shape.points)}" fill="none" '
            f'stroke={quoteattr(shape.stroke)} stroke-width="{_n(shape.width)}" '
            f'stroke-linejoin="round"{_dash(shape.dash)}/>'
        )
    if isinstance(shape, Polygon):
        return (
            f'<polygon points="{_points(shape.points)}" fill={quoteattr(shape.fill)} '
            f'fill-opacity="{shape.opacity:.2f}"/>'
        )
    if isinstance(shape, Circle):
        inner = _title(shape.label)
        attributes = (
            f'<circle cx="{_n(shape.x)}" cy="{_n(shape.y)}" r="{_n(shape.radius)}" '
            f"fill={quoteattr(shape.fill)}"
        )
        return f"{attributes}>{inner}</circle>" if inner else f"{attributes}/>"
    weight = ' font-weight="600"' if shape.bold else ""
    return (
        f'<text x="{_n(shape.x)}" y="{_n(shape.y)}" font-size="{_n(shape.size)}" '
        f'text-anchor="{shape.anchor}" fill={quoteattr(shape.fill)}{weight}>'
        f"{escape(shape.value)}</text>"
    )


def scene_svg(scene: Scene) -> str:
    """The scene as one <svg> element that scales to its container's width."""
    body = "".join(_shape(shape) for shape in scene.shapes)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(scene.width)} '
        f'{_n(scene.height)}" width="100%" role="img" aria-label={quoteattr(scene.title)} '
        f'font-family="{FONT}" class="chart">{_title(scene.title)}{body}</svg>'
    )


def price_gap_svg(data: Any, title: str = "Price gap") -> str:
    return scene_svg(charts.price_gap(data, title))


def sentiment_trend_svg(data: Any, title: str = "Sentiment trend") -> str:
    return scene_svg(charts.sentiment_trend(data, title))


def forecast_band_svg(data: Any, title: str = "Demand forecast") -> str:
    return scene_svg(charts.forecast_band(data, title))


def sales_trend_svg(data: Any, title: str = "Sales trend") -> str:
    return scene_svg(charts.sales_trend(data, title))


def chart_svg(chart: Any) -> str:
    """A report's chart ({"kind", "title", "data"}) as SVG; an unknown kind says so."""
    found = chart if isinstance(chart, dict) else {}
    return scene_svg(charts.layout(found.get("kind"), found.get("data"), found.get("title")))
