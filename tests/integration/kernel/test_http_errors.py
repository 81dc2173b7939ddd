"""Bad input gets problem+json with a stable code, and writes nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from mercato.kernel.bootstrap import Kernel
from mercato.kernel.context import bind
from tests.integration.kernel.test_outbox_delivery import outbox_rows
from tests.support.example_agent import note_count
from tests.support.http import client_for

PROBLEM = "application/problem+json"


@pytest.fixture
async def client(kernel: Kernel) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(kernel) as c:
        yield c


async def nothing_was_written(kernel: Kernel) -> None:
    with bind(tenant_id="default"):
        async with kernel.uow(writes=False) as uow:
            assert await note_count(uow) == 0
    assert await outbox_rows(kernel) == []


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, object] = response.json()
    assert body["status"] == status and body["code"] == code
    assert body["type"] and body["title"]
    return body


async def test_a_valid_request_writes_the_note_and_its_event(
    client: httpx.AsyncClient, kernel: Kernel
) -> None:
    response = await client.post("/v1/notes", json={"text": "hello"})
    assert response.status_code == 201
    assert [r.type for r in await outbox_rows(kernel)] == ["note.written"]


async def test_malformed_json_is_a_400(client: httpx.AsyncClient, kernel: Kernel) -> None:
    response = await client.post(
        "/v1/notes", content=b'{"text": "unterminated', headers={"content-type": "application/json"}
    )
    assert_problem(response, 400, "malformed_json")
    await nothing_was_written(kernel)


async def test_wrong_types_are_a_422_naming_each_field(
    client: httpx.AsyncClient, kernel: Kernel
) -> None:
    response = await client.post("/v1/notes", json={"text": "", "stars": "many"})
    body = assert_problem(response, 422, "validation_failed")
    fields = {e["field"] for e in body["errors"]}  # type: ignore[attr-defined]
    assert fields == {"body.text", "body.stars"}
    await nothing_was_written(kernel)


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "streamed"])
async def test_a_body_over_the_limit_is_a_413(
    client: httpx.AsyncClient, kernel: Kernel, chunked: bool
) -> None:
    big = b'{"text": "' + b"x" * (kernel.settings.max_body_bytes + 10) + b'"}'

    async def stream() -> AsyncIterator[bytes]:
        for i in range(0, len(big), 65536):
            yield big[i : i + 65536]

    response = await client.post(
        "/v1/notes",
        content=stream() if chunked else big,
        headers={"content-type": "application/json"},
    )
    assert_problem(response, 413, "payload_too_large")
    await nothing_was_written(kernel)


async def test_an_unknown_route_is_a_404(client: httpx.AsyncClient) -> None:
    body = assert_problem(await client.get("/v1/nowhere"), 404, "route_not_found")
    assert body["instance"] == "/v1/nowhere"


async def test_a_wrong_method_is_a_405(client: httpx.AsyncClient, kernel: Kernel) -> None:
    assert_problem(await client.put("/v1/notes", json={"text": "x"}), 405, "method_not_allowed")
    await nothing_was_written(kernel)


async def test_an_unexpected_error_is_a_500_with_the_correlation_id_and_no_trace(
    client: httpx.AsyncClient,
    kernel: Kernel,
) -> None:
    response = await client.post(
        "/v1/notes", json={"text": "boom"}, headers={"x-correlation-id": "corr-boom-1"}
    )
    body = assert_problem(response, 500, "internal_error")
    assert body["correlation_id"] == "corr-boom-1"
    assert response.headers["x-correlation-id"] == "corr-boom-1"
    assert "Traceback" not in response.text and "RuntimeError" not in response.text
    await nothing_was_written(kernel)


async def test_an_invalid_tenant_header_is_a_400(client: httpx.AsyncClient, kernel: Kernel) -> None:
    response = await client.post("/v1/notes", json={"text": "x"}, headers={"x-tenant": "../etc"})
    assert_problem(response, 400, "invalid_tenant")
    await nothing_was_written(kernel)


async def test_every_response_carries_request_and_correlation_ids(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/health/live", headers={"x-request-id": "req-7"})
    assert response.headers["x-request-id"] == "req-7"
    assert response.headers["x-correlation-id"] == "req-7"


async def test_every_response_says_how_long_the_server_took(client: httpx.AsyncClient) -> None:
    # when any route answers
    response = await client.get("/health/live")
    # then Server-Timing carries the server-side duration in milliseconds (what benchmarks read)
    name, _, duration = response.headers["server-timing"].partition(";dur=")
    assert name == "app"
    assert float(duration) >= 0


async def test_the_openapi_schema_documents_errors_as_problems(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    assert "ProblemDetail" in schema["components"]["schemas"]
    create = schema["paths"]["/v1/notes"]["post"]["responses"]
    for status in ("400", "413", "422", "500"):
        assert PROBLEM in create[status]["content"], status
