"""The client of an external Test Data Agent (`testdata.v1.TestDataService`), as seed 000's
domain agent delegates generation to one: used when `MERCATO_TEST_DATA_AGENT` is host:port."""

from __future__ import annotations

import asyncio
import json
import uuid

import grpc

from mercato.agents.knowledge.generation import Generation
from mercato.agents.knowledge.proto import test_data_pb2 as pb
from mercato.agents.knowledge.proto import test_data_pb2_grpc as rpc
from mercato.agents.knowledge.rpc.limits import MAX_MESSAGE
from mercato.agents.knowledge.testdata import GenerationRequest
from mercato.kernel.config import Settings

HEALTH_SECONDS = 5.0
FORMATS = {"json": pb.JSON, "csv": pb.CSV, "sql": pb.SQL}
_channels: dict[str, grpc.aio.Channel] = {}


class TestDataAgentUnavailableError(Exception):
    """The agent did not answer, or answered that it could not generate."""

    __test__ = False


def _service(settings: Settings) -> rpc.TestDataServiceStub:
    target = settings.test_data_agent
    assert target, "no Test Data Agent is configured"
    channel = _channels.get(target)
    if channel is None:
        channel = grpc.aio.insecure_channel(
            target,
            options=[
                ("grpc.max_receive_message_length", MAX_MESSAGE),
                ("grpc.max_send_message_length", MAX_MESSAGE),
            ],
        )
        _channels[target] = channel
    return rpc.TestDataServiceStub(channel)


async def close_channels() -> None:
    for channel in _channels.values():
        await channel.close()
    _channels.clear()


async def generate_elsewhere(
    settings: Settings, request: GenerationRequest, *, context: str, used: str
) -> Generation:
    fmt = FORMATS.get(request.output_format.lower())
    if fmt is None:  # Mercato's generator names the problem (invalid_format)
        raise TestDataAgentUnavailableError(f"format {request.output_format!r} is not on the wire")
    counted = sorted((n, c) for n, c in request.scenario_counts.items() if c)
    scenarios = [pb.Scenario(name=n, count=c) for n, c in counted]
    scenarios += [pb.Scenario(name=n) for n in request.scenarios]
    message = pb.GenerateRequest(
        request_id=str(uuid.uuid4()),
        domain="ecommerce",
        entity=request.entity,
        count=request.count,
        context=context,
        scenarios=scenarios,
        hints=["edge_case"] if request.include_edge_cases or request.edge_cases else [],
        output_format=fmt,
    )
    try:
        response = await _service(settings).GenerateData(
            message, timeout=settings.test_data_agent_timeout
        )
    except grpc.aio.AioRpcError as exc:
        raise TestDataAgentUnavailableError(f"{exc.code().name}: {exc.details()}") from exc
    if not response.success:
        raise TestDataAgentUnavailableError(f"it could not generate: {response.error}")
    if fmt == pb.JSON and not await asyncio.to_thread(_json_list, response.data):
        raise TestDataAgentUnavailableError("it answered JSON that is not a list of records")
    return Generation(
        data=response.data,
        record_count=response.record_count,
        coherence_score=response.metadata.coherence_score,
        scenario_counts=dict(response.metadata.scenario_counts),
        generation_time_ms=response.metadata.generation_time_ms,
        generation_path=f"test-data-agent@{settings.test_data_agent}"
        + (f" ({response.metadata.generation_path})" if response.metadata.generation_path else ""),
        domain_context_used=used,
    )


async def agent_health(settings: Settings) -> str:
    """The agent's own status, or why it could not be asked."""
    try:
        response = await _service(settings).HealthCheck(
            pb.HealthCheckRequest(), timeout=HEALTH_SECONDS
        )
    except grpc.aio.AioRpcError as exc:
        return f"unreachable ({exc.code().name})"
    return response.status or "unknown"


def _json_list(data: str) -> bool:
    try:
        return isinstance(json.loads(data), list)
    except ValueError:
        return False
