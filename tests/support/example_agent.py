"""A small agent used to exercise the kernel: it owns notes, publishes `note.written`, and
records every handling of an event so tests can count effects."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, ClassVar

from fastapi import APIRouter, Depends, Request
from pydantic import Field
from sqlalchemy import Integer, MetaData, String, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from mercato.kernel.agent import Agent
from mercato.kernel.auth import Principal, public
from mercato.kernel.bus.models import SeqType
from mercato.kernel.bus.subscriptions import HandlerContext, on
from mercato.kernel.db import NAMING_CONVENTION, TenantScoped, UnitOfWork
from mercato.kernel.events import Event
from mercato.kernel.ids import new_id
from mercato.kernel.schemas import RequestModel


class ExampleBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Note(TenantScoped, ExampleBase):
    __tablename__ = "example_notes"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    text: Mapped[str] = mapped_column(String(200))
    count: Mapped[int] = mapped_column(Integer, default=1)


class Effect(ExampleBase):
    """One row per handler run that committed: duplicates would show as two rows."""

    __tablename__ = "example_effects"
    seq: Mapped[int] = mapped_column(SeqType, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(36))
    handler: Mapped[str] = mapped_column(String(80))
    aggregate_id: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer)


class NoteCopy(TenantScoped, ExampleBase):
    """A row of a store's own, written by a handler: it must get the event's tenant."""

    __tablename__ = "example_note_copies"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    text: Mapped[str] = mapped_column(String(200))


class NoteWritten(Event):
    event_type: ClassVar[str] = "note.written"
    note_id: str
    text: str
    position: int = 0


class NoteArchived(Event):
    event_type: ClassVar[str] = "note.archived"
    note_id: str
    position: int = 0


class NoteWriteFailed(Event):
    """Never published: exists to prove that rolled-back work publishes nothing."""

    event_type: ClassVar[str] = "note.write_failed"
    note_id: str


async def write_note(
    *, uow: UnitOfWork, text: str, note_id: str | None = None, position: int = 0
) -> Note:
    note = Note(id=note_id or new_id(), text=text)
    uow.session.add(note)
    uow.publish(NoteWritten(note_id=note.id, text=text, position=position), aggregate_id=note.id)
    return note


class Behaviour:
    """Knobs tests turn to make the handlers fail or stall."""

    failures_left: ClassVar[int] = 0
    always_fail: ClassVar[bool] = False
    delay: ClassVar[float] = 0.0


@on(NoteWritten)
async def count_note(event: NoteWritten, ctx: HandlerContext) -> None:
    if Behaviour.delay:
        await asyncio.sleep(Behaviour.delay)
    if Behaviour.always_fail:
        raise RuntimeError("the handler is broken")
    if Behaviour.failures_left > 0:
        Behaviour.failures_left -= 1
        raise RuntimeError("transient failure")
    ctx.uow.session.add(
        Effect(
            event_id=ctx.envelope.id,
            handler="count_note",
            aggregate_id=ctx.envelope.aggregate_id,
            position=event.position,
        )
    )


@on(NoteWritten)
async def audit_note(event: NoteWritten, ctx: HandlerContext) -> None:
    ctx.uow.session.add(
        Effect(
            event_id=ctx.envelope.id,
            handler="audit_note",
            aggregate_id=ctx.envelope.aggregate_id,
            position=event.position,
        )
    )
    # an upsert, so a replay rewrites the copy; its tenant comes from the event's context
    await ctx.uow.session.merge(NoteCopy(id=ctx.envelope.id, text=event.text))


@on(NoteArchived)
async def archive_note(event: NoteArchived, ctx: HandlerContext) -> None:
    ctx.uow.session.add(
        Effect(
            event_id=ctx.envelope.id,
            handler="archive_note",
            aggregate_id=ctx.envelope.aggregate_id,
            position=event.position,
        )
    )


async def effects(uow: UnitOfWork, handler: str | None = None) -> list[Effect]:
    query = select(Effect).order_by(Effect.seq)
    if handler:
        query = query.where(Effect.handler == handler)
    return list(await uow.session.scalars(query))


async def note_count(uow: UnitOfWork) -> int:
    return int(await uow.session.scalar(select(func.count()).select_from(Note)) or 0)


class NoteIn(RequestModel):
    text: str = Field(min_length=1, max_length=200)
    stars: int = Field(default=1, ge=1, le=5)


router = APIRouter(prefix="/notes", tags=["notes"])


@router.post("", status_code=201)
async def create_note(
    body: NoteIn, request: Request, principal: Annotated[Principal, Depends(public())]
) -> dict[str, Any]:
    kernel = request.app.state.kernel
    async with kernel.uow() as uow:
        note = await write_note(uow=uow, text=body.text)
        if body.text == "boom":
            raise RuntimeError("unexpected failure inside the service")
        await uow.commit()
    return {"id": note.id, "text": note.text}


agent = Agent(
    name="example",
    description="Exercises the kernel in tests",
    router=router,
    handlers=[count_note, audit_note, archive_note],
    tables=["example_notes", "example_effects", "example_note_copies"],
)
