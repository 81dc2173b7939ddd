"""One turn of a conversation as its handlers see it: who speaks, where the dialogue stands
(`state`, saved with the conversation), what the shopper has said so far, and how to reach
the other agents (`read()`: a unit of work that only reads; `kernel`: for a command, which
runs in its own unit of work and commits)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from mercato.agents.assistant.memory_view import Remembered
from mercato.agents.assistant.nlu.gazetteer import Gazetteer
from mercato.kernel.auth import Principal
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.db import UnitOfWork

SHOWN = 5
"""How many products a list shows (and "the second one" can name)."""


@dataclass
class Turn:
    kernel: Kernel
    principal: Principal
    conversation_id: str
    state: dict[str, Any]
    now: datetime
    gazetteer: Gazetteer | None
    remembered: Remembered
    payment: dict[str, Any] | None = None
    """A payment source the UI sent with a confirmation (never typed into the chat)."""
    learned: list[tuple[str, str, str]] = field(default_factory=list)
    """(kind, key, value) the shopper stated this turn, to remember."""

    @asynccontextmanager
    async def read(self) -> AsyncIterator[UnitOfWork]:
        """A unit of work that only reads."""
        async with self.kernel.uow(writes=False) as uow:
            yield uow
        await self.pause()

    @asynccontextmanager
    async def write(self) -> AsyncIterator[UnitOfWork]:
        """A unit of work committed when the block ends without an error."""
        async with self.kernel.uow() as uow:
            yield uow
            await uow.commit()
        await self.pause()

    @staticmethod
    async def pause() -> None:
        """Let the event loop step once after a unit of work: the other conversations' turns
        go on between this turn's reads and writes (SQLite's driver can run several without
        yielding), and coverage's tracer, which loses its place in the awaiting frames when
        SQLAlchemy switches greenlets, finds it again on the resumption."""
        await asyncio.sleep(0)

    # -- the dialogue's state --------------------------------------------------------

    @property
    def shown(self) -> list[dict[str, Any]]:
        """The products last listed, in order: {product_id, name}."""
        return list(self.state.get("shown", []))

    def show(self, products: list[dict[str, Any]]) -> None:
        self.state["shown"] = [{"product_id": p["id"], "name": p["name"]} for p in products[:SHOWN]]
        if products:
            self.focus(products[0]["id"], products[0]["name"]) if len(products) == 1 else None

    def focus(self, product_id: str, name: str) -> None:
        """The product the conversation is about ("it", "that one")."""
        self.state["focus"] = {"product_id": product_id, "name": name}

    @property
    def focused(self) -> dict[str, Any] | None:
        found: dict[str, Any] | None = self.state.get("focus")
        return found

    @property
    def pending(self) -> dict[str, Any] | None:
        found: dict[str, Any] | None = self.state.get("pending")
        return found

    def ask(
        self, intent: str, slot: str, args: dict[str, Any], *, options: list[str] | None = None
    ) -> None:
        """Wait for `slot` to go on with `intent` (its arguments so far in `args`)."""
        self.state["pending"] = {
            "kind": "slot",
            "intent": intent,
            "slot": slot,
            "args": args,
            "options": options or [],
        }

    def confirm(self, intent: str, args: dict[str, Any]) -> None:
        """Wait for a yes or a no before doing `intent` with `args`."""
        self.state["pending"] = {"kind": "confirm", "intent": intent, "args": args}

    def settle(self) -> None:
        self.state.pop("pending", None)

    def park(self) -> None:
        """Put the flow in progress aside for another request (a context switch)."""
        if self.pending is not None:
            self.state["parked"] = self.pending
            self.settle()

    def unpark(self) -> dict[str, Any] | None:
        parked: dict[str, Any] | None = self.state.pop("parked", None)
        return parked

    @property
    def shopper_kind(self) -> str:
        return self.principal.kind

    @property
    def owner(self) -> str | None:
        """Whose memory this conversation reads and writes."""
        if self.principal.kind == "user":
            return f"user:{self.principal.id}"
        if self.principal.kind == "guest" and self.principal.session_id:
            return f"guest:{self.principal.session_id}"
        return None
