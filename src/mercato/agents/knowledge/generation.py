"""Test-data generation as the services offer it: Mercato's own generator (`testdata`), or an
external Test Data Agent when `MERCATO_TEST_DATA_AGENT` names one, with Mercato's generator
answering (and saying so in the metadata) when that agent does not.

Good results (every ordinary record passed every rule) are remembered as patterns the
knowledge query can find (`patterns`)."""

from __future__ import annotations

import asyncio

import structlog

from mercato.agents.knowledge import patterns
from mercato.agents.knowledge.context import UnknownSubjectError, domain_context
from mercato.agents.knowledge.generation_result import Generation
from mercato.agents.knowledge.testdata import GenerationRequest, GenerationResult, generate
from mercato.agents.knowledge.testdata.plan import make_plan
from mercato.kernel.bootstrap import Kernel

log = structlog.get_logger("mercato.knowledge")
LOCAL_PATH = "mercato-generator"


__all__ = ["LOCAL_PATH", "Generation", "generate_test_data"]


async def generate_test_data(
    kernel: Kernel, request: GenerationRequest, *, context: str = "", delegate: bool = True
) -> Generation:
    """`InvalidGenerationRequest` for a request no generator could answer. `delegate=False`
    when Mercato answers as a Test Data Agent itself (never forward what it was asked)."""
    used = _context_used(request, context)
    target = kernel.settings.test_data_agent if delegate else None
    fallback = ""
    if target:
        make_plan(request)  # a request Mercato would refuse is refused here, not forwarded
        # imported here: gRPC is loaded only by deployments that delegate or serve it
        from mercato.agents.knowledge.rpc.test_data_client import (
            TestDataAgentClient,
            TestDataAgentUnavailableError,
        )

        client = kernel.deps(TestDataAgentClient)
        try:
            return await client.generate(
                request, context=_context_sent(request, context), used=used
            )
        except TestDataAgentUnavailableError as exc:
            log.warning("test_data_agent_unavailable", target=target, error=str(exc))
            fallback = f" (fallback: the Test Data Agent at {target} did not answer: {exc})"
    result = await asyncio.to_thread(generate, request)
    await patterns.remember(kernel, request, result)
    return _local(result, used, fallback)


def _local(result: GenerationResult, used: str, fallback: str) -> Generation:
    return Generation(
        data=result.data,
        record_count=result.record_count,
        coherence_score=result.coherence_score,
        scenario_counts=dict(result.scenario_counts),
        generation_time_ms=result.generation_time_ms,
        generation_path=LOCAL_PATH + fallback,
        domain_context_used=used,
        edge_case_counts=dict(result.edge_case_counts),
    )


def _context_used(request: GenerationRequest, custom: str) -> str:
    """What the generation drew on, in a line: the rules and edge cases of the entity and
    workflow (the generator validates against the same registry)."""
    try:
        found = domain_context(entity=request.entity, workflow=request.workflow or None)
    except UnknownSubjectError:
        return custom
    rules = ", ".join(r.id for r in found.rules)
    cases = ", ".join(c.id for c in found.edge_cases)
    used = f"{request.entity}" + (f" in {request.workflow}" if request.workflow else "")
    used += f"; rules {rules or 'none'}; edge cases {cases or 'none'}"
    return f"{used}; request context: {custom}" if custom else used


def _context_sent(request: GenerationRequest, custom: str) -> str:
    """What an external agent is told, as seed 000's domain agent enriches its requests: the
    domain context in words (rules, edge cases), the workflow, the edge cases asked for, and
    the seed (the wire has no field for the last three)."""
    found = domain_context(entity=request.entity, workflow=request.workflow or None)
    asked = [f"Workflow: {request.workflow}."] if request.workflow else []
    if request.edge_cases:
        asked.append(f"Include edge-case records of {', '.join(request.edge_cases)}.")
    if request.seed is not None:
        asked.append(f"Seed: {request.seed}.")
    return "\n\n".join([found.context, *asked, *([custom] if custom else [])])
