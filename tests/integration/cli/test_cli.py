"""The `mercato` command: clear answers, including for bad options and unreachable services."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

import mercato
from mercato.cli import app
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from tests.support.example_agent import Behaviour

runner = CliRunner()


def env_for(settings: Settings, **extra: str) -> dict[str, str]:
    env = {
        "MERCATO_DATA_DIR": str(settings.data_dir),
        "MERCATO_DATABASE_URL": settings.resolved_database_url,
        "MERCATO_AGENTS": '["tests.support.example_agent"]',
        "MERCATO_LOG_LEVEL": "WARNING",
        "MERCATO_HANDLER_MAX_ATTEMPTS": "1",
    }
    return env | extra


def test_version_prints_the_package_version() -> None:
    result = runner.invoke(app, ["version"])
    assert result.exit_code == 0 and mercato.__version__ in result.output


def test_help_lists_the_commands() -> None:
    result = runner.invoke(app, ["--help"])
    for command in ("serve", "worker", "db", "events", "version"):
        assert command in result.output


def test_db_upgrade_then_current_on_a_fresh_database(tmp_path: Path) -> None:
    env = {"MERCATO_DATA_DIR": str(tmp_path / "data")}
    before = runner.invoke(app, ["db", "current"], env=env)
    assert before.exit_code == 0 and "empty" in before.output and "behind" in before.output
    upgraded = runner.invoke(app, ["db", "upgrade"], env=env)
    assert upgraded.exit_code == 0, upgraded.output
    after = runner.invoke(app, ["db", "current"], env=env)
    assert "up to date" in after.output


def test_an_unreachable_database_is_a_clear_error(tmp_path: Path) -> None:
    env = {"MERCATO_DATABASE_URL": "postgresql+asyncpg://nobody@127.0.0.1:1/none"}
    result = runner.invoke(app, ["db", "current"], env=env)
    assert result.exit_code == 2
    assert "cannot reach the database" in result.output
    assert "Traceback" not in result.output


def test_an_unreachable_broker_is_a_clear_error(tmp_path: Path) -> None:
    env = {"MERCATO_DATA_DIR": str(tmp_path), "MERCATO_BROKER_URL": "redis://127.0.0.1:1/0"}
    result = runner.invoke(app, ["worker"], env=env)
    assert result.exit_code == 2 and "cannot reach the broker" in result.output


def test_a_worker_without_a_broker_explains_why(tmp_path: Path) -> None:
    result = runner.invoke(app, ["worker"], env={"MERCATO_DATA_DIR": str(tmp_path)})
    assert result.exit_code == 2 and "MERCATO_BROKER_URL" in result.output


def test_a_worker_for_an_unknown_agent_names_the_known_ones(tmp_path: Path) -> None:
    env = {
        "MERCATO_DATA_DIR": str(tmp_path),
        "MERCATO_BROKER_URL": "redis://127.0.0.1:1/0",
        "MERCATO_AGENTS": '["tests.support.example_agent"]',
    }
    result = runner.invoke(app, ["worker", "--agents", "nonsense"], env=env)
    assert result.exit_code == 2
    assert "unknown agents: nonsense" in result.output and "example_agent" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["serve", "--port", "70000"],
        ["serve", "--workers", "0"],
        ["events", "replay", "--since", "yesterday"],
    ],
)
def test_bad_options_are_refused_before_anything_starts(args: list[str], tmp_path: Path) -> None:
    result = runner.invoke(app, args, env={"MERCATO_DATA_DIR": str(tmp_path)})
    assert result.exit_code == 2


def test_a_bad_setting_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["db", "current"], env={"MERCATO_EVENT_PARTITIONS": "zero"})
    assert result.exit_code == 2 and "invalid configuration" in result.output


async def _publish_one(settings: Settings) -> None:
    from mercato.kernel.bootstrap import Kernel
    from tests.support import example_agent

    kernel = Kernel.build(settings, agents=[example_agent.agent])
    with bind(tenant_id="default"):
        async with kernel.uow() as uow:
            await example_agent.write_note(uow=uow, text="via cli")
            await uow.commit()
    await kernel.db.dispose()


def test_events_tail_shows_the_newest_events(make_settings: Callable[..., Settings]) -> None:
    import asyncio

    settings = make_settings("sqlite")
    asyncio.run(_publish_one(settings))
    result = runner.invoke(app, ["events", "tail", "--limit", "5"], env=env_for(settings))
    assert result.exit_code == 0, result.output
    assert "note.written" in result.output and "pending" in result.output


def test_dlq_list_then_retry_redelivers_after_a_fix(make_settings: Callable[..., Settings]) -> None:
    import asyncio

    # given an event whose handler fails when replayed, leaving a dead letter
    settings = make_settings("sqlite")
    asyncio.run(_publish_one(settings))
    Behaviour.always_fail = True
    try:
        replayed = runner.invoke(
            app,
            [
                "events",
                "replay",
                "--since",
                "2000-01-01T00:00:00Z",
                "--handler",
                "example.count_note",
            ],
            env=env_for(settings),
        )
        assert replayed.exit_code == 0, replayed.output
        assert '"dead_lettered": 1' in replayed.output
        listed = runner.invoke(app, ["events", "dlq", "list", "--json"], env=env_for(settings))
        assert "example.count_note" in listed.output and "RuntimeError" in listed.output
        # when the handler is fixed and every dead letter retried
    finally:
        Behaviour.always_fail = False
    retried = runner.invoke(app, ["events", "dlq", "retry", "--all"], env=env_for(settings))
    # then it is handled and the list is empty
    assert retried.exit_code == 0, retried.output
    assert "handled" in retried.output
    assert (
        "no dead letters"
        in runner.invoke(app, ["events", "dlq", "list"], env=env_for(settings)).output
    )


def test_dlq_retry_needs_an_id_or_all(tmp_path: Path) -> None:
    result = runner.invoke(app, ["events", "dlq", "retry"], env={"MERCATO_DATA_DIR": str(tmp_path)})
    assert result.exit_code == 2 and "--all" in result.output


def test_create_admin_makes_an_admin_who_can_log_in(tmp_path: Path) -> None:
    import asyncio

    env = {
        "MERCATO_DATA_DIR": str(tmp_path / "data"),
        "MERCATO_LOG_LEVEL": "WARNING",
        "MERCATO_PASSWORD_HASH_MEMORY_KIB": "1024",
        "MERCATO_PASSWORD_HASH_TIME_COST": "1",
    }
    created = runner.invoke(app, ["users", "create-admin", "--email", "boss@example.com"], env=env)
    assert created.exit_code == 0, created.output
    password = created.output.split("password:")[1].split()[0]
    again = runner.invoke(
        app,
        [
            "users",
            "create-admin",
            "--email",
            "boss@example.com",
            "--password",
            "Tangerine-Piano-Lighthouse",
        ],
        env=env,
    )
    assert again.exit_code == 2 and "br011_unique_email" in again.output
    weak = runner.invoke(
        app, ["users", "create-admin", "--email", "b2@example.com", "--password", "short"], env=env
    )
    assert weak.exit_code == 2 and "weak_password" in weak.output

    async def roles_after_login() -> list[str]:
        from mercato.agents.identity import service
        from mercato.agents.identity.deps import IdentityDeps
        from mercato.kernel.bootstrap import Kernel

        settings = Settings(
            data_dir=tmp_path / "data", password_hash_memory_kib=1024, password_hash_time_cost=1
        )
        kernel = Kernel.build(settings)
        with bind(tenant_id="default"):
            deps = kernel.deps(IdentityDeps)
            async with kernel.uow() as uow:
                found = await service.check_credentials(
                    uow, deps, email="boss@example.com", password=password
                )
                result = await service.login(uow, deps, found)
        await kernel.db.dispose()
        assert isinstance(result, service.TokenPair)
        return result.user.roles

    assert asyncio.run(roles_after_login()) == ["admin"]


def test_stores_add_then_list(tmp_path: Path) -> None:
    env = {"MERCATO_DATA_DIR": str(tmp_path / "data"), "MERCATO_LOG_LEVEL": "WARNING"}
    added = runner.invoke(app, ["stores", "add", "shop-b", "--host", "b.example.com"], env=env)
    assert added.exit_code == 0, added.output
    listed = runner.invoke(app, ["stores", "list"], env=env)
    assert "shop-b" in listed.output and "b.example.com" in listed.output
    bad = runner.invoke(app, ["stores", "add", "Not A Store"], env=env)
    assert bad.exit_code == 2


def test_keys_rotate_adds_a_signing_key_and_keeps_the_old_one_verifying(tmp_path: Path) -> None:
    from mercato.agents.identity.tokens import Keyring

    env = {"MERCATO_DATA_DIR": str(tmp_path / "data")}
    first = runner.invoke(app, ["keys", "list"], env=env).output.split()[0]
    rotated = runner.invoke(app, ["keys", "rotate"], env=env)
    assert rotated.exit_code == 0, rotated.output
    listed = runner.invoke(app, ["keys", "list"], env=env).output.split()
    assert listed[0] != first and first in listed and "(signs)" in listed
    keyring = Keyring.from_directory(tmp_path / "data" / "keys")
    assert keyring.signing.kid == listed[0] and keyring.find(first) is not None
    runner.invoke(app, ["keys", "rotate", "--retire"], env=env)
    assert len(Keyring.from_directory(tmp_path / "data" / "keys").keys) == 1
