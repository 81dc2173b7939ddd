"""The sentiment part's problems, each with its stable `code`."""

from __future__ import annotations

from mercato.kernel.errors import Forbidden, NotFound


class UnknownProduct(NotFound):
    code, title = "sentiment_unknown_product", "No such product"


class NotYourProduct(Forbidden):
    """A merchant reads the analyses of its own products only."""

    code, title = "sentiment_not_your_product", "This product is another merchant's"
