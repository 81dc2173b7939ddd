"""The returns agent's errors, each with its stable code (rules' violations are the kernel's
`RuleViolated`: `br009_return_window`, `br010_return_condition`)."""

from __future__ import annotations

from mercato.kernel.errors import NotFound, Problem


class ReturnNotFound(NotFound):
    code, title = "return_not_found", "No such return"


class InvalidReturn(Problem):
    status, code, title = 422, "invalid_return", "The return request is not valid"


class NotReturnable(Problem):
    """The units are not delivered, already returned, or asked for by another return."""

    status, code, title = 409, "units_not_returnable", "Those units cannot be returned"


class ReturnStatusConflict(Problem):
    status, code, title = 409, "return_status_conflict", "The return is not in that status"


class NotEnoughCredit(Problem):
    status, code, title = 409, "store_credit_insufficient", "Not enough store credit"
