"""The report's charts for the PDF: the same scenes as the HTML's SVG (charts.py) drawn with
reportlab.graphics shapes (bars as rectangles, lines as polylines, the forecast's bands as
polygons), scaled to the page's width. A scene's y grows downwards; a Drawing's upwards."""

from __future__ import annotations

from typing import Any

from reportlab.graphics import shapes as rl  # type: ignore[import-untyped]
from reportlab.lib.colors import Color, HexColor  # type: ignore[import-untyped]

from mercato.agents.intelligence.ask.render import charts
from mercato.agents.intelligence.ask.render.pdf_text import fonts, writable
from mercato.agents.intelligence.ask.render.scene import (
    Circle,
    Line,
    Polygon,
    Polyline,
    Rect,
    Scene,
    Shape,
    Text,
)


def _colour(value: str) -> Color:
    try:
        return HexColor(value)
    except (ValueError, TypeError):
        return HexColor("#334155")


def _flat(points: tuple[tuple[float, float], ...], height: float) -> list[float]:
    return [coordinate for x, y in points for coordinate in (x, height - y)]


def _shape(shape: Shape, height: float) -> Any:
    if isinstance(shape, Rect):
        return rl.Rect(
            shape.x,
            height - shape.y - shape.height,
            shape.width,
            shape.height,
            fillColor=_colour(shape.fill),
            strokeColor=_colour(shape.stroke) if shape.stroke else None,
            strokeWidth=0.5,
        )
    if isinstance(shape, Line):
        return rl.Line(
            shape.x1,
            height - shape.y1,
            shape.x2,
            height - shape.y2,
            strokeColor=_colour(shape.stroke),
            strokeWidth=shape.width,
            strokeDashArray=list(shape.dash) or None,
        )
    if isinstance(shape, Polyline):
        return rl.PolyLine(
            _flat(shape.points, height),
            strokeColor=_colour(shape.stroke),
            strokeWidth=shape.width,
            strokeDashArray=list(shape.dash) or None,
            strokeLineJoin=1,
        )
    if isinstance(shape, Polygon):
        return rl.Polygon(
            _flat(shape.points, height),
            fillColor=_colour(shape.fill),
            fillOpacity=shape.opacity,
            strokeColor=None,
        )
    if isinstance(shape, Circle):
        return rl.Circle(
            shape.x, height - shape.y, shape.radius, fillColor=_colour(shape.fill), strokeColor=None
        )
    assert isinstance(shape, Text)
    face = fonts()
    return rl.String(
        shape.x,
        height - shape.y,
        writable(shape.value),
        fontName=face.bold if shape.bold else face.regular,
        fontSize=shape.size,
        fillColor=_colour(shape.fill),
        textAnchor=shape.anchor,
    )


def scene_drawing(scene: Scene, width: float) -> rl.Drawing:
    """The scene as a Drawing `width` points wide (its height in proportion)."""
    scale = width / scene.width if scene.width > 0 else 1.0
    group = rl.Group(*(_shape(shape, scene.height) for shape in scene.shapes))
    group.transform = (scale, 0, 0, scale, 0, 0)
    drawing = rl.Drawing(width, scene.height * scale)
    drawing.add(group)
    return drawing


def chart_drawing(kind: Any, data: Any, title: Any, width: float) -> rl.Drawing:
    """A report's chart ({"kind", "title", "data"}) as a Drawing `width` points wide."""
    return scene_drawing(charts.layout(kind, data, title), width)
