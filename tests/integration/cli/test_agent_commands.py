"""An agent brings its commands (`Agent.cli`) the way it brings its router: `mercato` mounts
each installed agent's groups and commands beside the kernel's, loads the agents only when a
command that is not the kernel's is asked for, and refuses a name two owners claim."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from mercato.cli import agent_commands, app

runner = CliRunner()
GREETER = '["tests.support.commands.greeter"]'


def test_an_outside_agents_command_group_is_mounted_beside_the_kernels() -> None:
    # given a deployment whose only agent brings a `greet` group
    env = {"MERCATO_AGENTS": GREETER}
    # when its command is run, then it answers
    result = runner.invoke(app, ["greet", "hello", "Ada"], env=env)
    assert result.exit_code == 0, result.output
    assert result.output == "hello Ada\n"
    # and the help lists it with the kernel's commands
    listed = runner.invoke(app, ["--help"], env=env).output
    assert "│ greet " in listed and "│ serve " in listed
    # but an agent that is not installed brings nothing
    assert "│ users " not in listed
    assert runner.invoke(app, ["users", "--help"], env=env).exit_code == 2


def test_the_installed_agents_bring_the_documented_commands() -> None:
    # given the default agents, then their commands are the README's
    commands = agent_commands(taken={"serve", "worker", "db", "events", "demo", "version"})
    assert {"catalog", "users", "stores", "keys", "gen", "grpc"} <= set(commands)
    assert set(commands["users"].commands) == {"create-admin"}  # type: ignore[attr-defined]
    assert set(commands["stores"].commands) == {"add", "list"}  # type: ignore[attr-defined]
    assert set(commands["keys"].commands) == {"new", "rotate", "list"}  # type: ignore[attr-defined]


def test_a_kernel_command_is_answered_without_loading_any_agent() -> None:
    # given an agent that cannot be imported
    env = {"MERCATO_AGENTS": '["tests.support.commands.no_such_agent"]'}
    # when a kernel command runs, then it works and says nothing of the agent
    result = runner.invoke(app, ["version"], env=env)
    assert result.exit_code == 0, result.output
    assert "no_such_agent" not in result.output


def test_an_agent_command_that_takes_a_kernel_commands_name_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given an agent that adds a `serve` command
    monkeypatch.setenv("MERCATO_AGENTS", '["tests.support.commands.clashing"]')
    # when the commands are assembled, then the clash is an error naming both owners
    with pytest.raises(ValueError, match=r"'clashing' adds the command 'serve'.*the kernel"):
        agent_commands(taken={"serve"})


def test_two_agents_may_not_claim_one_command_name(monkeypatch: pytest.MonkeyPatch) -> None:
    # given an agent listed twice, so both copies claim `greet`
    monkeypatch.setenv(
        "MERCATO_AGENTS",
        '["tests.support.commands.greeter", "tests.support.commands.greeter"]',
    )
    with pytest.raises(ValueError, match="'greet', which is agent 'greeter'"):
        agent_commands(taken=set())
