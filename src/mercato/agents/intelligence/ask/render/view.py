"""A stored report (a JSON dict: /tmp/intel/report_schema.md) read into what a page shows:
formatted values, findings in reading order, and every claim's evidence as numbered
footnotes. The HTML and the PDF render this one view. A report from an older or partial
writer (keys missing, wrong types) still reads: what is absent is left out."""

from __future__ import annotations

import re
from typing import Any

from mercato.agents.intelligence.ask.render.formatting import (
    MISSING,
    duration,
    measure,
    moment,
    number,
    share,
    text,
    title_case,
)
from mercato.agents.intelligence.ask.render.view_types import (
    ActionView,
    AgentView,
    ChartView,
    EvidenceView,
    Footnote,
    InsightView,
    MetricView,
    ReportView,
    RiskView,
    SimilarView,
    WarningView,
)

SEVERITIES = ("critical", "high", "medium", "low")
STATUS_LABELS = {
    "complete": "Complete",
    "partial": "Partial: some analyses did not finish",
    "insufficient": "Insufficient data",
}
_UNSAFE = re.compile(r"[^A-Za-z0-9_.:-]")


def anchor(evidence_id: str) -> str:
    """The HTML id of an evidence item: "ev-" and its id, any character outside
    [A-Za-z0-9_.:-] written as "~hex~" (so two ids never share an anchor)."""
    return "ev-" + _UNSAFE.sub(lambda found: f"~{ord(found.group()):x}~", evidence_id)


def safe_href(value: Any) -> str | None:
    """A link only to a path of the API ("/v1/...") or to an http(s) page; never a
    "javascript:" or "data:" URL."""
    href = text(value)
    if href.startswith("/") and not href.startswith("//"):
        return href
    if href.lower().startswith(("https://", "http://")):
        return href
    return None


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else []


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in _list(value) if isinstance(item, dict)]


def _strings(value: Any) -> list[str]:
    return [found for found in (text(item) for item in _list(value)) if found]


def _ids(value: Any) -> list[str]:
    """Evidence ids as they are (not cleaned: two ids stay two), each once, in order."""
    return list(dict.fromkeys(item for item in _list(value) if isinstance(item, str) and item))


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _evidence(report: dict[str, Any]) -> list[EvidenceView]:
    found: list[EvidenceView] = []
    seen: set[str] = set()
    for item in _dicts(report.get("evidence")):
        evidence_id = item.get("id")
        if not isinstance(evidence_id, str) or not evidence_id or evidence_id in seen:
            continue
        seen.add(evidence_id)
        found.append(
            EvidenceView(
                number=len(found) + 1,
                anchor=anchor(evidence_id),
                evidence_id=evidence_id,
                kind=title_case(item.get("kind")) or "Record",
                label=text(item.get("label")) or text(evidence_id) or "Record",
                record_id=text(item.get("record_id")),
                href=safe_href(item.get("href")),
                lineage=safe_href(item.get("lineage")),
                observed_at=moment(item.get("observed_at")) if item.get("observed_at") else "",
            )
        )
    return found


class _Notes:
    """Footnotes for evidence ids, numbered by the evidence list."""

    def __init__(self, evidence: list[EvidenceView]) -> None:
        self._by_id = {item.evidence_id: item for item in evidence}

    def __call__(self, ids: Any) -> list[Footnote]:
        notes = []
        for evidence_id in _ids(ids):
            item = self._by_id.get(evidence_id)
            if item is None:
                shown = text(evidence_id) or "?"
                notes.append(Footnote(shown, None, None, shown))
            else:
                notes.append(Footnote(evidence_id, item.number, item.anchor, item.label))
        return notes


def _metric(item: dict[str, Any], notes: _Notes) -> MetricView:
    unit = item.get("unit")
    change, change_percent = number(item.get("change")), number(item.get("change_percent"))
    basis = change if change is not None else change_percent
    direction = "" if basis is None else "up" if basis > 0 else "down" if basis < 0 else "flat"
    parts = []
    if change is not None:
        parts.append(measure(change, unit, signed=True))
    if change_percent is not None and text(unit) != "percent":
        parts.append(measure(change_percent, "percent", signed=True).replace(" pp", "%"))
    described = parts[0] if len(parts) == 1 else f"{parts[0]} ({parts[1]})" if parts else ""
    previous = item.get("previous")
    return MetricView(
        label=text(item.get("label")) or title_case(item.get("key")) or "Metric",
        value=measure(item.get("value"), unit),
        direction=direction,
        change=described,
        previous="" if number(previous) is None else measure(previous, unit),
        trend=text(item.get("trend")) or "unknown",
        period=text(item.get("period")),
        agent=text(item.get("agent")),
        notes=notes(item.get("evidence")),
    )


def _severity_rank(item: dict[str, Any]) -> int:
    severity = text(item.get("severity")).lower()
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


def _priority(item: dict[str, Any]) -> float:
    found = number(item.get("priority"))
    return found if found is not None and found >= 1 else float("inf")


def _scope(scope: dict[str, Any]) -> list[tuple[str, str]]:
    lines = []
    for label, key in (("Products", "product_names"),):
        names = _strings(scope.get(key)) or _strings(scope.get("product_ids"))
        if names:
            lines.append((label, ", ".join(names)))
    for label, key in (
        ("Category", "category_name"),
        ("Competitor", "competitor"),
        ("Marketplace", "marketplace"),
    ):
        value = text(scope.get(key)) or (
            text(scope.get("category_id")) if key == "category_name" else ""
        )
        if value:
            lines.append((label, value))
    filters = _dict(scope.get("filters"))
    if filters:
        lines.append(("Filters", ", ".join(f"{text(k)}: {text(v)}" for k, v in filters.items())))
    if not lines:
        lines.append(("Scope", "The whole store"))
    period = _dict(scope.get("period"))
    if period:
        dates = f"{text(period.get('start'))} to {text(period.get('end'))}"
        label = text(period.get("label"))
        lines.append(("Period", f"{label} ({dates})" if label else dates))
    return lines


