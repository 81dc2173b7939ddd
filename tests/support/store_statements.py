"""Statement constants for the test that walks every Core statement of Mercato: the ones it
must find, and the ones it must let be."""

from __future__ import annotations

from sqlalchemy import Table, insert, select, text, update

from mercato.kernel.prepared_in import PreparedIn
from mercato.kernel.store_sql import in_store
from tests.support.example_agent import Effect, Note

NOTES: Table = Note.__table__  # type: ignore[assignment]

SCOPED = in_store(select(NOTES.c.text))
SCOPED_WRITE = in_store(insert(NOTES))
ACROSS_STORES = update(NOTES).values(text="x").execution_options(all_tenants=True)
ORM = select(Note.text)  # scoped by the session's loader criteria
NO_STORE = select(Effect.seq)

UNSCOPED = select(NOTES.c.text)
UNSCOPED_WRITE = insert(NOTES)
UNSCOPED_RAW = text("DELETE FROM example_notes")
IN_A_TUPLE = (SCOPED, update(NOTES).values(text="y"))
SCOPED_IN_LIST = PreparedIn(lambda ids: in_store(select(NOTES.c.id).where(NOTES.c.id.in_(ids))))
UNSCOPED_IN_LIST = PreparedIn(lambda ids: select(NOTES.c.id).where(NOTES.c.id.in_(ids)))


class Queries:
    IN_A_CLASS = select(NOTES.c.id)
