"""A stored report as a PDF (A4, reportlab Platypus): the HTML page's sections as paragraphs
and tables, its charts drawn with reportlab.graphics (charts_pdf.py). Claims link to their
evidence: each footnote "[n]" jumps to the evidence list at the end. Every text from the report
goes through `markup` (pdf_text.py): escaped for Paragraph's mini-markup and written in a font
that has its characters."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    Flowable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from mercato.agents.intelligence.ask.render import pdf_sections
from mercato.agents.intelligence.ask.render.pdf_parts import (
    MARGIN,
    MUTED,
    WIDTH,
    Styles,
    callout,
    meter,
    table,
)
from mercato.agents.intelligence.ask.render.pdf_text import fonts, markup, writable
from mercato.agents.intelligence.ask.render.view import build
from mercato.agents.intelligence.ask.render.view_types import ReportView


def _header(view: ReportView, styles: Styles) -> list[Flowable]:
    facts = [
        ("Mode", f"{view.mode} mode"),
        ("Status", view.status_label),
        ("Asked", view.created_at),
        ("Answered in", view.duration),
        *view.scope,
        *((label, f"{value} (your preference)") for label, value in view.preferences),
    ]
    rows = [
        [Paragraph(markup(label), styles.small), Paragraph(markup(value), styles.body)]
        for label, value in facts
    ]
    by_agent = ", ".join(f"{name} {value}" for name, value in view.confidence_by_agent)
    confidence = [
        Paragraph(
            f"<b>Confidence: {markup(view.confidence_text)}</b> ({markup(view.confidence_label)})",
            styles.body,
        ),
        meter(view),
        Paragraph(markup(by_agent), styles.small),
    ]
    layout = Table(
        [[table(rows, [26 * mm, WIDTH - 100 * mm], header=False), confidence]],
        colWidths=[WIDTH - 66 * mm, 66 * mm],
    )
    layout.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (0, 0), 0)])
    )
    story: list[Flowable] = [
        Paragraph(markup(f"{view.store_name} - Commerce intelligence report"), styles.eyebrow),
        Paragraph(markup(view.question), styles.title),
        layout,
    ]
    if view.notes:
        read = "; ".join(view.notes)
        story.append(Paragraph(markup(f"Read by {view.planned_by}: {read}"), styles.small))
    if view.follow_up:
        story.append(Paragraph("A follow-up of an earlier question.", styles.small))
    if not view.understood:
        story.append(
            callout(
                "We did not fully understand the question",
                ["Every analysis ran on the scope above; rephrase the question to narrow it."],
                styles,
                "#fcd34d",
                "#fffbeb",
            )
        )
    return story


def report_pdf(report: dict[str, Any], *, store_name: str) -> bytes:
    """The report as a PDF document (A4, numbered pages)."""
    view = build(report, store_name=store_name)
    styles = Styles()
    story = _header(view, styles)
    story += [Paragraph("Executive summary", styles.heading)]
    summary = Table(
        [[Paragraph(markup(view.summary or "No summary was written."), styles.summary)]],
        colWidths=[WIDTH],
    )
    summary.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#eff6ff")),
                ("LINEBEFORE", (0, 0), (0, -1), 3, colors.HexColor("#2563eb")),
                ("TOPPADDING", (0, 0), (-1, -1), 7),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 9),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
            ]
        )
    )
    story.append(summary)
    unverified = (
        f" Numbers not checked against the data: {', '.join(view.unverified)}."
        if view.unverified
        else ""
    )
    story.append(Paragraph(markup(f"Written by {view.summary_by}.{unverified}"), styles.small))
    if view.insufficient_reason:
        needed = [f"Needed: {need}" for need in view.insufficient_needed]
        story.append(Spacer(1, 6))
        story.append(
            callout(
                "Insufficient data",
                [view.insufficient_reason, *needed],
                styles,
                "#fca5a5",
                "#fef2f2",
            )
        )
    story += (
        pdf_sections.findings(view, styles)
        + pdf_sections.charts(view, styles)
        + pdf_sections.context(view, styles)
    )
    story += pdf_sections.evidence(view, styles)
    buffer = BytesIO()
    footer = writable(f"{view.store_name} - report {view.report_id}")

    def page(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(fonts().regular, 7.5)
        canvas.setFillColor(colors.HexColor(MUTED))
        canvas.drawString(MARGIN, 9 * mm, footer)  # drawn literally: no markup to escape
        canvas.drawRightString(A4[0] - MARGIN, 9 * mm, f"Page {document.page}")
        canvas.restoreState()

    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=16 * mm,
        title=view.question,
        author=f"Mercato for {view.store_name}",
        subject="Commerce intelligence report",
    )
    document.build(story, onFirstPage=page, onLaterPages=page)
    return buffer.getvalue()
