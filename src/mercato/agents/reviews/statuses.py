"""A review's status: pending (in the moderation queue), published (shown in the shop),
rejected (by staff, with a reason), hidden (withdrawn by staff or deleted by its author)."""

from __future__ import annotations

from enum import StrEnum


class ReviewStatus(StrEnum):
    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"
    HIDDEN = "hidden"


class ReplyAuthor(StrEnum):
    MERCHANT = "merchant"
    STAFF = "staff"