def build(report: Any, *, store_name: str) -> ReportView:
    """The view of `report`; anything that is not a dict reads as an empty report."""
    report = _dict(report)
    evidence = _evidence(report)
    notes = _Notes(evidence)
    confidence = _dict(report.get("confidence"))
    overall = number(confidence.get("overall"))
    summary = _dict(report.get("summary"))
    insufficient = _dict(report.get("insufficient_data"))
    status = text(report.get("status")).lower()
    preferences = _dict(report.get("preferences"))
    risks = sorted(_dicts(report.get("risks")), key=_severity_rank)
    actions = sorted(_dicts(report.get("actions")), key=_priority)
    return ReportView(
        store_name=text(store_name),
        report_id=text(report.get("id")),
        query_id=text(report.get("query_id")),
        question=text(report.get("question")) or "(no question)",
        mode="Deep" if text(report.get("mode")).lower() == "deep" else "Quick",
        status=status or "unknown",
        status_label=STATUS_LABELS.get(status, title_case(status) or "Unknown"),
        created_at=moment(report.get("created_at")),
        duration=duration(report.get("duration_ms")),
        planned_by="an LLM" if text(report.get("planned_by")) == "llm" else "the router",
        understood=report.get("understood") is not False,
        follow_up=report.get("follow_up") is True,
        notes=_strings(report.get("notes")),
        scope=_scope(_dict(report.get("scope"))),
        confidence=0.0 if overall is None else min(max(overall, 0.0), 1.0),
        confidence_text=share(overall),
        confidence_label=text(confidence.get("label")).lower() or "unknown",
        confidence_by_agent=[
            (text(name), share(value)) for name, value in _dict(confidence.get("by_agent")).items()
        ],
        summary=text(summary.get("text")),
        summary_by="an LLM" if text(summary.get("written_by")) == "llm" else "a template",
        unverified=_strings(summary.get("unverified_numbers")),
        insufficient_reason=text(insufficient.get("reason"))
        or ("The data cannot support an answer." if insufficient else ""),
        insufficient_needed=_strings(insufficient.get("needed")),
        metrics=[_metric(item, notes) for item in _dicts(report.get("metrics"))],
        risks=[
            RiskView(
                title=text(item.get("title")) or "Risk",
                severity=SEVERITIES[rank] if (rank := _severity_rank(item)) < 4 else "unknown",
                severity_label=title_case(SEVERITIES[rank] if rank < 4 else "unknown"),
                detail=text(item.get("detail")),
                agent=text(item.get("agent")),
                notes=notes(item.get("evidence")),
            )
            for item in risks
        ],
        actions=[
            ActionView(
                priority=str(int(p)) if (p := _priority(item)) != float("inf") else MISSING,
                title=text(item.get("title")) or "Action",
                detail=text(item.get("detail")),
                impact=text(item.get("impact")).lower() or "unknown",
                effort=text(item.get("effort")).lower() or "unknown",
                topics=_strings(item.get("topics")),
                agent=text(item.get("agent")),
                notes=notes(item.get("evidence")),
            )
            for item in actions
        ],
        insights=[
            InsightView(
                text=text(item.get("text")),
                confidence=share(item.get("confidence")) if "confidence" in item else "",
                agent=text(item.get("agent")),
                notes=notes(item.get("evidence")),
            )
            for item in _dicts(report.get("insights"))
            if text(item.get("text"))
        ],
        uncertainty=_strings(report.get("uncertainty")),
        data_quality=[
            WarningView(
                kind=title_case(item.get("kind")) or "Warning",
                message=text(item.get("message")),
                agent=text(item.get("agent")),
                records=notes(item.get("records")),
            )
            for item in _dicts(report.get("data_quality"))
        ],
        charts=[
            ChartView(
                kind=text(item.get("kind")),
                title=text(item.get("title")) or title_case(item.get("kind")) or "Chart",
                data=item.get("data"),
                notes=notes(item.get("evidence")),
            )
            for item in _dicts(report.get("charts"))
        ],
        agents=[
            AgentView(
                name=text(item.get("agent")) or "?",
                status=text(item.get("status")).lower() or "unknown",
                duration=duration(item.get("duration_ms")),
                records=measure(item.get("records_read"), "count"),
                confidence=share(item.get("confidence")),
                cache=text(item.get("cache")) or MISSING,
                error=text(item.get("error")),
            )
            for item in _dicts(report.get("agents"))
        ],
        similar=[
            SimilarView(
                question=text(item.get("question")),
                report_id=text(item.get("report_id")),
                score=share(item.get("score")),
                asked_at=moment(item.get("asked_at")),
            )
            for item in _dicts(report.get("similar_questions"))
        ],
        evidence=evidence,
        preferences=[
            (label, value)
            for label, value in (
                ("KPIs", ", ".join(_strings(preferences.get("kpis")))),
                ("Marketplaces", ", ".join(_strings(preferences.get("marketplaces")))),
                ("Goals", ", ".join(_strings(preferences.get("goals")))),
                (
                    "Margin floor",
                    f"{text(preferences.get('margin_floor_percent'))}%"
                    if text(preferences.get("margin_floor_percent"))
                    else "",
                ),
            )
            if value
        ],
    )
