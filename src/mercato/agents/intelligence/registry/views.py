"""A model as the API shows it: its versions, its latest evaluations and what it tracks."""

from __future__ import annotations

from datetime import datetime

from mercato.agents.intelligence.registry import service
from mercato.agents.intelligence.registry.models import IntelEvaluation, IntelModelVersion
from mercato.agents.intelligence.registry.schemas import EvaluationOut, ModelOut, VersionOut
from mercato.agents.intelligence.registry.statuses import VersionStatus
from mercato.agents.intelligence.registry.tasks import TaskSpec
from mercato.kernel.db import UnitOfWork


async def model_out(uow: UnitOfWork, *, spec: TaskSpec, now: datetime) -> ModelOut:
    model = await service.ensure_model(uow, task=spec.task, now=now)
    rows = await service.versions(uow, model_id=model.id)
    numbers = {v.id: v.version for v in rows}
    total, resolved = await service.prediction_counts(uow, model_id=model.id)
    return ModelOut(
        task=spec.task,
        name=model.name,
        metric=model.metric,
        direction=spec.direction,
        active_version=next(v.version for v in rows if v.status == VersionStatus.ACTIVE),
        can_retrain=spec.train is not None,
        predictions=total,
        resolved=resolved,
        versions=[version_out(v, numbers) for v in rows],
        evaluations=[
            evaluation_out(e, numbers) for e in await service.evaluations(uow, model_id=model.id)
        ],
    )


def version_out(version: IntelModelVersion, numbers: dict[str, int]) -> VersionOut:
    return VersionOut(
        version=version.version,
        status=version.status,
        reason=version.reason,
        params=version.params,
        training_metrics=version.training_metrics,
        baseline=version.baseline,
        parent_version=numbers.get(version.parent_id) if version.parent_id else None,
        created_at=version.created_at,
        promoted_at=version.promoted_at,
        promoted_by=version.promoted_by,
    )


def evaluation_out(evaluation: IntelEvaluation, numbers: dict[str, int]) -> EvaluationOut:
    retrained = evaluation.retrained_version_id
    return EvaluationOut(
        id=evaluation.id,
        version=numbers[evaluation.version_id],
        metric=evaluation.metric,
        value=evaluation.value,
        baseline=evaluation.baseline,
        samples=evaluation.samples,
        outcome=evaluation.outcome,
        trigger=evaluation.trigger,
        retrained_version=numbers.get(retrained) if retrained else None,
        detail=evaluation.detail,
        evaluated_at=evaluation.evaluated_at,
    )
