"""The client of an external Test Data Agent (`testdata.v1.TestDataService`), as seed 000's
domain agent delegates generation to one: used when `MERCATO_TEST_DATA_AGENT` is host:port.

The knowledge agent's `setup` builds one per kernel (`kernel.deps(TestDataAgentClient)`);
its channel opens on the first call, in the event loop that makes it, and closes with the
kernel."""

from __future__ import annotations

import asyncio
import json
import uuid

import grpc

from mercato.agents.knowledge.generation_result import Generation
from mercato.agents.knowledge.proto import test_data_pb2 as pb
from mercato.agents.knowledge.proto import test_data_pb2_grpc as rpc
from mercato.agents.knowledge.rpc.limits import MAX_MESSAGE
from mercato.agents.knowledge.testdata import GenerationRequest

HEALTH_SECONDS = 5.0
FORMATS = {"json": pb.JSON, "csv": pb.CSV, "sql": pb.SQL}


class TestDataAgentUnavailableError(Exception):
    """The agent did not answer, or answered that it could not generate."""

    __test__ = False


class TestDataAgentClient:
    __test__ = False

    def __init__(self, target: str, *, timeout: float) -> None:
        self.target, self.timeout = target, timeout
        self._channel: grpc.aio.Channel | None = None

    def _service(self) -> rpc.TestDataServiceStub:
        if self._channel is None:
            self._channel = grpc.aio.insecure_channel(
                self.target,
                options=[
                    ("grpc.max_receive_message_length", MAX_MESSAGE),
                    ("grpc.max_send_message_length", MAX_MESSAGE),
                ],
            )
        return rpc.TestDataServiceStub(self._channel)

    async def close(self) -> None:
        if self._channel is not None:
            channel, self._channel = self._channel, None
            await channel.close()

    async def generate(self, request: GenerationRequest, *, context: str, used: str) -> Generation:
        fmt = FORMATS.get(request.output_format.lower())
        if fmt is None:  # Mercato's generator names the problem (invalid_format)
            raise TestDataAgentUnavailableError(
                f"format {request.output_format!r} is not on the wire"
            )
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
            response = await self._service().GenerateData(message, timeout=self.timeout)
        except grpc.aio.AioRpcError as exc:
            raise TestDataAgentUnavailableError(f"{exc.code().name}: {exc.details()}") from exc
        if not response.success:
            raise TestDataAgentUnavailableError(f"it could not generate: {response.error}")
        if fmt == pb.JSON and not await asyncio.to_thread(_json_list, response.data):
            raise TestDataAgentUnavailableError("it answered JSON that is not a list of records")
        path = response.metadata.generation_path
        return Generation(
            data=response.data,
            record_count=response.record_count,
            coherence_score=response.metadata.coherence_score,
            scenario_counts=dict(response.metadata.scenario_counts),
            generation_time_ms=response.metadata.generation_time_ms,
            generation_path=f"test-data-agent@{self.target}" + (f" ({path})" if path else ""),
            domain_context_used=used,
        )

    async def health(self) -> str:
        """The agent's own status, or why it could not be asked."""
        try:
            response = await self._service().HealthCheck(
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
