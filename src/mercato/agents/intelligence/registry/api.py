"""The model registry's routes: `/v1/intelligence/models`. Reading needs
`intelligence:read`; evaluating, retraining and promoting need `intelligence:manage`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Path

from mercato.agents.intelligence.access import MANAGE, READ
from mercato.agents.intelligence.registry import service, views
from mercato.agents.intelligence.registry.problems import (
    RetrainingUnavailable,
    UnknownTask,
    UnknownVersion,
)
from mercato.agents.intelligence.registry.schemas import (
    EvaluationOut,
    ModelList,
    ModelOut,
    RetrainIn,
    VersionOut,
)
from mercato.agents.intelligence.registry.tasks import TaskSpec, spec_of, tasks
from mercato.kernel.auth import Principal, require
from mercato.kernel.openapi import problems
from mercato.kernel.routes import KernelDep

router = APIRouter(prefix="/models", tags=["intelligence"])

Reader = Annotated[Principal, Depends(require(READ))]
Manager = Annotated[Principal, Depends(require(MANAGE))]
Task = Annotated[str, Path(max_length=32, description="sentiment or demand")]
RetrainBody = Annotated[RetrainIn, Body(default_factory=RetrainIn)]
"""Every field has a default: the body may be left out."""


def _spec(task: str) -> TaskSpec:
    spec = spec_of(task)
    if spec is None:
        raise UnknownTask(f"No model is kept for {task!r}")
    return spec


@router.get("", response_model=ModelList)
async def list_models(kernel: KernelDep, _: Reader) -> ModelList:
    """Every task's model: its versions (one active), latest evaluations and how many
    predictions it tracks."""
    async with kernel.uow() as uow:
        now = kernel.clock.now()
        items = [await views.model_out(uow, spec=spec, now=now) for spec in tasks()]
        await uow.commit()
    return ModelList(items=items, next_cursor=None)


@router.get("/{task}", response_model=ModelOut, responses=problems(UnknownTask))
async def get_model(task: Task, kernel: KernelDep, _: Reader) -> ModelOut:
    spec = _spec(task)
    async with kernel.uow() as uow:
        found = await views.model_out(uow, spec=spec, now=kernel.clock.now())
        await uow.commit()
    return found


@router.post(
    "/{task}/evaluations",
    response_model=EvaluationOut,
    status_code=201,
    responses=problems(UnknownTask),
)
async def evaluate_now(task: Task, kernel: KernelDep, _: Manager) -> EvaluationOut:
    """Score the active version now, as the schedule does: drift raises an alert and, when
    the task can be retrained, a candidate version."""
    _spec(task)
    async with kernel.uow() as uow:
        now = kernel.clock.now()
        done = await service.evaluate(
            uow, task=task, settings=kernel.settings, now=now, trigger="staff"
        )
        model = await service.ensure_model(uow, task=task, now=now)
        numbers = {v.id: v.version for v in await service.versions(uow, model_id=model.id)}
        await uow.commit()
    return views.evaluation_out(done, numbers)


@router.post(
    "/{task}/versions",
    response_model=VersionOut,
    status_code=201,
    responses=problems(UnknownTask, RetrainingUnavailable),
)
async def retrain(task: Task, body: RetrainBody, kernel: KernelDep, _: Manager) -> VersionOut:
    """Retrain: a candidate version from the active one (which keeps serving until the new
    one is promoted)."""
    _spec(task)
    async with kernel.uow() as uow:
        made = await service.retrain(uow, task=task, reason=body.reason, now=kernel.clock.now())
        numbers = {v.id: v.version for v in await service.versions(uow, model_id=made.model_id)}
        await uow.commit()
    return views.version_out(made, numbers)


@router.post(
    "/{task}/versions/{version}/promote",
    response_model=VersionOut,
    responses=problems(UnknownTask, UnknownVersion),
)
async def promote(
    task: Task,
    version: Annotated[int, Path(ge=1, le=1_000_000)],
    kernel: KernelDep,
    principal: Manager,
) -> VersionOut:
    """Make a version the active one: a candidate, or a retired one (rollback). The one that
    served until now is retired, never deleted."""
    _spec(task)
    async with kernel.uow() as uow:
        chosen = await service.promote(
            uow, task=task, version=version, by=principal.id, now=kernel.clock.now()
        )
        numbers = {v.id: v.version for v in await service.versions(uow, model_id=chosen.model_id)}
        await uow.commit()
    return views.version_out(chosen, numbers)
