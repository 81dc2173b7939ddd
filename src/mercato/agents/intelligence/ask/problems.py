"""The questions' and reports' problems, each with its stable `code` and, where the caller
can do something about it, a `suggested_action`."""

from __future__ import annotations

from typing import Any

from mercato.kernel.errors import NotFound, Problem
from mercato.kernel.security import AnotherStoresObject


class QueryNotFound(NotFound):
    code, title = "intel_query_not_found", "No such question"

    def __init__(self, detail: str | None = None, **extra: Any) -> None:
        super().__init__(
            detail,
            suggested_action="List your questions with GET /v1/intelligence/queries",
            **extra,
        )


class ReportNotFound(NotFound):
    code, title = "intel_report_not_found", "No such report"

    def __init__(self, detail: str | None = None, **extra: Any) -> None:
        super().__init__(
            detail,
            suggested_action="List your reports with GET /v1/intelligence/reports",
            **extra,
        )


class ReportArchived(Problem):
    status, code, title = 410, "intel_report_archived", "The report is archived"

    def __init__(self, detail: str | None = None, **extra: Any) -> None:
        super().__init__(
            detail,
            suggested_action="Its summary and metadata are still listed; ask the question "
            "again for a fresh report",
            **extra,
        )


class QueueFull(Problem):
    status, code, title = 429, "intel_queue_full", "Too many questions are waiting"

    def __init__(self, detail: str | None = None, **extra: Any) -> None:
        super().__init__(
            detail, suggested_action="Ask again in a minute, or in Quick mode", **extra
        )


class InvalidSalesQuery(Problem):
    status, code, title = 422, "intel_invalid_sales_query", "The sales query is not valid"


class QueryElsewhere(AnotherStoresObject):
    """Another store's question: answered as missing, the attempt recorded by the edge."""

    code, title = "intel_query_not_found", "No such question"


class ReportElsewhere(AnotherStoresObject):
    code, title = "intel_report_not_found", "No such report"
