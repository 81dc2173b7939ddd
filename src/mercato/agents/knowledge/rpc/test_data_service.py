"""Mercato as a Test Data Agent: `testdata.v1.TestDataService` (the contract seed 000's
client uses), answered by Mercato's own rule-checked generator.

Mercato generates its own entities (GetSchemas lists them, with their fields). A request for
a free-form schema (`schema.fields`, `inline_schema`, `constraints`) or with per-scenario
`overrides` is refused with INVALID_ARGUMENT, its detail starting with a stable code
(`custom_schema_unsupported: …`): records shaped or overridden from outside could not be
held to the business rules, and Mercato does not hand out data it cannot vouch for.
"""

from __future__ import annotations

import uuid
from typing import Any, TypeAlias

import grpc

from mercato.agents.knowledge import entities
from mercato.agents.knowledge.generation import generate_test_data
from mercato.agents.knowledge.health import component_health
from mercato.agents.knowledge.proto import test_data_pb2 as pb
from mercato.agents.knowledge.proto import test_data_pb2_grpc as rpc
from mercato.agents.knowledge.rpc.limits import MAX_DATA_BYTES, refuse_if_oversized
from mercato.agents.knowledge.search import INDEX, Index
from mercato.agents.knowledge.testdata import (
    GenerationRequest,
    InvalidGenerationRequest,
    generatable_entities,
)
from mercato.kernel.bootstrap import Kernel

Context: TypeAlias = "grpc.aio.ServicerContext[Any, Any]"
DOMAIN = "ecommerce"
FORMATS = {pb.JSON: "json", pb.CSV: "csv", pb.SQL: "sql"}
EDGE_HINTS = {"edge_case", "edge_cases", "defect_triggering"}


class RefusedError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class TestDataService(rpc.TestDataServiceServicer):
    __test__ = False

    def __init__(
        self, kernel: Kernel, *, index: Index = INDEX, max_data_bytes: int = MAX_DATA_BYTES
    ) -> None:
        self.kernel = kernel
        self.index = index
        self.max_data_bytes = max_data_bytes

    async def GenerateData(
        self, request: pb.GenerateRequest, context: Context
    ) -> pb.GenerateResponse:
        request_id = request.request_id or str(uuid.uuid4())
        try:
            wanted = _generation_request(request)
            generation = await generate_test_data(
                self.kernel, wanted, context=request.context, delegate=False
            )
        except (RefusedError, InvalidGenerationRequest) as exc:
            await context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"{exc.code}: {exc}")
        await refuse_if_oversized(context, generation.data, request.count, self.max_data_bytes)
        return pb.GenerateResponse(
            request_id=request_id,
            success=True,
            data=generation.data,
            record_count=generation.record_count,
            metadata=pb.GenerationMetadata(
                generation_path=generation.generation_path,
                llm_tokens_used=0,
                generation_time_ms=generation.generation_time_ms,
                coherence_score=generation.coherence_score,
                scenario_counts=generation.scenario_counts,
            ),
        )

    async def GetSchemas(
        self, request: pb.GetSchemasRequest, context: Context
    ) -> pb.GetSchemasResponse:
        if request.domain and request.domain != DOMAIN:
            return pb.GetSchemasResponse()
        schemas = []
        for name in generatable_entities():
            described = entities.entity(name)
            schemas.append(
                pb.SchemaInfo(
                    name=name,
                    domain=DOMAIN,
                    description=described.description if described else name,
                    fields=[f.name for f in described.fields] if described else [],
                )
            )
        return pb.GetSchemasResponse(schemas=schemas)

    async def HealthCheck(
        self, request: pb.HealthCheckRequest, context: Context
    ) -> pb.HealthCheckResponse:
        # as an agent itself it delegates nothing: never ask another agent (two Mercatos
        # pointing at each other would ask each other in a loop)
        status, components = await component_health(
            self.kernel, index=self.index, include_agent=False
        )
        return pb.HealthCheckResponse(status=status, components=components)


def _generation_request(request: pb.GenerateRequest) -> GenerationRequest:
    if request.domain and request.domain != DOMAIN:
        raise RefusedError("unsupported_domain", f"Mercato generates {DOMAIN!r} data only")
    if request.schema.fields or request.inline_schema or request.constraints.field_constraints:
        raise RefusedError(
            "custom_schema_unsupported",
            "Mercato generates its own entities, held to their rules; name one as `entity` "
            "or `schema.predefined_schema` (GetSchemas lists them)",
        )
    if any(s.overrides for s in request.scenarios):
        raise RefusedError(
            "scenario_overrides_unsupported",
            "overridden fields could break the rules the records are checked against; "
            "choose a scenario instead",
        )
    entity = request.entity or request.schema.predefined_schema
    fmt = FORMATS.get(request.output_format)
    if fmt is None:
        raise RefusedError("invalid_format", "output_format is JSON, CSV or SQL")
    counted: dict[str, int] = {}
    for scenario in request.scenarios:  # a name given twice: its counts add up
        if scenario.count:
            counted[scenario.name] = counted.get(scenario.name, 0) + scenario.count
    uncounted = [s.name for s in request.scenarios if not s.count]
    return GenerationRequest(
        entity=entity,
        count=request.count,
        scenario_counts=counted,
        scenarios=uncounted,
        include_edge_cases=request.defect_triggering or bool(EDGE_HINTS & set(request.hints)),
        output_format=fmt,
    )
