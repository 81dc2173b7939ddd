"""The model registry on a real database (seed 001 requirement 14): predictions tracked
against actuals, evaluation on a schedule, drift alerts, retraining into new versions,
promotion and rollback. A task of the test's own stands in for a part (sentiment, demand):
registered the way the parts register theirs, with a trainer and a resolver."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import select

from mercato.agents.intelligence.registry import jobs, metrics, service, tasks
from mercato.agents.intelligence.registry.models import IntelModelVersion, IntelPrediction
from mercato.agents.intelligence.registry.statuses import EvaluationOutcome, VersionStatus
from mercato.kernel import context
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.bus.models import OutboxRecord
from mercato.kernel.clock import ManualClock
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from mercato.kernel.db import UnitOfWork
from tests.integration.identity.conftest import ADMIN
from tests.support.store import store_for

LABELS = st.sampled_from(metrics.LABELS)
EXAMPLES = hypothesis_settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_names = itertools.count()


@dataclass
class Registry:
    """A store with the registry, a clock the test moves, and a task of the test's own."""

    kernel: Kernel
    client: httpx.AsyncClient
    clock: ManualClock
    task: str
    actuals: dict[str, float] = field(default_factory=dict)
    """What the resolver answers, by prediction subject."""

    def now(self) -> datetime:
        return self.clock.now()


async def _train(uow: UnitOfWork, params: Mapping[str, Any], now: datetime) -> tasks.Trained:
    return tasks.Trained({"round": int(params.get("round", 0)) + 1}, {"macro_f1": 0.9})


@pytest.fixture
async def registry(settings: Settings) -> AsyncIterator[Registry]:
    clock = ManualClock(datetime(2026, 12, 1, 12, tzinfo=UTC))
    name = f"qa{next(_names)}"
    found: dict[str, float] = {}

    async def resolve(uow: UnitOfWork, due: Sequence[tasks.Due]) -> dict[str, float | str]:
        return {d.id: found[d.subject] for d in due if d.subject in found}

    tasks.register(
        tasks.TaskSpec(name, "QA forecast", "mape", "lower", {"round": 0}, _train, resolve)
    )
    tasks.register(tasks.TaskSpec(f"{name}-labels", "QA labels", "macro_f1", "higher"))
    quick = settings.model_copy(update={"intel_evaluation_min_samples": 3})
    try:
        async with store_for(quick, clock=clock, start=False) as (kernel, client):
            with bind(tenant_id=quick.default_tenant):
                yield Registry(kernel, client, clock, name, found)
    finally:
        tasks.unregister(name)
        tasks.unregister(f"{name}-labels")


async def _predictions(r: Registry, task: str) -> list[IntelPrediction]:
    async with r.kernel.uow(writes=False) as uow:
        model = await service.ensure_model(uow, task=task, now=r.now())
        return list(
            await uow.session.scalars(
                select(IntelPrediction).where(IntelPrediction.model_id == model.id)
            )
        )


async def _versions(r: Registry) -> list[IntelModelVersion]:
    async with r.kernel.uow(writes=False) as uow:
        model = await service.ensure_model(uow, task=r.task, now=r.now())
        return await service.versions(uow, model_id=model.id)


async def _events(r: Registry, kind: str) -> list[dict[str, Any]]:
    async with r.kernel.uow(writes=False) as uow:
        rows = await uow.session.scalars(select(OutboxRecord).where(OutboxRecord.type == kind))
        return [row.payload for row in rows]


async def _evaluate(r: Registry, task: str | None = None) -> Any:
    async with r.kernel.uow() as uow:
        done = await service.evaluate(
            uow, task=task or r.task, settings=r.kernel.settings, now=r.now()
        )
        await uow.commit()
    return done


