"""The cart agent's errors, each with its stable code (rules' violations are the kernel's
`RuleViolated`, coded `br001_cart_item_quantity_limit` and so on)."""

from __future__ import annotations

from mercato.kernel.errors import Forbidden, NotFound, Problem, Unauthorized


class SessionRequired(Unauthorized):
    code, title = "session_required", "A cart needs a shopper"

    def __init__(self) -> None:
        super().__init__(
            "carts belong to a guest session or an account: POST /v1/sessions and send its "
            "token as X-Session-Token, or sign in"
        )


class NotAShopper(Forbidden):
    code, title = "not_a_shopper", "Only shoppers have carts"


class CartNotFound(NotFound):
    code, title = "cart_not_found", "No such cart"


class CartNotActive(Problem):
    status, code, title = 409, "cart_not_active", "The cart was merged or checked out"


class CartVersionConflict(Problem):
    """The cart changed since the client read it (EC001): re-read it and try again."""

    status, code, title = 409, "cart_version_conflict", "The cart was changed by another request"

    def __init__(self, current_version: int, detail: str | None = None) -> None:
        super().__init__(
            detail or "the cart changed since you read it: GET it and try again",
            current_version=current_version,
        )
        self.headers = {"ETag": f'"{current_version}"'}


class CartVersionMoved(Exception):  # noqa: N818 - a signal to the edge, not an error
    """Raised inside a command when its conditional update found the version moved (a
    concurrent writer committed first). The edge retries the command on a fresh unit of
    work, or answers `CartVersionConflict` when the client named the version it saw."""

    def __init__(self, cart_id: str) -> None:
        super().__init__(f"cart {cart_id} changed under the command")
        self.cart_id = cart_id


class ItemNotFound(NotFound):
    code, title = "cart_item_not_found", "No such line in this cart"


class VariantNotFound(NotFound):
    code, title = "variant_not_found", "No such product variant"


class VariantUnavailable(Problem):
    status, code, title = 409, "variant_unavailable", "The product is not for sale"


class CurrencyMismatch(Problem):
    status, code, title = 409, "currency_mismatch", "The product is sold in another currency"


class RegionNeedsCountry(Problem):
    status, code, title = 422, "region_needs_country", "A region needs its country"


class DiscountCodeNotFound(NotFound):
    code, title = "discount_code_not_found", "No such discount code"


class DiscountCodeInactive(Problem):
    status, code, title = 422, "discount_code_inactive", "The discount code is no longer valid"


class DiscountCodeNotStarted(Problem):
    status, code, title = 422, "discount_code_not_started", "The discount code is not valid yet"


class DiscountCodeExpired(Problem):
    status, code, title = 422, "discount_code_expired", "The discount code has expired"


class DiscountCodeExhausted(Problem):
    status, code, title = 409, "discount_code_exhausted", "The discount code was used up"


class DiscountMinimumNotMet(Problem):
    status, code, title = (
        422,
        "discount_minimum_not_met",
        "The cart's subtotal is below the code's minimum",
    )


class DiscountCurrencyMismatch(Problem):
    status, code, title = (
        422,
        "discount_currency_mismatch",
        "The fixed discount is in another currency than the cart",
    )


class DiscountCodeNotApplied(NotFound):
    code, title = "discount_code_not_applied", "The cart does not carry this code"


class DiscountCodeExists(Problem):
    status, code, title = 409, "discount_code_exists", "A discount code with this code exists"


class InvalidDiscountCode(Problem):
    status, code, title = 422, "invalid_discount_code", "The discount code is not valid"


class InvalidAmount(Problem):
    status, code, title = 422, "invalid_amount", "The amount is not valid in its currency"


class DuplicateTaxRate(Problem):
    status, code, title = 422, "duplicate_tax_rate", "Two rates for the same place"


class InvalidWindow(Problem):
    status, code = 422, "invalid_window"
    title = "The window must start before it ends, and span at most 366 days"
