"""The pricing part's problems, each with its stable `code`."""

from __future__ import annotations

from mercato.kernel.errors import Forbidden, NotFound, Problem


class SuggestionNotFound(NotFound):
    code, title = "pricing_suggestion_not_found", "No such pricing suggestion"


class StaleSuggestion(Problem):
    """The product's price, the floor or the suggestion itself changed since it was made:
    nothing was changed; read the analysis again."""

    status, code, title = 409, "pricing_suggestion_stale", "The suggestion is out of date"


class NotYourProduct(Forbidden):
    code, title = "pricing_not_your_product", "This product belongs to another merchant"


class CategoryNotFound(NotFound):
    code, title = "pricing_category_not_found", "No such category"


class InvalidPricingInput(Problem):
    """An amount in the wrong currency or with more decimals than its currency has."""

    status, code, title = 422, "pricing_invalid_amount", "The amount is not valid"
