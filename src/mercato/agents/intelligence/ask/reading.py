"""Reading a question: the router first (with the conversation's last question, for a
follow-up); a question it cannot parse goes to the LLM when one is configured and the
budget allows, its plan kept in the cache so the same question asked again costs no tokens
(seed 001 property 46). Without an LLM, or when it fails, the router's reading stands and
the report says the question was not understood."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

import structlog

from mercato.agents.intelligence.ask.brain import IntelligenceModel
from mercato.agents.intelligence.ask.kept import Kept
from mercato.agents.intelligence.ask.llm import plan_with_llm
from mercato.agents.intelligence.ask.models import IntelQuery
from mercato.agents.intelligence.ask.router import route as route_question
from mercato.agents.intelligence.ask.scope import (
    Intent,
    Mode,
    Route,
    route_from_dict,
    route_to_dict,
)
from mercato.agents.intelligence.ask.vocabulary import Vocabulary, load
from mercato.agents.intelligence.cache.analysis_cache import AnalysisCache
from mercato.agents.intelligence.cache.plans import cached_plan
from mercato.agents.intelligence.governance import budget, usage
from mercato.agents.intelligence.memory import conversations
from mercato.kernel.auth import Principal
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.wiring import NotWiredError

if TYPE_CHECKING:
    from pydantic_ai.models import Model

log = structlog.get_logger("mercato.intelligence.ask")
VOCABULARY_SECONDS = 60.0
"""A store's vocabulary (its products, categories, competitors) is read again this often."""


async def vocabulary_of(kernel: Kernel) -> Vocabulary:
    async def read() -> Vocabulary:
        async with kernel.uow(writes=False) as uow:
            return await load(uow)

    return await kernel.deps(Kept).get("vocabulary", VOCABULARY_SECONDS, read)


def model_of(kernel: Kernel) -> Model | None:
    try:
        return kernel.deps(IntelligenceModel).model
    except NotWiredError:
        return None


async def read_question(
    kernel: Kernel, row: IntelQuery, principal: Principal, *, mode: Mode, now: datetime
) -> Route:
    vocab = await vocabulary_of(kernel)
    previous = None
    if row.conversation_id:
        async with kernel.uow(writes=False) as uow:
            turn = await conversations.last_turn(
                uow, conversation_id=row.conversation_id, user_id=principal.id
            )
        if turn is not None:
            previous = (turn.scope, tuple(Intent(i) for i in turn.intents))
    found = route_question(row.question, vocab, today=now.date(), previous=previous, mode=mode)
    model = model_of(kernel)
    if found.understood or found.follow_up or model is None:
        return found
    async with kernel.uow(writes=False) as uow:
        spent = (await budget.status(uow, user_id=principal.id, now=now)).exceeded
    if spent:
        return replace(found, notes=(*found.notes, "the LLM budget is spent: read by rules only"))
    try:
        async with asyncio.timeout(kernel.settings.llm_timeout_seconds):
            planned = await _plan(kernel, model, row, principal, vocab, mode=mode, now=now)
    except Exception as exc:  # the LLM's failure: the router's reading stands
        log.warning("intelligence_llm_plan_failed", query_id=row.id, error=repr(exc))
        return replace(found, notes=(*found.notes, "the LLM could not plan it: read by rules"))
    return route_from_dict(planned)


async def _plan(
    kernel: Kernel,
    model: Model,
    row: IntelQuery,
    principal: Principal,
    vocab: Vocabulary,
    *,
    mode: Mode,
    now: datetime,
) -> dict[str, Any]:
    async def plan() -> tuple[dict[str, Any], int]:
        made = await plan_with_llm(model, row.question, vocab, today=now.date(), mode=mode)
        async with kernel.uow() as uow:
            await usage.record(
                uow, user_id=principal.id, query_id=row.id, purpose="plan",
                model=made.model_name, input_tokens=made.input_tokens,
                output_tokens=made.output_tokens, now=now,
            )  # fmt: skip
            await uow.commit()
        return route_to_dict(made.route), made.input_tokens + made.output_tokens

    try:
        cache = kernel.deps(AnalysisCache)
    except NotWiredError:
        return (await plan())[0]
    kept, _ = await cached_plan(cache, row.question, plan)
    return {**kept, "mode": mode.value}
