"""A stored report as one standalone HTML page: inline CSS, charts as inline SVG, no script
and no external asset, so it can be saved, mailed or printed as it is. The template escapes
every value (autoescape): a question or a review is user input and renders as text."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template
from markupsafe import Markup

from mercato.agents.intelligence.ask.render import charts, svg
from mercato.agents.intelligence.ask.render.view import build
from mercato.agents.intelligence.ask.render.view_types import ChartView

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class _Chart:
    view: ChartView
    svg: Markup


@cache
def _template() -> Template:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return environment.get_template("report.html.j2")


def report_html(report: dict[str, Any], *, store_name: str) -> str:
    """The report as a complete HTML document."""
    view = build(report, store_name=store_name)
    drawn = [
        # svg.py escapes every text and attribute it writes: safe to insert as markup
        _Chart(chart, Markup(svg.scene_svg(charts.layout(chart.kind, chart.data, chart.title))))
        for chart in view.charts
    ]
    return _template().render(view=view, charts=drawn)
