"""The reviews agent's business rules (seed 000's review entity), registered once here and
enforced where a review is written: BR015 and BR016 at submission, BR025 wherever a review
is marked a verified purchase."""

from __future__ import annotations

from mercato.kernel.rules import business_rule


@business_rule(
    "BR015",
    name="rating_range",
    entity="review",
    condition="at review submission or edit",
    constraint="a rating is a whole number from 1 to 5",
    status=422,
)
def rating_in_range(*, rating: int) -> bool:
    return isinstance(rating, int) and not isinstance(rating, bool) and 1 <= rating <= 5


@business_rule(
    "BR016",
    name="one_review_per_product",
    entity="review",
    condition="at review submission",
    constraint="a customer writes one review per product (and edits it afterwards)",
    status=409,
)
def first_review(*, existing_review_id: str | None) -> bool:
    return existing_review_id is None


@business_rule(
    "BR025",
    name="verified_purchase",
    entity="review",
    condition="when a review is marked a verified purchase",
    constraint="a verified purchase needs a delivered order of the reviewer holding the product",
    status=422,
)
def verified_needs_delivery(*, verified: bool, delivered_orders: int) -> bool:
    return not verified or delivered_orders > 0
