"""Who may do what with reviews.

- anyone reads a product's published reviews (public);
- `reviews:write` (customers): write, edit and delete their own, vote, report;
- `reviews:reply` (merchants on their own products; staff on any): answer a review;
- `reviews:moderate` (support staff, system keys, admins): the queue, approve, reject,
  hide, and every review whatever its status.
"""

from __future__ import annotations

from mercato.kernel.auth import Principal

WRITE = "reviews:write"
REPLY = "reviews:reply"
MODERATE = "reviews:moderate"


def is_staff(principal: Principal) -> bool:
    return principal.can(MODERATE)


def reviewer_id(principal: Principal) -> str | None:
    """The customer a review is written as: a signed-in user's account (not a guest)."""
    return principal.id if principal.kind == "user" else None
