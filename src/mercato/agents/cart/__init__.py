"""The cart agent."""

from __future__ import annotations

from mercato.kernel.agent import Agent

agent = Agent(name="cart", tables=[])
