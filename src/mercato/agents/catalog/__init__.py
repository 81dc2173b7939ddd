"""The catalog agent: products, variants (SKUs), categories, attributes, and the
availability read model browsing filters on (seed 000: BR012, BR013, EC009, EC010, EC015)."""

from __future__ import annotations

import logging
from pathlib import Path

from mercato.agents.catalog import rules as _rules  # registers BR012, BR013
from mercato.agents.catalog.access import WRITE
from mercato.agents.catalog.api import router
from mercato.agents.catalog.cli import cli
from mercato.agents.catalog.gallery import PictureStore
from mercato.agents.catalog.handlers import (
    refresh_availability,
    refresh_location,
    refresh_received,
)
from mercato.agents.catalog.pictures_api import media
from mercato.agents.catalog.pictures_api import router as pictures_router
from mercato.kernel.agent import Agent
from mercato.kernel.auth import grant
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.objects import make_object_store

del _rules

grant("merchant", WRITE)
router.include_router(pictures_router)


def setup(kernel: Kernel) -> None:
    settings = kernel.settings
    if settings.mode == "scaled" and not settings.object_store_url:
        logging.getLogger(__name__).warning(
            "pictures are kept on this host's disk: set MERCATO_OBJECT_STORE_URL=s3://… so "
            "that every process serves them"
        )
    objects = make_object_store(
        settings.object_store_url,
        settings.data_dir,
        endpoint_url=settings.s3_endpoint_url,
        region=settings.s3_region,
    )
    kernel.provide(PictureStore, PictureStore(objects, settings.picture_max_bytes))


agent = Agent(
    name="catalog",
    description="Products, variants, categories and attributes; browsing with filters",
    router=router,
    root_router=media,
    cli=cli,
    setup=setup,
    handlers=[refresh_availability, refresh_received, refresh_location],
    tables=["categories", "products", "product_variants", "product_attribute_values"],
    web=Path(__file__).parent / "web",
)
