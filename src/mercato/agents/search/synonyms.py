"""The store's synonym groups: read by every search (a small table, one statement), replaced
whole by an admin (`PUT /v1/search/synonyms`)."""

from __future__ import annotations

from sqlalchemy import delete, select

from mercato.agents.search.answers import Answers
from mercato.agents.search.models import SearchSynonym
from mercato.kernel.db import UnitOfWork


async def groups(uow: UnitOfWork) -> list[list[str]]:
    rows = await uow.session.scalars(select(SearchSynonym).order_by(SearchSynonym.position))
    return [list(row.words) for row in rows]


async def put_groups(uow: UnitOfWork, new: list[list[str]]) -> list[list[str]]:
    """Replace the store's groups with `new` (each a list of words or phrases, in order)."""
    await uow.session.execute(delete(SearchSynonym))
    uow.session.add_all(SearchSynonym(position=n, words=list(group)) for n, group in enumerate(new))
    await uow.session.flush()
    uow.deps(Answers).changed_on_commit(uow)
    return new
