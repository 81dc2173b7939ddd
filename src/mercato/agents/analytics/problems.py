"""The analytics agent's problems, each with its stable `code`."""

from __future__ import annotations

from mercato.kernel.errors import Forbidden, NotFound, Problem


class UnknownReport(NotFound):
    code, title = "unknown_report", "No such report"


class InvalidPeriod(Problem):
    status, code, title = 422, "invalid_period", "The report's period is not valid"


class InvalidReportQuery(Problem):
    """A `group_by`, `by` or `currency` the report does not take."""

    status, code, title = 422, "invalid_report_query", "The report cannot be asked that way"


class InvalidTimeZone(Problem):
    status, code, title = 422, "invalid_time_zone", "Not a time zone"


class OrderLevelReport(Forbidden):
    """Merchants see their own lines; figures of whole orders (funnel, carts, customers…)
    mix other merchants' sales and are the store's."""

    code, title = "analytics_order_level", "This report covers whole orders: the store's only"
