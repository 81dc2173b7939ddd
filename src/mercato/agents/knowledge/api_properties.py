"""The seed-001 properties route: `GET /v1/knowledge/properties`."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from mercato.agents.knowledge import test_results
from mercato.agents.knowledge.schemas import CoveringTestOut, SeedPropertyList, SeedPropertyOut
from mercato.agents.knowledge.seed_properties import property_report
from mercato.kernel.auth import Principal, public
from mercato.kernel.routes import KernelDep

router = APIRouter(prefix="/knowledge", tags=["knowledge"])

Status = Literal["uncovered", "not_run", "passed", "failed", "skipped"]


@router.get("/properties", response_model=SeedPropertyList)
async def list_properties(
    _: Annotated[Principal, Depends(public())],
    kernel: KernelDep,
    area: Annotated[
        str | None, Query(max_length=80, description="e.g. 'Demand Forecast Agent'")
    ] = None,
    status: Annotated[Status | None, Query(description="Only those with this status")] = None,
) -> SeedPropertyList:
    """Seed 001's correctness properties ("Property N"), each with the tests that prove it
    (`@pytest.mark.seed_property(N)`) and their last recorded results."""
    path = test_results.results_path(kernel.settings)
    return SeedPropertyList(
        items=[
            SeedPropertyOut(
                number=prop.number,
                title=prop.title,
                validates=list(prop.validates),
                area=prop.area,
                status=coverage.status,
                tests=[
                    CoveringTestOut(
                        test=test,
                        outcome=result.outcome if result else None,
                        at=result.at if result else None,
                    )
                    for test, result in coverage.results.items()
                ],
            )
            for prop, coverage in property_report(area=area, status=status, results=path)
        ],
        next_cursor=None,
    )
