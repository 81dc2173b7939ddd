"""`Wiring`: the dependencies agents build once at set-up (gateways, clients, token services,
mailers), keyed by their type.

An agent's `setup` provides them (`kernel.provide(Gateways, Gateways(settings))`); code that
needs one asks by type (`uow.deps(Gateways)`, `kernel.deps(IdentityDeps)`) and gets it
typed, or a clear `NotWiredError` naming what is missing, never a dependency built on the fly
with other settings. A type is provided once: a second `provide` is a wiring mistake.
"""

from __future__ import annotations

from typing import Any, TypeVar, cast

T = TypeVar("T")


class NotWiredError(LookupError):
    """Code asked for a dependency no agent's `setup` provided in this kernel."""


class Wiring:
    def __init__(self) -> None:
        self._by_type: dict[type[Any], Any] = {}

    def provide(self, kind: type[T], value: T) -> None:
        if not isinstance(value, kind):
            raise TypeError(f"{value!r} is not a {kind.__qualname__}")
        if kind in self._by_type:
            raise ValueError(f"{_name(kind)} is provided twice")
        self._by_type[kind] = value

    def get(self, kind: type[T]) -> T:
        try:
            return cast(T, self._by_type[kind])
        except KeyError:
            raise NotWiredError(
                f"nothing provides {_name(kind)} in this kernel: the agent that wires it "
                "(its `setup`) is not installed"
            ) from None

    def take(self, kind: type[T]) -> T | None:
        """Remove and return what was provided (an agent's `on_stop` closing its clients)."""
        return cast("T | None", self._by_type.pop(kind, None))

    def __contains__(self, kind: type[Any]) -> bool:
        return kind in self._by_type


def _name(kind: type[Any]) -> str:
    return f"{kind.__module__}.{kind.__qualname__}"
