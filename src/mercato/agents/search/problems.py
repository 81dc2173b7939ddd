"""The search agent's problems: each a stable `code` clients branch on."""

from __future__ import annotations

from mercato.kernel.errors import Problem


class InvalidSearch(Problem):
    status, code, title = 422, "invalid_search", "A search filter or cursor is not valid"
