"""The executive summary written by templates from a report's findings alone (seed 001
property 33): what the report covers and over which period, the one to three metric changes
that matter most with their figures, the most serious risk, the first action, how far the
findings can be trusted, and what is missing when the data is thin or an analysis failed.
Every figure it states is one of the findings' (`numbers.unverified_numbers` finds none)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from mercato.agents.intelligence.ask.findings import SEVERITY_RANK, Severity

METRICS_SHOWN = 3
DECIMALS = {"percent": 1, "score": 2, "units": 1, "count": 0, "days": 1}
"""How many decimals a unit's figure is written with (currencies: 2), trailing zeros of a
whole number dropped."""
FAILED = ("failed", "timeout")


def template_summary(report: dict[str, Any]) -> str:
    sentences = [_scope_sentence(report)]
    sentences += _metric_sentences(report.get("metrics") or [])
    if not report.get("metrics") and report.get("insights"):
        sentences.append(_sentence(str(report["insights"][0].get("text") or "")))
    risk = _top_risk(report.get("risks") or [])
    if risk is not None:
        sentences.append(
            f"The most serious risk, rated {risk.get('severity', 'low')}: "
            f"{_clause(risk.get('title'))}."
        )
    action = _first_action(report.get("actions") or [])
    if action is not None:
        effort = (
            f" ({action.get('impact', 'medium')} impact, {action.get('effort', 'medium')} effort)"
        )
        sentences.append(f"The first recommended action{effort}: {_clause(action.get('title'))}.")
    if not (report.get("metrics") or report.get("insights") or risk or action):
        sentences.append("The analyses found no figures, risks or actions for this scope.")
    sentences += _gaps(report)
    label = (report.get("confidence") or {}).get("label")
    if label:
        sentences.append(f"Confidence in these findings is {label}.")
    return " ".join(s for s in sentences if s)


def _scope_sentence(report: dict[str, Any]) -> str:
    scope = report.get("scope") or {}
    names = [str(n) for n in scope.get("product_names") or []]
    if names:
        subject = _joined(names[:3]) + (" and other products" if len(names) > 3 else "")
    elif scope.get("category_name"):
        subject = f"the {scope['category_name']} category"
    else:
        subject = "the whole store"
    filters = scope.get("filters") or {}
    if filters:
        subject += " (" + ", ".join(f"{k} {v}" for k, v in sorted(filters.items())) + ")"
    period = (scope.get("period") or {}).get("label")
    where = f" over {period}" if period else ""
    against = f", against {scope['competitor']}" if scope.get("competitor") else ""
    market = f", on {scope['marketplace']}" if scope.get("marketplace") else ""
    opening = f"This report covers {subject}{where}{against}{market}."
    if report.get("understood") is False:
        opening = (
            "The question was not understood, so every analysis looked at "
            f"{subject}{where}{against}{market}."
        )
    return opening


def _metric_sentences(metrics: Sequence[dict[str, Any]]) -> list[str]:
    ranked = sorted(
        (m for m in metrics if _number(m.get("value")) is not None),
        key=lambda m: (
            _number(m.get("change_percent")) is None,
            -abs(_number(m.get("change_percent")) or Decimal(0)),
            _number(m.get("change")) is None,
        ),
    )
    return [_metric_sentence(m) for m in ranked[:METRICS_SHOWN]]


def _metric_sentence(metric: dict[str, Any]) -> str:
    unit = str(metric.get("unit") or "")
    label = _clause(metric.get("label") or metric.get("key") or "A figure")
    label = label[:1].upper() + label[1:]
    value = _figure(_number(metric.get("value")), unit)
    previous = _number(metric.get("previous"))
    percent = _number(metric.get("change_percent"))
    change = _number(metric.get("change"))
    if percent is not None and _rounded(percent, 1) != 0:
        direction = "rose" if percent > 0 else "fell"
        since = f" (from {_figure(previous, unit)})" if previous is not None else ""
        return f"{label} {direction} by {_plain(abs(percent), 1)}% to {value}{since}."
    if change is not None and _rounded(change, _decimals(unit)) != 0:
        direction = "rose" if change > 0 else "fell"
        by = _figure(abs(change), unit)
        if unit == "percent":
            points = _plain(abs(change), 1)
            by = f"{points} percentage point{'' if points == '1' else 's'}"
        return f"{label} {direction} by {by} to {value}."
    if previous is not None and (percent is not None or change is not None):
        return f"{label} held steady at {value}."
    return f"{label} was {value}."


def _gaps(report: dict[str, Any]) -> list[str]:
    out: list[str] = []
    missing = report.get("insufficient_data")
    if missing:
        reason = _clause(missing.get("reason") or "the data cannot support an answer")
        out.append(f"The data is not enough for a firm answer: {reason}.")
        needed = [str(n) for n in missing.get("needed") or [] if str(n).strip()]
        if needed:
            out.append(f"A firmer answer needs {_joined(needed[:4])}.")
    failed = sorted(
        {
            str(a.get("agent"))
            for a in report.get("agents") or []
            if a.get("status") in FAILED and a.get("agent")
        }
        | {
            str(w.get("agent"))
            for w in report.get("data_quality") or []
            if w.get("kind") in ("agent_failed", "timeout") and w.get("agent")
        }
    )
    if len(failed) == 1:
        out.append(f"The {failed[0]} analysis was cut short, so its findings are missing.")
    elif failed:
        out.append(f"The {_joined(failed)} analyses were cut short, so their findings are missing.")
    elif not missing and any(
        w.get("kind") == "insufficient_data" for w in report.get("data_quality") or []
    ):
        out.append("Some figures rest on too little data to be firm.")
    return out


def _top_risk(risks: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    if not risks:
        return None
    return max(
        enumerate(risks),
        key=lambda item: (_severity_rank(item[1].get("severity")), -item[0]),
    )[1]


def _severity_rank(value: object) -> int:
    try:
        return SEVERITY_RANK[Severity(str(value))]
    except ValueError:
        return 0


def _first_action(actions: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    if not actions:
        return None
    ranked = sorted(
        enumerate(actions),
        key=lambda item: (not item[1].get("priority"), item[1].get("priority") or 0, item[0]),
    )
    return ranked[0][1]


# -- writing figures ----------------------------------------------------------------------


def _number(value: object) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    number = Decimal(str(value))
    return number if number.is_finite() else None


def _decimals(unit: str) -> int:
    return 2 if unit.startswith("currency:") else DECIMALS.get(unit, 2)


def _rounded(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _plain(value: Decimal, decimals: int) -> str:
    """`value` to `decimals` places with thousands separators; a whole number without its
    zeros (12.0 is "12"), except money ("12.00")."""
    rounded = _rounded(value, decimals)
    if decimals and rounded == rounded.to_integral_value():
        rounded = rounded.quantize(Decimal(1))
    return f"{rounded:,}"


def _figure(value: Decimal | None, unit: str) -> str:
    if value is None:
        return "an unknown value"
    if unit.startswith("currency:"):
        sign = "-" if value < 0 else ""
        return f"{sign}{unit.split(':', 1)[1]} {_rounded(abs(value), 2):,}"
    text = _plain(value, _decimals(unit))
    if unit == "percent":
        return f"{text}%"
    if unit in ("units", "days"):
        return f"{text} {unit if value != 1 else unit[:-1]}"
    return text


def _clause(text: object) -> str:
    """A finding's words inside a sentence: trimmed, without a closing full stop."""
    return str(text or "").strip().rstrip(".").strip() or "not described"


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    return text if text.endswith((".", "!", "?")) else text + "."


def _joined(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
