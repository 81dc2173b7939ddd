"""Input no route should see is refused at the edge, with a stable code, and writes nothing:
JSON that is not UTF-8 or nests absurdly deep (400 `malformed_json`), control characters in
any text (422 naming the field), strings and booleans posing as numbers (422)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from mercato.kernel.bootstrap import Kernel
from tests.integration.kernel.test_http_errors import assert_problem, nothing_was_written
from tests.support.http import client_for

JSON = {"content-type": "application/json"}


@pytest.fixture
async def client(kernel: Kernel) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(kernel) as c:
        yield c


@pytest.mark.parametrize(
    "body",
    [
        b'{"text": "caf\xe9"}',  # Latin-1, not UTF-8
        b'{"text": "\xff\xfe"}',
        b'{"text": "ok", "extra": ' + b"[" * 40 + b"]" * 40 + b"}",
        b"[" * 100_000,  # deeper than Python's own parser goes
    ],
    ids=["latin-1", "invalid-bytes", "nested-40", "nested-100000"],
)
async def test_a_body_that_is_not_utf8_or_nests_too_deep_is_malformed_json(
    client: httpx.AsyncClient, kernel: Kernel, body: bytes
) -> None:
    # when such a body is posted
    answer = await client.post("/v1/notes", content=body, headers=JSON)
    # then it is a 400 malformed_json, and nothing is written
    assert_problem(answer, 400, "malformed_json")
    await nothing_was_written(kernel)


@pytest.mark.parametrize(
    "text", ["nul\u0000byte", "bell\u0007", "esc\u001b[31m", "del\u007f", "c1\u0085", "half\ud800"]
)
async def test_control_characters_in_a_text_field_are_refused_naming_the_field(
    client: httpx.AsyncClient, kernel: Kernel, text: str
) -> None:
    raw = '{"text": "' + text.encode("unicode_escape").decode().replace("\\x", "\\u00") + '"}'
    answer = await client.post("/v1/notes", content=raw.encode(), headers=JSON)
    body = assert_problem(answer, 422, "validation_failed")
    assert [e["field"] for e in body["errors"]] == ["body.text"]  # type: ignore[attr-defined]
    await nothing_was_written(kernel)


async def test_a_control_character_in_a_key_or_a_raw_c1_character_is_refused(
    client: httpx.AsyncClient, kernel: Kernel
) -> None:
    for raw in ('{"te\\u0000xt": "hi"}', '{"text": "raw \u0085 next line"}'):
        answer = await client.post("/v1/notes", content=raw.encode(), headers=JSON)
        assert_problem(answer, 422, "validation_failed")
    await nothing_was_written(kernel)


async def test_tabs_newlines_and_any_language_are_text(
    client: httpx.AsyncClient, kernel: Kernel
) -> None:
    text = "Zoë\tØrsted\r\n日本語 🎉"
    answer = await client.post("/v1/notes", json={"text": text})
    assert answer.status_code == 201, answer.text
    assert answer.json()["text"] == text


async def test_a_control_character_in_a_query_parameter_is_refused(
    client: httpx.AsyncClient,
) -> None:
    answer = await client.get("/health", params={"q": "a\u0000b"})
    body = assert_problem(answer, 422, "validation_failed")
    assert [e["field"] for e in body["errors"]] == ["query.q"]  # type: ignore[attr-defined]


@pytest.mark.parametrize("stars", ["3", True, "true"])
async def test_a_number_sent_as_a_string_or_a_boolean_is_refused_not_coerced(
    client: httpx.AsyncClient, kernel: Kernel, stars: object
) -> None:
    answer = await client.post("/v1/notes", json={"text": "hello", "stars": stars})
    body = assert_problem(answer, 422, "validation_failed")
    assert [e["field"] for e in body["errors"]] == ["body.stars"]  # type: ignore[attr-defined]
    await nothing_was_written(kernel)
