"""The PDF's sections after its header: findings (metrics, actions, risks, insights), charts,
what is uncertain, data quality, the analyses that ran, similar questions and the evidence."""

from __future__ import annotations

from typing import Any

from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
)

from mercato.agents.intelligence.ask.render.charts_pdf import chart_drawing
from mercato.agents.intelligence.ask.render.pdf_parts import (
    MUTED,
    WIDTH,
    Styles,
    badge,
    bullets,
    notes,
    table,
)
from mercato.agents.intelligence.ask.render.pdf_text import markup
from mercato.agents.intelligence.ask.render.view_types import ReportView


def findings(view: ReportView, styles: Styles) -> list[Flowable]:
    story: list[Flowable] = []
    heading = styles.heading
    if view.metrics:
        rows: list[list[Any]] = [
            [
                Paragraph(f"<b>{name}</b>", styles.small)
                for name in ("Metric", "Value", "Change", "Before", "Trend", "Period")
            ]
        ]
        for metric in view.metrics:
            arrow = {"up": "\u25b2 Up", "down": "\u25bc Down", "flat": "No change"}.get(
                metric.direction, ""
            )
            colour = {"up": "#15803d", "down": "#b91c1c"}.get(metric.direction, MUTED)
            change = metric.change if metric.direction != "flat" else ""
            rows.append(
                [
                    Paragraph(markup(metric.label) + notes(metric.notes), styles.body),
                    Paragraph(f"<b>{markup(metric.value)}</b>", styles.body),
                    Paragraph(
                        f'<font color="{colour}">{markup(f"{arrow} {change}".strip())}</font>',
                        styles.body,
                    ),
                    Paragraph(markup(metric.previous), styles.body),
                    Paragraph(markup(metric.trend), styles.body),
                    Paragraph(markup(metric.period), styles.small),
                ]
            )
        story += [
            Paragraph("Key metrics", heading),
            table(rows, [44 * mm, 24 * mm, 38 * mm, 24 * mm, 20 * mm, WIDTH - 150 * mm]),
        ]
    if view.actions:
        rows = [
            [
                Paragraph(f"<b>{name}</b>", styles.small)
                for name in ("#", "Action", "Impact", "Effort")
            ]
        ]
        for action in view.actions:
            about = f" About: {', '.join(action.topics)}." if action.topics else ""
            rows.append(
                [
                    Paragraph(f"<b>{markup(action.priority)}</b>", styles.body),
                    [
                        Paragraph(
                            f"<b>{markup(action.title)}</b>{notes(action.notes)}", styles.body
                        ),
                        Paragraph(markup(action.detail + about), styles.small),
                    ],
                    Paragraph(markup(action.impact), styles.body),
                    Paragraph(markup(action.effort), styles.body),
                ]
            )
        story += [
            Paragraph("What to do", heading),
            table(rows, [10 * mm, WIDTH - 50 * mm, 20 * mm, 20 * mm]),
        ]
    if view.risks:
        rows = [
            [
                badge(risk.severity_label, risk.severity, styles),
                [
                    Paragraph(f"<b>{markup(risk.title)}</b>{notes(risk.notes)}", styles.body),
                    Paragraph(markup(risk.detail), styles.small),
                ],
            ]
            for risk in view.risks
        ]
        story += [
            Paragraph("Risks", heading),
            table(rows, [24 * mm, WIDTH - 24 * mm], header=False),
        ]
    if view.insights:
        items = [
            markup(insight.text)
            + notes(insight.notes)
            + (
                f" <font color='{MUTED}'>(confidence {insight.confidence})</font>"
                if insight.confidence
                else ""
            )
            for insight in view.insights
        ]
        story += [Paragraph("Insights", heading), bullets(items, styles)]
    return story


def charts(view: ReportView, styles: Styles) -> list[Flowable]:
    if not view.charts:
        return []
    story: list[Flowable] = [Paragraph("Charts", styles.heading)]
    for chart in view.charts:
        story.append(
            KeepTogether(
                [
                    Paragraph(f"<b>{markup(chart.title)}</b>{notes(chart.notes)}", styles.body),
                    Spacer(1, 3),
                    chart_drawing(chart.kind, chart.data, chart.title, WIDTH * 0.9),
                    Spacer(1, 8),
                ]
            )
        )
    return story


def context(view: ReportView, styles: Styles) -> list[Flowable]:
    story: list[Flowable] = []
    if view.uncertainty:
        story += [
            Paragraph("What we are unsure of", styles.heading),
            bullets([markup(line) for line in view.uncertainty], styles),
        ]
    if view.data_quality:
        items = [
            f"<b>{markup(w.kind)}:</b> {markup(w.message)}{notes(w.records)}"
            + (f" <font color='{MUTED}'>({markup(w.agent)})</font>" if w.agent else "")
            for w in view.data_quality
        ]
        story += [Paragraph("Data quality", styles.heading), bullets(items, styles)]
    if view.agents:
        rows: list[list[Any]] = [
            [
                Paragraph(f"<b>{name}</b>", styles.small)
                for name in ("Analysis", "Status", "Time", "Records", "Confidence", "Cache", "Note")
            ]
        ]
        for agent in view.agents:
            rows.append(
                [
                    badge(agent.status, agent.status, styles)
                    if i == 1
                    else Paragraph(markup(v), styles.body)
                    for i, v in enumerate(
                        (
                            agent.name,
                            agent.status,
                            agent.duration,
                            agent.records,
                            agent.confidence,
                            agent.cache,
                            agent.error,
                        )
                    )
                ]
            )
        widths = [34 * mm, 24 * mm, 18 * mm, 18 * mm, 22 * mm, 20 * mm]
        story += [
            Paragraph("Analyses that ran", styles.heading),
            table(rows, [*widths, WIDTH - sum(widths)]),
        ]
    if view.similar:
        items = [
            f"{markup(s.question)} <font color='{MUTED}'>(asked {markup(s.asked_at)}, "
            f"{markup(s.score)} similar, report {markup(s.report_id)})</font>"
            for s in view.similar
        ]
        story += [
            Paragraph("Similar questions asked before", styles.heading),
            bullets(items, styles),
        ]
    return story


def evidence(view: ReportView, styles: Styles) -> list[Flowable]:
    story: list[Flowable] = [Paragraph("Evidence", styles.heading)]
    if not view.evidence:
        return [*story, Paragraph("No records were cited.", styles.small)]
    for item in view.evidence:
        where = " - ".join(
            part
            for part in (
                f"observed {item.observed_at}" if item.observed_at else "",
                item.href or f"record {item.record_id}",
                f"lineage {item.lineage}" if item.lineage else "",
            )
            if part
        )
        story.append(
            Paragraph(
                f'<a name="{item.anchor}"/><b>[{item.number}]</b> '
                f"<font color='{MUTED}'>{markup(item.kind.upper())}</font> {markup(item.label)}"
                f"<br/><font size='7.5' color='{MUTED}'>{markup(where)}</font>",
                ParagraphStyle(
                    "evidence", styles.body, spaceAfter=3, leftIndent=14, firstLineIndent=-14
                ),
            )
        )
    return story
