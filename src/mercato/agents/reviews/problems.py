"""The reviews agent's problems, each with its stable `code`."""

from __future__ import annotations

from mercato.kernel.errors import Forbidden, NotFound, Problem


class ReviewNotFound(NotFound):
    """Missing, of another store, or not shown to this caller: the same answer for all."""

    code, title = "review_not_found", "No such review"


class InvalidReview(Problem):
    status, code, title = 422, "invalid_review", "The review is not valid"


class NotYourReview(Forbidden):
    code, title = "review_not_yours", "Only the review's author may do this"


class OwnReviewVote(Forbidden):
    code, title = "review_own_vote", "You cannot vote on your own review"


class ReplyNotAllowed(Forbidden):
    """A merchant answers reviews of its own products only."""

    code, title = "review_reply_not_allowed", "You cannot reply to this review"


class ReviewerRequired(Forbidden):
    code, title = "review_customer_only", "Reviews are written by signed-in customers"


class ModerationConflict(Problem):
    """The review is not in a status this moderation step applies to."""

    status, code, title = 409, "review_moderation_conflict", "The review cannot move that way"


class AlreadyReported(Problem):
    status, code, title = 409, "review_already_reported", "You reported this review already"
