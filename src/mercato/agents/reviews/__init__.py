"""The reviews agent: customers' reviews of products (seed 003 "Review", seed 000's review
entity)."""

from __future__ import annotations

from mercato.kernel.agent import Agent

agent = Agent(name="reviews", description="Product reviews, moderation, verified purchase")
