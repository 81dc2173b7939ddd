"""A report's executive summary (seed 001 property 33): written by templates from the
findings; with an LLM configured (and budget left), written by the LLM from the findings
only, and every number it states checked against them. A summary stating a number the
findings do not hold is not shown: the template's is, and the report says why."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import structlog

from mercato.agents.intelligence.ask.llm import write_summary_with_llm
from mercato.agents.intelligence.ask.numbers import unverified_numbers
from mercato.agents.intelligence.ask.reading import model_of
from mercato.agents.intelligence.ask.summary import template_summary
from mercato.agents.intelligence.governance import budget, usage
from mercato.kernel.auth import Principal

if TYPE_CHECKING:
    from mercato.kernel.bootstrap import Kernel

log = structlog.get_logger("mercato.intelligence.ask")


def _warn(report: dict[str, Any], kind: str, message: str) -> None:
    report["data_quality"].append(
        {"kind": kind, "message": message, "agent": "summary", "records": []}
    )


async def summarise(
    kernel: Kernel, principal: Principal, report: dict[str, Any], *, query_id: str
) -> dict[str, Any]:
    written = {"text": template_summary(report), "written_by": "template", "unverified_numbers": []}
    model = model_of(kernel)
    if model is None:
        return written
    now = kernel.clock.now()
    async with kernel.uow(writes=False) as uow:
        if (await budget.status(uow, user_id=principal.id, now=now)).exceeded:
            return written
    try:
        async with asyncio.timeout(kernel.settings.llm_timeout_seconds):
            made = await write_summary_with_llm(model, report)
    except Exception as exc:  # the template's summary stands
        log.warning("intelligence_llm_summary_failed", query_id=query_id, error=repr(exc))
        return written
    async with kernel.uow() as uow:
        await usage.record(
            uow, user_id=principal.id, query_id=query_id, purpose="summary",
            model=made.model_name, input_tokens=made.input_tokens,
            output_tokens=made.output_tokens, now=now,
        )  # fmt: skip
        await uow.commit()
    wrong = unverified_numbers(made.text, report)
    if wrong:
        _warn(
            report,
            "unverified_summary",
            f"the LLM's summary stated {', '.join(wrong)}, which the findings do not hold: "
            "the summary below is written from the findings by templates",
        )
        return {**written, "unverified_numbers": wrong}
    return {"text": made.text, "written_by": "llm", "unverified_numbers": []}
