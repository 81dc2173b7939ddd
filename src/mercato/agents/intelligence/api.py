"""The intelligence agent's HTTP surface under `/v1/intelligence`: each part of the agent
(sentiment, demand, ingestion and clean data, pricing, the model registry, questions
and reports, preferences and memory, governance) keeps its own
routes."""

from __future__ import annotations

from fastapi import APIRouter

from mercato.agents.intelligence.ask.api import router as ask_router
from mercato.agents.intelligence.ask.ws import router as ask_ws_router
from mercato.agents.intelligence.demand.api import router as demand_router
from mercato.agents.intelligence.governance.api import router as governance_router
from mercato.agents.intelligence.ingest.api import router as ingest_router
from mercato.agents.intelligence.memory.api import router as memory_router
from mercato.agents.intelligence.pricing.api import router as pricing_router
from mercato.agents.intelligence.registry.api import router as registry_router
from mercato.agents.intelligence.sentiment.api import router as sentiment_router

router = APIRouter(prefix="/intelligence")
router.include_router(sentiment_router)
router.include_router(demand_router)
router.include_router(ingest_router)
router.include_router(pricing_router)
router.include_router(registry_router)
router.include_router(ask_router)
router.include_router(ask_ws_router)
router.include_router(memory_router)
router.include_router(governance_router)
