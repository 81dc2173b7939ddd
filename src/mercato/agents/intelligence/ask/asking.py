"""Accepting a question: its conversation (the asker's own, or a new one), its mode (the
caller's, or the one the question asks for), Deep mode's budget, its place in the queue and
the wait before it starts. The question is queued in the same transaction, then this
process's dispatcher is woken."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from opentelemetry import propagate
from sqlalchemy import func, select

from mercato.agents.intelligence.ask import queue
from mercato.agents.intelligence.ask.models import IntelQuery
from mercato.agents.intelligence.ask.problems import QueueFull
from mercato.agents.intelligence.ask.router import route
from mercato.agents.intelligence.ask.scope import Mode
from mercato.agents.intelligence.ask.statuses import QueryStatus
from mercato.agents.intelligence.ask.vocabulary import Vocabulary
from mercato.agents.intelligence.governance import budget
from mercato.agents.intelligence.memory import conversations
from mercato.kernel.auth import Principal
from mercato.kernel.ids import new_id

if TYPE_CHECKING:
    from mercato.kernel.bootstrap import Kernel

MAX_QUEUED_PER_STORE = 200


@dataclass(frozen=True)
class Accepted:
    query: IntelQuery
    ahead: int


def asker_of(principal: Principal) -> dict[str, object]:
    return {
        "id": principal.id,
        "tenant_id": principal.tenant_id,
        "kind": principal.kind,
        "roles": sorted(principal.roles),
        "merchant_id": principal.merchant_id,
    }


def principal_of(asker: dict[str, object]) -> Principal:
    roles = asker.get("roles") or []
    return Principal(
        id=str(asker["id"]),
        tenant_id=str(asker["tenant_id"]),
        kind=asker["kind"],  # type: ignore[arg-type]
        roles=frozenset(str(r) for r in roles),  # type: ignore[attr-defined]
        merchant_id=str(asker["merchant_id"]) if asker.get("merchant_id") else None,
    )


def _trace_context() -> dict[str, str]:
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier


def mode_of(question: str, chosen: str | None, kernel: Kernel) -> Mode:
    """The caller's mode, else the one the question's words ask for ("in depth": Deep)."""
    if chosen:
        return Mode(chosen)
    return route(question, Vocabulary(), today=kernel.clock.now().date()).mode


async def accept(
    kernel: Kernel,
    principal: Principal,
    *,
    question: str,
    mode: str | None,
    conversation_id: str | None,
) -> Accepted:
    chosen = mode_of(question, mode, kernel)
    priority = queue.PRIORITY[chosen]
    async with kernel.uow() as uow:
        now = uow.clock.now()
        if conversation_id:
            await conversations.last_turn(
                uow, conversation_id=conversation_id, user_id=principal.id
            )  # another's answers 404 (intel_conversation_not_found)
        else:
            conversation_id = await conversations.new_conversation_id()
        if chosen is Mode.DEEP:
            await budget.ensure_deep_allowed(uow, user_id=principal.id, now=now)
        waiting = await uow.session.scalar(
            select(func.count())
            .select_from(IntelQuery)
            .where(IntelQuery.status == QueryStatus.QUEUED)
        )
        if int(waiting or 0) >= MAX_QUEUED_PER_STORE:
            raise QueueFull(f"{waiting} of the store's questions are waiting to run")
        row = IntelQuery(
            id=new_id(),
            user_id=principal.id,
            asker=asker_of(principal),
            question=question,
            mode=chosen.value,
            priority=priority,
            status=QueryStatus.QUEUED,
            route={},
            agents=[],
            progress={},
            conversation_id=conversation_id,
            estimated_wait_s=0.0,
            enqueued_at=now,
            attempts=0,
            trace=_trace_context(),
        )
        uow.session.add(row)
        await uow.commit()
    ahead = await queue.ahead_of(kernel, priority=priority, enqueued_at=now)
    state = await queue.state(kernel)
    row.estimated_wait_s = await queue.estimate_wait(
        kernel, mode=chosen, ahead=ahead, running=state.running
    )
    return Accepted(row, ahead)