async def _forecast(r: Registry, days: dict[str, tuple[float, float]]) -> None:
    """Record a forecast per day (subject) due tomorrow, whose sales the resolver will know."""
    async with r.kernel.uow() as uow:
        for day, (predicted, actual) in days.items():
            await service.record_prediction(
                uow, task=r.task, subject=day, predicted_value=predicted,
                due_at=r.now() + timedelta(days=1), now=r.now(),
            )  # fmt: skip
            r.actuals[day] = actual
        await uow.commit()
    r.clock.advance(days=2)


@pytest.mark.seed_property(57)
@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
@EXAMPLES
@given(reviews=st.lists(st.tuples(LABELS, st.integers(1, 5)), min_size=1, max_size=8))
async def test_property_57_every_prediction_is_kept_with_what_actually_happened(
    registry: Registry, reviews: list[tuple[str, int]]
) -> None:
    # given a sentiment-like task's predictions, each with the customer's star rating
    task = f"{registry.task}-labels"
    batch = f"b{next(_names)}"
    async with registry.kernel.uow() as uow:
        for i, (label, rating) in enumerate(reviews):
            await service.record_prediction(
                uow, task=task, subject=f"{batch}-{i}", predicted_label=label,
                actual_label=metrics.label_of_rating(rating), now=registry.now(),
            )  # fmt: skip
        await uow.commit()

    # when the predictions are read back
    kept = {p.subject: p for p in await _predictions(registry, task) if p.subject[:-2] == batch}

    # then each one is there once, with its prediction, its actual and the version that made it
    assert len(kept) == len(reviews)
    for i, (label, rating) in enumerate(reviews):
        row = kept[f"{batch}-{i}"]
        assert row.predicted_label == label
        assert row.actual_label == metrics.label_of_rating(rating)
        assert row.resolved_at is not None and row.version_id


@pytest.mark.seed_property(58)
@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
@EXAMPLES
@given(
    wakes=st.lists(
        st.tuples(st.integers(0, 3), st.floats(0, 2)), min_size=1, max_size=6
    )  # (process, hours after the previous wake)
)
async def test_property_58_each_schedule_period_has_one_evaluation_whichever_process_wakes(
    registry: Registry, wakes: list[tuple[int, float]]
) -> None:
    # given a model scheduled every hour, and processes waking to run the schedule
    task = f"{registry.task}-{next(_names)}"
    tasks.register(tasks.TaskSpec(task, "QA", "macro_f1", "higher"))
    interval = registry.kernel.settings.intel_evaluation_interval = 3600.0
    try:
        expected: list[datetime] = []
        for _, hours in wakes:
            # when a process wakes and runs the schedule
            registry.clock.advance(hours=hours)
            now = registry.now()
            await jobs.evaluate_if_due(registry.kernel, task=task)
            if not expected or (now - expected[-1]).total_seconds() >= interval / 2:
                expected.append(now)

        # then the model was evaluated at the first wake and then once per half interval at
        # most: the wakes of other processes within it found it claimed
        async with registry.kernel.uow(writes=False) as uow:
            model = await service.ensure_model(uow, task=task, now=registry.now())
            done = await service.evaluations(uow, model_id=model.id, limit=100)
        assert sorted(e.evaluated_at for e in done) == expected
        assert all(e.trigger == "schedule" for e in done)
    finally:
        tasks.unregister(task)


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
async def test_the_schedule_evaluates_every_store_and_one_failing_store_stops_no_other(
    registry: Registry,
) -> None:
    # given three stores keeping the forecast model, one of whose resolver fails
    stores = ["north", "south", "broken"]
    for store in stores:
        with bind(tenant_id=store):
            async with registry.kernel.uow() as uow:
                await service.ensure_model(uow, task=registry.task, now=registry.now())
                await service.record_prediction(
                    uow, task=registry.task, subject="day", predicted_value=3.0,
                    now=registry.now(), due_at=registry.now(),
                )  # fmt: skip
                await uow.commit()
    registry.actuals["day"] = 4.0
    spec = tasks.spec_of(registry.task)
    assert spec is not None and spec.resolve is not None
    working = spec.resolve

    async def resolve(uow: UnitOfWork, due: Sequence[tasks.Due]) -> dict[str, float | str]:
        if context.current_tenant() == "broken":
            raise ConnectionError("the sales store is down")
        return await working(uow, due)

    tasks.register(replace(spec, resolve=resolve))

    # when the schedule runs
    await jobs.evaluate_all(registry.kernel)

    # then the two working stores' models were evaluated on their resolved prediction, and the
    # broken store's was not (nothing half-written)
    for store in stores:
        with bind(tenant_id=store):
            async with registry.kernel.uow(writes=False) as uow:
                model = await service.ensure_model(uow, task=registry.task, now=registry.now())
                done = await service.evaluations(uow, model_id=model.id)
                total, resolved = await service.prediction_counts(uow, model_id=model.id)
        if store == "broken":
            assert (len(done), resolved) == (0, 0)
        else:
            assert len(done) == 1 and (total, resolved) == (1, 1)


