"""A stored report (`IntelReport.body`) rendered for people: `report_html` (one standalone
page, charts as inline SVG) and `report_pdf` (A4, charts drawn with reportlab.graphics). Both
render the same view (view.py) and the same chart layouts (charts.py); every value from the
report is escaped, every claim's evidence is a footnote that links to the record list."""

from __future__ import annotations

from mercato.agents.intelligence.ask.render.html import report_html
from mercato.agents.intelligence.ask.render.pdf import report_pdf
from mercato.agents.intelligence.ask.render.svg import (
    chart_svg,
    forecast_band_svg,
    price_gap_svg,
    sales_trend_svg,
    sentiment_trend_svg,
)

__all__ = [
    "chart_svg",
    "forecast_band_svg",
    "price_gap_svg",
    "report_html",
    "report_pdf",
    "sales_trend_svg",
    "sentiment_trend_svg",
]
