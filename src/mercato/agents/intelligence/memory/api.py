"""The caller's own preferences, under /v1/intelligence: `GET /preferences` and
`PUT /preferences`. Each user reads and states only their own, so `intelligence:read` is
enough."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from mercato.agents.intelligence.access import READ
from mercato.agents.intelligence.memory import preferences
from mercato.agents.intelligence.memory.problems import InvalidPreferences
from mercato.agents.intelligence.memory.schemas import PreferencesIn, PreferencesOut
from mercato.kernel.auth import Principal, require
from mercato.kernel.openapi import problems
from mercato.kernel.routes import KernelDep

router = APIRouter(prefix="/preferences", tags=["intelligence"])

Reader = Annotated[Principal, Depends(require(READ))]


@router.get("", response_model=PreferencesOut)
async def get_preferences(kernel: KernelDep, principal: Reader) -> PreferencesOut:
    """The KPIs, marketplaces and goals the caller's answers are ordered by, their margin
    floor and report detail (the defaults when never stated)."""
    async with kernel.uow(writes=False) as uow:
        found = await preferences.get(uow, principal.id)
    return PreferencesOut.of(found)


@router.put("", response_model=PreferencesOut, responses=problems(InvalidPreferences))
async def put_preferences(
    body: PreferencesIn, kernel: KernelDep, principal: Reader
) -> PreferencesOut:
    """Replace the caller's preferences (a field left out takes its default); an unknown
    KPI or goal, a bad marketplace name or a floor outside 0..90 changes nothing."""
    async with kernel.uow() as uow:
        stated = await preferences.put(uow, principal.id, body, kernel.clock.now())
        await uow.commit()
    return PreferencesOut.of(stated)