@pytest.mark.seed_property(59)
@pytest.mark.seed_property(60)
@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
@EXAMPLES
@given(
    sold=st.lists(st.integers(1, 50), min_size=3, max_size=6),
    first_error=st.floats(0.0, 0.3),
    later_error=st.floats(0.0, 0.6),
)
async def test_property_59_60_drift_alerts_and_a_retrained_version_follow_a_degraded_forecast(
    registry: Registry, sold: list[int], first_error: float, later_error: float
) -> None:
    # given a forecast's first evaluation, which sets its baseline
    batch = f"d{next(_names)}"
    await _forecast(
        registry, {f"{batch}a{i}": (n * (1 + first_error), float(n)) for i, n in enumerate(sold)}
    )
    versions_before = len(await _versions(registry))
    alerts_before = len(await _events(registry, "model.drift_detected"))
    first = await _evaluate(registry)
    assert first.outcome in {EvaluationOutcome.BASELINE, EvaluationOutcome.OK,
                             EvaluationOutcome.DRIFTED}  # fmt: skip
    if first.outcome != EvaluationOutcome.BASELINE:  # an earlier example set it: start afresh
        return

    # when later forecasts miss by `later_error`, and the model is evaluated again
    registry.clock.advance(days=40)  # the first forecasts leave the evaluation's window
    await _forecast(
        registry, {f"{batch}b{i}": (n * (1 + later_error), float(n)) for i, n in enumerate(sold)}
    )
    later = await _evaluate(registry)

    # then the MAPE worse than the baseline by more than 10 % is drift: an alert, and a
    # candidate version retrained from the active one; otherwise neither
    worse = metrics.worse_by(first.value, later.value, "lower")
    versions = await _versions(registry)
    alerts = await _events(registry, "model.drift_detected")
    if worse > 0.10 + 1e-9:
        assert later.outcome == EvaluationOutcome.DRIFTED
        assert len(alerts) == alerts_before + 1
        assert alerts[-1]["baseline"] == pytest.approx(first.value)
        assert len(versions) == versions_before + 1
        assert versions[0].status == VersionStatus.CANDIDATE
        assert later.retrained_version_id == versions[0].id
    elif worse < 0.10 - 1e-9:
        assert later.outcome == EvaluationOutcome.OK
        assert len(alerts) == alerts_before
        assert len(versions) == versions_before
    # and a new version never replaces the serving one by itself
    assert sum(v.status == VersionStatus.ACTIVE for v in versions) == 1
    await _promote_back_to_a_fresh_start(registry)


async def _promote_back_to_a_fresh_start(r: Registry) -> None:
    """Promote the newest version, so the next example starts from a version without a
    baseline."""
    newest = (await _versions(r))[0]
    async with r.kernel.uow() as uow:
        await service.promote(uow, task=r.task, version=newest.version, by="qa", now=r.now())
        await uow.commit()
    r.clock.advance(days=40)


