"""The shipping agent's routes, gathered: rate shopping and a cart's choice (api_rates), the
store's set-up (api_setup), shipments (api_shipments), their papers, the manifests and
carriers' webhooks (api_papers)."""

from __future__ import annotations

from fastapi import APIRouter

from mercato.agents.shipping import api_papers, api_rates, api_setup, api_shipments

router = APIRouter()
for part in (api_rates.router, api_setup.router, api_shipments.router, api_papers.router):
    router.include_router(part)
