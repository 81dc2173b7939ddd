"""A conversation's follow-ups keep the last question's scope (seed 001 property 32, end to
end); the WebSocket reports each agent's progress, then the report; the command line asks a
question and prints its report."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect
from typer.testing import CliRunner

from mercato.app import create_app
from mercato.cli import app as cli_app
from mercato.kernel.config import Settings
from tests.integration.identity.conftest import ADMIN, ADMIN_KEY
from tests.integration.intelligence.ask.conftest import Asker


async def test_a_follow_up_keeps_the_scope_and_narrows_it(asker: Asker) -> None:
    # given a question about the hoodies
    first = await asker.ask("How did the hoodies sell last month?")
    report = first["report"]
    assert report["scope"]["category_name"] == "Hoodies"
    # when the follow-up asks about the blue ones, in the same conversation
    then = await asker.ask("and for the blue ones?", conversation_id=first["conversation_id"])
    # then it kept the category, the period and the question's intents, and added the colour
    scope = then["report"]["scope"]
    assert then["report"]["follow_up"] is True
    assert scope["category_name"] == "Hoodies" and scope["period"] == report["scope"]["period"]
    assert scope["filters"] in ({"colour": "blue"}, {"color": "blue"})
    assert then["report"]["intents"] == report["intents"]


async def test_another_users_conversation_cannot_be_continued(asker: Asker) -> None:
    # given a conversation of the admin's
    first = await asker.ask("What do customers think of the hoodies?")
    # when someone else tries to continue it: the conversation's id is not theirs
    other = await asker.client.post(
        "/v1/intelligence/query",
        json={"question": "and the jackets?", "conversation_id": first["conversation_id"]},
        headers={"authorization": "Bearer not-a-key"},
    )
    # then they are refused, and no question was queued for them
    assert other.status_code == 401
    mine = await asker.client.get("/v1/intelligence/queries", headers=ADMIN)
    assert "and the jackets?" not in {q["question"] for q in mine.json()["items"]}


def _messages(socket: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    while not found or found[-1]["type"] not in {"report", "failed"}:
        found.append(socket.receive_json())
    return found


def test_the_socket_reports_each_agent_then_the_report(demo_settings: Settings) -> None:
    # given the app, and a question just asked
    with TestClient(create_app(demo_settings)) as client:
        asked = client.post(
            "/v1/intelligence/query",
            json={"question": "Which products may run out of stock?", "mode": "quick"},
            headers=ADMIN,
        )
        assert asked.status_code == 202
        query_id = asked.json()["query_id"]
        # when its socket is watched
        with client.websocket_connect(f"/v1/intelligence/ws/{query_id}?token={ADMIN_KEY}") as ws:
            said = _messages(ws)
        # then the state came first, and the report last
        assert said[0]["type"] == "status" and said[-1]["type"] == "report"
        report = said[-1]["report"]
        assert report["query_id"] == query_id and report["summary"]["text"]
        # and every agent that ran was reported (unless the socket joined after it ended)
        agents = {a["agent"] for a in report["agents"]}
        told = {m["agent"] for m in said if m["type"] == "agent"}
        assert told <= agents
        # when a finished question's socket opens, the report comes at once
        with client.websocket_connect(f"/v1/intelligence/ws/{query_id}?token={ADMIN_KEY}") as ws:
            again = _messages(ws)
        assert [m["type"] for m in again] == ["status", "report"]


def test_a_socket_for_another_question_or_without_credentials_is_closed(
    demo_settings: Settings,
) -> None:
    with TestClient(create_app(demo_settings)) as client:
        # when a socket names a question that is not the caller's (or does not exist)
        unknown = "/v1/intelligence/ws/01a00000-0000-7000-8000-000000000000"
        with (
            pytest.raises(WebSocketDisconnect) as missing,
            client.websocket_connect(f"{unknown}?token={ADMIN_KEY}") as ws,
        ):
            ws.receive_json()
        # then it is closed as not found; without credentials, as unauthorized
        assert missing.value.code == 4404
        with (
            pytest.raises(WebSocketDisconnect) as anonymous,
            client.websocket_connect(unknown) as ws,
        ):
            ws.receive_json()
        assert anonymous.value.code == 4401


def test_the_command_line_asks_and_prints_the_report(
    demo_settings: Settings, monkeypatch: Any
) -> None:
    # given the demo store's settings in the environment
    monkeypatch.setenv("MERCATO_DATA_DIR", str(demo_settings.data_dir))
    # when a question is asked on the command line
    done = CliRunner().invoke(cli_app, ["intel", "ask", "How are my prices against competitors?"])
    # then the report is printed: its summary, metrics, and where to read it
    assert done.exit_code == 0, done.output
    assert "Metrics" in done.output and "/v1/intelligence/reports/" in done.output
    # and as JSON
    as_json = CliRunner().invoke(
        cli_app, ["intel", "ask", "Which products may run out of stock?", "--json"]
    )
    assert as_json.exit_code == 0, as_json.output
    assert '"summary"' in as_json.output
