"""The model registry (seed 001 requirement 14): every task's model and its versions, the one
active version, predictions tracked against what happened (57), evaluation on a schedule
(58), drift alerts (59), retraining when a model degrades (60), and versions kept for rollback
(61). The only code that writes the registry's tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from mercato.agents.intelligence.registry import metrics
from mercato.agents.intelligence.registry.events import (
    ModelDriftDetected,
    ModelPromoted,
    ModelVersionCreated,
)
from mercato.agents.intelligence.registry.models import (
    IntelEvaluation,
    IntelModel,
    IntelModelVersion,
    IntelPrediction,
)
from mercato.agents.intelligence.registry.problems import (
    RetrainingUnavailable,
    UnknownTask,
    UnknownVersion,
)
from mercato.agents.intelligence.registry.statuses import EvaluationOutcome, VersionStatus
from mercato.agents.intelligence.registry.tasks import Due, TaskSpec, spec_of
from mercato.kernel.config import Settings
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id


def _spec(task: str) -> TaskSpec:
    spec = spec_of(task)
    if spec is None:
        raise UnknownTask(f"No model is kept for {task!r}")
    return spec


async def ensure_model(uow: UnitOfWork, *, task: str, now: datetime) -> IntelModel:
    """The store's model for the task, made with its shipped version (1, active) the first
    time it is asked for."""
    spec = _spec(task)
    model = await uow.session.scalar(select(IntelModel).where(IntelModel.task == task))
    if model is not None:
        return model
    model = IntelModel(id=new_id(), task=task, name=spec.name, metric=spec.metric, created_at=now)
    uow.session.add(model)
    uow.session.add(
        IntelModelVersion(
            id=new_id(), model_id=model.id, version=1, status=VersionStatus.ACTIVE,
            params=dict(spec.initial_params), training_metrics={}, reason="initial",
            created_at=now, promoted_at=now, promoted_by="system",
        )
    )  # fmt: skip
    await uow.session.flush()
    return model


async def active_version(uow: UnitOfWork, *, task: str, now: datetime) -> IntelModelVersion:
    model = await ensure_model(uow, task=task, now=now)
    version = await uow.session.scalar(
        select(IntelModelVersion).where(
            IntelModelVersion.model_id == model.id,
            IntelModelVersion.status == VersionStatus.ACTIVE,
        )
    )
    if version is None:  # every promotion leaves one active; a store's rows were edited by hand
        raise UnknownVersion(f"{task!r} has no active version")
    return version


async def record_prediction(
    uow: UnitOfWork,
    *,
    task: str,
    subject: str,
    now: datetime,
    key: str = "",
    predicted_label: str | None = None,
    predicted_value: float | None = None,
    actual_label: str | None = None,
    actual_value: float | None = None,
    due_at: datetime | None = None,
) -> IntelPrediction:
    """Track what the active version predicted about `subject` (and `key`); recording the same
    subject and key again replaces it (a re-analysed review, a re-made forecast). An actual
    known at once (a review's star rating) resolves it at once."""
    version = await active_version(uow, task=task, now=now)
    row = await uow.session.scalar(
        select(IntelPrediction).where(
            IntelPrediction.model_id == version.model_id,
            IntelPrediction.subject == subject,
            IntelPrediction.key == key,
        )
    )
    if row is None:
        row = IntelPrediction(id=new_id(), model_id=version.model_id, subject=subject, key=key)
        uow.session.add(row)
    resolved = actual_label is not None or actual_value is not None
    row.version_id = version.id
    row.predicted_label, row.predicted_value = predicted_label, predicted_value
    row.actual_label, row.actual_value = actual_label, actual_value
    row.due_at = due_at or now
    row.predicted_at = now
    row.resolved_at = now if resolved else None
    await uow.session.flush()
    return row


async def resolve_due(uow: UnitOfWork, *, task: str, now: datetime, limit: int = 5000) -> int:
    """Ask the task's resolver for the actuals of predictions that have come due; answers how
    many it resolved."""
    spec = _spec(task)
    if spec.resolve is None:
        return 0
    model = await ensure_model(uow, task=task, now=now)
    rows = list(
        await uow.session.scalars(
            select(IntelPrediction)
            .where(
                IntelPrediction.model_id == model.id,
                IntelPrediction.resolved_at.is_(None),
                IntelPrediction.due_at <= now,
            )
            .order_by(IntelPrediction.due_at)
            .limit(limit)
        )
    )
    if not rows:
        return 0
    actuals = await spec.resolve(uow, [Due(r.id, r.subject, r.key) for r in rows])
    for row in rows:
        if row.id not in actuals:
            continue
        actual = actuals[row.id]
        if isinstance(actual, str):
            row.actual_label = actual
        else:
            row.actual_value = float(actual)
        row.resolved_at = now
    await uow.session.flush()
    return sum(1 for r in rows if r.id in actuals)


@dataclass(frozen=True)
class Score:
    value: float | None
    samples: int
    detail: dict[str, object]


async def score(
    uow: UnitOfWork, *, version: IntelModelVersion, spec: TaskSpec, since: datetime
) -> Score:
    """The version's score on its predictions resolved since `since`."""
    rows = (
        await uow.session.execute(
            select(
                IntelPrediction.predicted_label, IntelPrediction.actual_label,
                IntelPrediction.predicted_value, IntelPrediction.actual_value,
            ).where(
                IntelPrediction.version_id == version.id,
                IntelPrediction.resolved_at.is_not(None),
                IntelPrediction.resolved_at >= since,
            )
        )
    ).all()  # fmt: skip
    if spec.metric == "macro_f1":
        pairs = [(p, a) for p, a, _, _ in rows if p is not None and a is not None]
        return Score(
            metrics.macro_f1(pairs) if pairs else None,
            len(pairs),
            {"confusion": metrics.confusion(pairs)},
        )
    values = [(p, a) for _, _, p, a in rows if p is not None and a is not None]
    result = metrics.mape(values)
    return Score(result.value, result.scored, {"days_without_sales": result.skipped_zero})


async def evaluate(
    uow: UnitOfWork, *, task: str, settings: Settings, now: datetime, trigger: str = "schedule"
) -> IntelEvaluation:
    """Score the active version on the window's resolved predictions and hold it to its
    baseline: the first scored evaluation sets the baseline; a score worse than it by more than
    the tolerance is drift — an alert (`model.drift_detected`) and, when the task can be
    retrained and the setting allows, a new version from the trainer."""
    spec = _spec(task)
    await resolve_due(uow, task=task, now=now)
    version = await active_version(uow, task=task, now=now)
    since = now - timedelta(days=settings.intel_evaluation_window_days)
    result = await score(uow, version=version, spec=spec, since=since)
    evaluation = IntelEvaluation(
        id=new_id(), model_id=version.model_id, version_id=version.id, metric=spec.metric,
        value=result.value, baseline=version.baseline, samples=result.samples,
        detail=result.detail, trigger=trigger, evaluated_at=now,
    )  # fmt: skip
    if result.value is None or result.samples < settings.intel_evaluation_min_samples:
        evaluation.outcome = EvaluationOutcome.INSUFFICIENT_DATA
    elif version.baseline is None:
        evaluation.outcome = EvaluationOutcome.BASELINE
        version.baseline = evaluation.baseline = result.value
    elif metrics.drifted(
        version.baseline, result.value, spec.direction, settings.intel_drift_tolerance
    ):
        evaluation.outcome = EvaluationOutcome.DRIFTED
        worse = metrics.worse_by(version.baseline, result.value, spec.direction)
        uow.publish(
            ModelDriftDetected(
                model_id=version.model_id, task=task, version=version.version,
                metric=spec.metric, baseline=version.baseline, value=result.value,
                worse_by=round(worse, 4),
            ),
            aggregate_id=version.model_id,
        )  # fmt: skip
        if settings.intel_auto_retrain and spec.train is not None:
            made = await retrain(uow, task=task, reason="retrained after drift", now=now)
            evaluation.retrained_version_id = made.id
    else:
        evaluation.outcome = EvaluationOutcome.OK
    uow.session.add(evaluation)
    await uow.session.flush()
    return evaluation


async def retrain(uow: UnitOfWork, *, task: str, reason: str, now: datetime) -> IntelModelVersion:
    """A new candidate version from the task's trainer, started from the active version's
    parameters; the active one keeps serving until the new one is promoted."""
    spec = _spec(task)
    if spec.train is None:
        raise RetrainingUnavailable(f"{task!r} has no trainer")
    active = await active_version(uow, task=task, now=now)
    trained = await spec.train(uow, dict(active.params), now)
    last = await uow.session.scalar(
        select(func.max(IntelModelVersion.version)).where(
            IntelModelVersion.model_id == active.model_id
        )
    )
    version = IntelModelVersion(
        id=new_id(), model_id=active.model_id, version=(last or 0) + 1,
        status=VersionStatus.CANDIDATE, params=trained.params,
        training_metrics=trained.metrics, parent_id=active.id, reason=reason[:200],
        created_at=now,
    )  # fmt: skip
    uow.session.add(version)
    await uow.session.flush()
    uow.publish(
        ModelVersionCreated(
            model_id=active.model_id, task=task, version=version.version, reason=version.reason,
            metrics=trained.metrics,
        ),
        aggregate_id=active.model_id,
    )  # fmt: skip
    return version


async def promote(
    uow: UnitOfWork, *, task: str, version: int, by: str, now: datetime
) -> IntelModelVersion:
    """Make `version` the active one (a candidate, or a retired one: rollback); the version
    that served until now is retired, never deleted. Promoting the active one changes
    nothing."""
    model = await ensure_model(uow, task=task, now=now)
    chosen = await uow.session.scalar(
        select(IntelModelVersion)
        .where(IntelModelVersion.model_id == model.id, IntelModelVersion.version == version)
        .with_for_update()
    )
    if chosen is None:
        raise UnknownVersion(f"{task!r} has no version {version}")
    if chosen.status == VersionStatus.ACTIVE:
        return chosen
    previous = await active_version(uow, task=task, now=now)
    await uow.session.execute(
        update(IntelModelVersion)
        .where(
            IntelModelVersion.model_id == model.id,
            IntelModelVersion.status == VersionStatus.ACTIVE,
        )
        .values(status=VersionStatus.RETIRED)
        .execution_options(synchronize_session="fetch")
    )
    chosen.status = VersionStatus.ACTIVE
    chosen.promoted_at, chosen.promoted_by = now, by
    chosen.baseline = None  # held to its own first scored evaluation
    await uow.session.flush()
    uow.publish(
        ModelPromoted(
            model_id=model.id, task=task, version=chosen.version,
            previous_version=previous.version,
        ),
        aggregate_id=model.id,
    )  # fmt: skip
    return chosen


async def versions(uow: UnitOfWork, *, model_id: str) -> list[IntelModelVersion]:
    return list(
        await uow.session.scalars(
            select(IntelModelVersion)
            .where(IntelModelVersion.model_id == model_id)
            .order_by(IntelModelVersion.version.desc())
        )
    )


async def evaluations(uow: UnitOfWork, *, model_id: str, limit: int = 20) -> list[IntelEvaluation]:
    return list(
        await uow.session.scalars(
            select(IntelEvaluation)
            .where(IntelEvaluation.model_id == model_id)
            .order_by(IntelEvaluation.evaluated_at.desc(), IntelEvaluation.id.desc())
            .limit(limit)
        )
    )


async def prediction_counts(uow: UnitOfWork, *, model_id: str) -> tuple[int, int]:
    """(predictions tracked, of which resolved) of the model."""
    total, resolved = (
        await uow.session.execute(
            select(func.count(), func.count(IntelPrediction.resolved_at)).where(
                IntelPrediction.model_id == model_id
            )
        )
    ).one()
    return int(total), int(resolved)


async def claim_evaluation(uow: UnitOfWork, *, task: str, now: datetime, interval: float) -> bool:
    """Whether this run of the schedule evaluates the task's model: the first run, and a run
    at least half an interval after the last claimed one. A conditional update, so of several
    processes waking together one claims it and the others skip."""
    model = await ensure_model(uow, task=task, now=now)
    claimed = await uow.session.execute(
        update(IntelModel)
        .where(
            IntelModel.id == model.id,
            (IntelModel.evaluated_at.is_(None))
            | (IntelModel.evaluated_at <= now - timedelta(seconds=interval / 2)),
        )
        .values(evaluated_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(claimed, "rowcount", 0))


async def stores_with_models(uow: UnitOfWork) -> list[str]:
    """Every store that keeps a model (the scheduled evaluation runs in each)."""
    rows = await uow.session.scalars(
        select(IntelModel.tenant_id).distinct().execution_options(all_tenants=True)
    )
    return sorted(rows)
