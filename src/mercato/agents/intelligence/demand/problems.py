"""The demand part's problems, each with its stable `code`."""

from __future__ import annotations

from mercato.kernel.errors import Forbidden, NotFound, Problem


class ForecastProductNotFound(NotFound):
    code, title = "demand_product_not_found", "No such product"


class InvalidHorizon(Problem):
    """Forecasts are made for 7, 30 or 90 days."""

    status, code, title = 422, "demand_invalid_horizon", "The horizon must be 7, 30 or 90 days"


class NotYourProduct(Forbidden):
    code, title = "demand_not_your_product", "This product belongs to another merchant"