@pytest.mark.seed_property(61)
@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
@EXAMPLES
@given(actions=st.lists(st.one_of(st.just(("retrain", 0)), st.tuples(st.just("promote"),
                                                                     st.integers(1, 6))),
                        min_size=1, max_size=6))  # fmt: skip
async def test_property_61_retraining_makes_numbered_versions_and_any_can_serve_again(
    registry: Registry, actions: list[tuple[str, int]]
) -> None:
    # given the model's versions so far
    before = await _versions(registry)

    # when staff retrain and promote (a version that exists: a candidate or a retired one)
    for action, pick in actions:
        async with registry.kernel.uow() as uow:
            if action == "retrain":
                await service.retrain(uow, task=registry.task, reason="qa", now=registry.now())
            else:
                known = await service.versions(
                    uow, model_id=(await service.ensure_model(
                        uow, task=registry.task, now=registry.now())).id
                )  # fmt: skip
                chosen = known[pick % len(known)].version
                await service.promote(
                    uow, task=registry.task, version=chosen, by="qa", now=registry.now()
                )
            await uow.commit()

    # then every retraining added the next number, from the version serving at the time;
    # nothing was deleted; exactly one version serves
    after = await _versions(registry)
    retrains = sum(1 for a, _ in actions if a == "retrain")
    assert len(after) == len(before) + retrains
    assert [v.version for v in after] == list(range(len(after), 0, -1))
    assert sum(v.status == VersionStatus.ACTIVE for v in after) == 1
    ids = {v.id for v in after}
    assert all(v.parent_id in ids for v in after if v.version > 1)
    rounds = {v.params["round"] for v in after}
    assert len(rounds) <= len(after)


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
async def test_staff_see_the_models_and_promote_and_retrain_over_http(
    registry: Registry,
) -> None:
    # given a forecast model with a retrained candidate
    made = await registry.client.post(
        f"/v1/intelligence/models/{registry.task}/versions",
        json={"reason": "new season"},
        headers=ADMIN,
    )
    assert made.status_code == 201, made.text
    assert made.json()["status"] == "candidate" and made.json()["parent_version"] == 1

    # when staff promote it, then roll back to version 1
    promoted = await registry.client.post(
        f"/v1/intelligence/models/{registry.task}/versions/2/promote", headers=ADMIN
    )
    rolled_back = await registry.client.post(
        f"/v1/intelligence/models/{registry.task}/versions/1/promote", headers=ADMIN
    )
    listed = await registry.client.get("/v1/intelligence/models", headers=ADMIN)

    # then version 1 serves again and version 2 is kept, retired
    assert promoted.status_code == rolled_back.status_code == 200
    model = next(m for m in listed.json()["items"] if m["task"] == registry.task)
    assert model["active_version"] == 1
    assert [(v["version"], v["status"]) for v in model["versions"]] == [
        (2, "retired"), (1, "active"),
    ]  # fmt: skip


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
async def test_what_cannot_be_done_is_refused_and_changes_nothing(
    registry: Registry,
) -> None:
    labels = f"{registry.task}-labels"
    before = await registry.client.get(f"/v1/intelligence/models/{labels}", headers=ADMIN)

    unknown_task = await registry.client.get("/v1/intelligence/models/astrology", headers=ADMIN)
    unknown_version = await registry.client.post(
        f"/v1/intelligence/models/{labels}/versions/9/promote", headers=ADMIN
    )
    untrainable = await registry.client.post(
        f"/v1/intelligence/models/{labels}/versions", json={}, headers=ADMIN
    )
    anonymous = await registry.client.post(f"/v1/intelligence/models/{labels}/evaluations")

    assert unknown_task.json()["code"] == "unknown_model_task"
    assert unknown_version.json()["code"] == "unknown_model_version"
    assert untrainable.status_code == 409
    assert untrainable.json()["code"] == "retraining_unavailable"
    assert anonymous.status_code == 401
    after = await registry.client.get(f"/v1/intelligence/models/{labels}", headers=ADMIN)
    assert after.json() == before.json()
