"""The PDF's building blocks: its styles, tables, badges (colour and text), the confidence
meter, bullet lists, call-outs and evidence footnotes (superscript links to the evidence list)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.graphics import shapes as rl  # type: ignore[import-untyped]
from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    ListFlowable,
    ListItem,
    Paragraph,
    Table,
    TableStyle,
)

from mercato.agents.intelligence.ask.render.pdf_text import fonts, markup
from mercato.agents.intelligence.ask.render.view_types import Footnote, ReportView

MARGIN = 16 * mm
WIDTH = A4[0] - 2 * MARGIN
INK, MUTED, LINE, SOFT = "#0f172a", "#64748b", "#e2e8f0", "#f8fafc"
BADGES = {
    "critical": ("#7f1d1d", "#ffffff"),
    "high": ("#fee2e2", "#991b1b"),
    "medium": ("#fef3c7", "#92400e"),
    "low": ("#e0f2fe", "#075985"),
    "ok": ("#dcfce7", "#14532d"),
    "failed": ("#fee2e2", "#991b1b"),
    "timeout": ("#fef3c7", "#92400e"),
    "limited": ("#fef3c7", "#92400e"),
}
METER = {"high": "#15803d", "medium": "#b45309", "low": "#b91c1c"}


class Styles:
    def __init__(self) -> None:
        face = fonts()
        base = ParagraphStyle("body", fontName=face.regular, fontSize=9.5, leading=13)
        self.body = base
        self.small = ParagraphStyle("small", base, fontSize=8, leading=10.5, textColor=MUTED)
        self.eyebrow = ParagraphStyle("eyebrow", self.small, fontSize=8.5)
        self.title = ParagraphStyle(
            "title", base, fontName=face.bold, fontSize=16, leading=20, spaceAfter=6
        )
        self.heading = ParagraphStyle(
            "heading",
            base,
            fontName=face.bold,
            fontSize=12.5,
            leading=16,
            spaceBefore=12,
            keepWithNext=1,
            spaceAfter=5,
            textColor=INK,
        )
        self.bold = ParagraphStyle("bold", base, fontName=face.bold)
        self.summary = ParagraphStyle("summary", base, fontSize=10.5, leading=15)
        self.badge = ParagraphStyle("badge", base, fontName=face.bold, fontSize=7.5, leading=9)


def notes(notes: Sequence[Footnote]) -> str:
    """Footnotes as superscript links to the evidence list (unknown evidence unlinked)."""
    parts = []
    for note in notes:
        if note.anchor:
            parts.append(f'<a href="#{note.anchor}" color="#2563eb">[{note.number}]</a>')
        else:
            parts.append(f"[{markup(note.evidence_id)}?]")
    return f" <super>{''.join(parts)}</super>" if parts else ""


def table(rows: list[list[Any]], widths: Sequence[float], *, header: bool = True) -> Table:
    table = Table(rows, colWidths=list(widths), repeatRows=1 if header else 0)
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.HexColor(LINE)),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(SOFT)))
    table.setStyle(TableStyle(commands))
    return table


def badge(label: str, key: str, styles: Styles) -> Table:
    background, ink = BADGES.get(key, (SOFT, "#334155"))
    cell = Paragraph(f'<font color="{ink}">{markup(label.upper())}</font>', styles.badge)
    badge = Table([[cell]], colWidths=[20 * mm])
    badge.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(background)),
                ("BOX", (0, 0), (-1, -1), 0.5, colors.HexColor(ink)),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ]
        )
    )
    return badge


def meter(view: ReportView) -> rl.Drawing:
    width, height = 60 * mm, 6
    drawing = rl.Drawing(width, height)
    drawing.add(rl.Rect(0, 0, width, height, fillColor=colors.HexColor(LINE), strokeColor=None))
    colour = METER.get(view.confidence_label, "#2563eb")
    drawing.add(
        rl.Rect(
            0,
            0,
            width * view.confidence,
            height,
            fillColor=colors.HexColor(colour),
            strokeColor=None,
        )
    )
    return drawing


def bullets(items: list[str], styles: Styles) -> ListFlowable:
    return ListFlowable(
        [ListItem(Paragraph(item, styles.body), leftIndent=12) for item in items],
        bulletType="bullet",
        start="\u2022" if fonts().can_write("\u2022") else "-",
        leftIndent=12,
        bulletFontName=fonts().regular,
        bulletFontSize=8,
    )


def callout(title: str, lines: list[str], styles: Styles, border: str, fill: str) -> Table:
    cells = [Paragraph(f"<b>{markup(title)}</b>", styles.body)]
    cells += [Paragraph(markup(line), styles.body) for line in lines]
    box = Table([[cells]], colWidths=[WIDTH])
    box.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.8, colors.HexColor(border)),
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(fill)),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return box
