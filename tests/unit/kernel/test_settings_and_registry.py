"""Settings default to a laptop; agents are assembled into a registry that refuses clashes."""

from __future__ import annotations

from pathlib import Path

import pytest

from mercato.kernel.agent import Agent, Registry
from mercato.kernel.bus.subscriptions import HandlerContext, on
from mercato.kernel.config import Settings
from tests.support.example_agent import NoteWritten


def test_the_defaults_are_embedded_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = Settings()
    assert settings.mode == "embedded"
    assert settings.resolved_database_url == f"sqlite+aiosqlite:///{tmp_path}/data/mercato.db"
    assert settings.broker_url is None and settings.should_auto_migrate


def test_postgres_and_redis_make_scaled_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MERCATO_DATABASE_URL", "postgresql+asyncpg://db/mercato")
    monkeypatch.setenv("MERCATO_BROKER_URL", "redis://cache:6379/0")
    settings = Settings()
    assert settings.mode == "scaled" and not settings.should_auto_migrate


def test_settings_are_read_from_a_dotenv_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("MERCATO_PORT=9123\n")
    assert Settings().port == 9123


async def _handler(event: NoteWritten, ctx: HandlerContext) -> None:
    return None


def test_an_agent_lists_a_subscription_per_marked_handler() -> None:
    handler = on(NoteWritten)(_handler)
    agent = Agent(name="a", handlers=[handler])
    assert [(s.name, s.event_type) for s in agent.subscriptions] == [("a._handler", "note.written")]


def test_an_unmarked_handler_is_refused() -> None:
    async def plain(event: NoteWritten, ctx: HandlerContext) -> None:
        return None

    with pytest.raises(TypeError, match="not marked"):
        Agent(name="a", handlers=[plain])


def test_two_agents_cannot_share_a_name_or_a_table() -> None:
    with pytest.raises(ValueError, match="twice"):
        Registry([Agent(name="a"), Agent(name="a")])
    with pytest.raises(ValueError, match="belongs to 'a'"):
        Registry([Agent(name="a", tables=["t"]), Agent(name="b", tables=["t"])])


def test_selecting_an_unknown_agent_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="known: a"):
        Registry([Agent(name="a")]).select(["zzz"])
