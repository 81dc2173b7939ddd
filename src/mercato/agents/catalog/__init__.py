"""The catalog agent: products, variants (SKUs), categories, attributes, and the
availability read model browsing filters on (seed 000: BR012, BR013, EC009, EC010, EC015)."""

from __future__ import annotations

from pathlib import Path

from mercato.agents.catalog import rules as _rules  # registers BR012, BR013
from mercato.agents.catalog.access import WRITE
from mercato.agents.catalog.api import router
from mercato.agents.catalog.cli import cli
from mercato.agents.catalog.handlers import (
    refresh_availability,
    refresh_location,
    refresh_received,
)
from mercato.kernel.agent import Agent
from mercato.kernel.auth import grant

del _rules

grant("merchant", WRITE)

agent = Agent(
    name="catalog",
    description="Products, variants, categories and attributes; browsing with filters",
    router=router,
    cli=cli,
    handlers=[refresh_availability, refresh_received, refresh_location],
    tables=["categories", "products", "product_variants", "product_attribute_values"],
    web=Path(__file__).parent / "web",
)
