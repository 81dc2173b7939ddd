"""The Agent contract and the registry the app and the workers are assembled from.

An agent is a package under `mercato.agents` whose `__init__.py` defines `agent = Agent(...)`:
its name, its HTTP router, its commands, its event handlers, the tables it owns (no other
agent writes them), its sagas, its periodic jobs and the dependencies it wires (`setup`).
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter

from mercato.kernel.bus.subscriptions import Handler, Subscription, subscriptions_of
from mercato.kernel.config import INSTALLED_AGENTS, Settings
from mercato.kernel.saga import SagaDefinition

if TYPE_CHECKING:
    import typer

    from mercato.kernel.bootstrap import Kernel

__all__ = ["INSTALLED_AGENTS", "Agent", "PeriodicJob", "Registry", "agent_module"]


@dataclass(frozen=True)
class PeriodicJob:
    """Work an agent does on a schedule (sweepers, reconciliations). It must be safe to run
    in several processes at once: claim rows with conditional updates."""

    name: str
    interval: float | Callable[[Settings], float]
    """Seconds between runs, or how to read them from the deployment's settings."""
    run: Callable[[Kernel], Awaitable[Any]]
    at_start: bool = True
    """Whether a process runs it as soon as it starts; False: first after one interval (work
    too heavy to repeat at every start of every process, such as forecasting a store)."""

    def seconds(self, settings: Settings) -> float:
        return self.interval(settings) if callable(self.interval) else self.interval


@dataclass(frozen=True)
class Agent:
    name: str
    description: str = ""
    router: APIRouter | None = None
    """Mounted under /v1."""
    root_router: APIRouter | None = None
    """Mounted at the root, for paths fixed by standards (`/.well-known/…`)."""
    cli: typer.Typer | None = None
    """Its commands (`agents/<agent>/cli.py`), added to `mercato` as the router is to /v1:
    each of its groups and commands is a top-level one, named after what it acts on
    (`mercato catalog import`, `mercato users create-admin`); no two may share a name."""
    handlers: Sequence[Handler] = ()
    tables: Sequence[str] = ()
    sagas: Sequence[SagaDefinition] = ()
    jobs: Sequence[PeriodicJob] = ()
    setup: Callable[[Kernel], None] | None = None
    """Wires the agent's dependencies into the kernel when it is built (no I/O)."""
    on_start: Callable[[Kernel], Awaitable[None]] | None = None
    """Runs once the schema is current, before the process serves (seed rows, caches)."""
    web: Path | None = None
    """Its pages in the console (`agents/<agent>/web/`, whose `pages.js` registers them),
    served at `/console/agents/<name>/`."""
    on_stop: Callable[[Kernel], Awaitable[None]] | None = None
    """Runs when the kernel stops, before the database closes (outside clients' sockets)."""
    subscriptions: list[Subscription] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "subscriptions", subscriptions_of(self.name, list(self.handlers)))


class Registry:
    """The agents of this deployment, checked for clashes when assembled."""

    def __init__(self, agents: Iterable[Agent] = ()) -> None:
        self.agents: dict[str, Agent] = {}
        for agent in agents:
            self.add(agent)

    def add(self, agent: Agent) -> None:
        if agent.name in self.agents:
            raise ValueError(f"agent {agent.name!r} is registered twice")
        for table in agent.tables:
            owner = self.owner_of(table)
            if owner is not None:
                raise ValueError(f"table {table!r} belongs to {owner!r}, not {agent.name!r}")
        self.agents[agent.name] = agent

    def owner_of(self, table: str) -> str | None:
        return next((a.name for a in self.agents.values() if table in a.tables), None)

    def select(self, names: Iterable[str]) -> list[Agent]:
        wanted = list(names)
        unknown = [n for n in wanted if n not in self.agents]
        if unknown:
            raise KeyError(
                f"unknown agents: {', '.join(unknown)} (known: {', '.join(self.agents)})"
            )
        return [self.agents[n] for n in wanted]

    def subscriptions(self, names: Iterable[str] | None = None) -> list[Subscription]:
        agents = self.agents.values() if names is None else self.select(names)
        return [s for a in agents for s in a.subscriptions]

    def subscription(self, name: str) -> Subscription:
        for sub in self.subscriptions():
            if sub.name == name:
                return sub
        raise KeyError(f"no handler named {name!r}")

    @classmethod
    def load(cls, names: Iterable[str] = INSTALLED_AGENTS) -> Registry:
        """Import each agent's module and collect its `agent`."""
        return cls(importlib.import_module(agent_module(name)).agent for name in names)


def agent_module(name: str) -> str:
    """`inventory` → `mercato.agents.inventory`; a dotted path names an outside agent."""
    return name if "." in name else f"mercato.agents.{name}"
