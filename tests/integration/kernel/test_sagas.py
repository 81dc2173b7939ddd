"""Sagas: steps commit with their progress, failures compensate in reverse, and unfinished
sagas are resumed by any process once their owner's lease lapses."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from mercato.kernel.bootstrap import Kernel
from mercato.kernel.context import bind
from mercato.kernel.saga import SagaContext, SagaDefinition, Step
from mercato.kernel.saga_models import SagaInstance, SagaLogEntry
from tests.conftest import eventually
from tests.support.example_agent import Effect, effects


def recorder(name: str, *, fail: bool = False, sleep: float = 0.0):  # type: ignore[no-untyped-def]
    async def step(ctx: SagaContext) -> None:
        if sleep:
            await asyncio.sleep(sleep)
        if fail:
            raise RuntimeError(f"{name} failed")
        ctx.uow.session.add(
            Effect(event_id=ctx.saga_id, handler=name, aggregate_id="saga", position=0)
        )
        ctx.data.setdefault("done", []).append(name)

    step.__name__ = name
    return step


def three_steps(*, third: Step) -> SagaDefinition:
    return SagaDefinition(
        name="three_steps",
        steps=[
            Step("one", recorder("do:one"), recorder("undo:one")),
            Step("two", recorder("do:two"), recorder("undo:two")),
            third,
        ],
    )


async def trail(kernel: Kernel) -> list[str]:
    with bind(tenant_id="shop-a"):
        async with kernel.uow(writes=False) as uow:
            return [e.handler for e in await effects(uow)]


async def test_a_saga_whose_steps_all_succeed_completes(kernel: Kernel) -> None:
    # given a saga of three good steps
    kernel.sagas.register(three_steps(third=Step("three", recorder("do:three"))))
    # when it runs
    result = await kernel.sagas.start("three_steps", {}, tenant_id="shop-a")
    # then every step ran once, in order, and the data each added was kept
    assert result.status == "completed"
    assert result.data["done"] == ["do:one", "do:two", "do:three"]
    assert await trail(kernel) == ["do:one", "do:two", "do:three"]


async def test_a_failing_third_step_compensates_steps_two_and_one_in_that_order(
    kernel: Kernel,
) -> None:
    # given a saga whose third step raises
    kernel.sagas.register(
        three_steps(third=Step("three", recorder("do:three", fail=True), recorder("undo:three")))
    )
    # when it runs
    result = await kernel.sagas.start("three_steps", {}, tenant_id="shop-a")
    # then the third step left nothing, and steps two and one were undone in reverse order
    assert result.status == "compensated"
    assert result.error == "three: RuntimeError: do:three failed"
    assert await trail(kernel) == ["do:one", "do:two", "undo:two", "undo:one"]
    async with kernel.uow(writes=False) as uow:
        log = [
            (e.step, e.result)
            for e in await uow.session.scalars(select(SagaLogEntry).order_by(SagaLogEntry.seq))
        ]
    assert log == [
        ("one", "done"),
        ("two", "done"),
        ("three", "failed"),
        ("two", "compensated"),
        ("one", "compensated"),
    ]


async def test_a_step_that_times_out_is_compensated_too(kernel: Kernel) -> None:
    # given a third step that outlives its timeout (its outcome is unknown)
    kernel.sagas.register(
        three_steps(
            third=Step("three", recorder("do:three", sleep=5), recorder("undo:three"), timeout=0.1)
        )
    )
    # when it runs
    result = await kernel.sagas.start("three_steps", {}, tenant_id="shop-a")
    # then the timed-out step is compensated as well, before two and one
    assert result.status == "compensated"
    assert await trail(kernel) == ["do:one", "do:two", "undo:three", "undo:two", "undo:one"]


async def _saga_rows(kernel: Kernel) -> list[tuple[str, str, int]]:
    async with kernel.uow(writes=False) as uow:
        rows = await uow.session.execute(
            select(SagaInstance.id, SagaInstance.status, SagaInstance.step)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


async def test_a_started_saga_is_written_by_its_first_steps_transaction(kernel: Kernel) -> None:
    # given a saga whose first step looks for the saga's own row from inside its transaction
    seen: list[tuple[str, str, int]] = []

    async def look(ctx: SagaContext) -> None:
        seen.extend(await _saga_rows(kernel))  # another connection: what others see
        await recorder("do:one")(ctx)

    kernel.sagas.register(
        SagaDefinition("looks", [Step("one", look), Step("two", recorder("do:two"))])
    )
    # when it runs
    result = await kernel.sagas.start("looks", {}, tenant_id="shop-a")
    # then nobody saw the saga before its first step committed, and it completed once
    assert seen == []
    assert result.status == "completed"
    assert await _saga_rows(kernel) == [(result.id, "completed", 2)]


async def test_a_first_step_that_raises_leaves_the_saga_compensated_with_its_error(
    kernel: Kernel,
) -> None:
    # given a saga whose first step raises (its transaction, the saga's row with it, rolls
    # back)
    kernel.sagas.register(
        SagaDefinition(
            "fails_first",
            [Step("one", recorder("do:one", fail=True), recorder("undo:one"))],
        )
    )
    # when it runs
    result = await kernel.sagas.start("fails_first", {}, tenant_id="shop-a")
    # then the saga is recorded, ended as compensated with the step's error, as any other
    assert result.status == "compensated"
    assert result.error == "one: RuntimeError: do:one failed"
    assert await _saga_rows(kernel) == [(result.id, "compensated", -1)]
    assert (await kernel.sagas.get(result.id)).error == result.error  # type: ignore[union-attr]
    assert await trail(kernel) == []


async def test_starting_a_saga_id_twice_raises_and_runs_nothing_again(kernel: Kernel) -> None:
    # given a completed saga
    kernel.sagas.register(three_steps(third=Step("three", recorder("do:three"))))
    first = await kernel.sagas.start("three_steps", {}, tenant_id="shop-a", saga_id="s-1")
    # when a saga is started again under its id
    with pytest.raises(IntegrityError):
        await kernel.sagas.start("three_steps", {}, tenant_id="shop-a", saga_id="s-1")
    # then its steps did not run a second time
    assert first.status == "completed"
    assert await trail(kernel) == ["do:one", "do:two", "do:three"]


@pytest.mark.edge_case("EC021")
async def test_a_compensation_that_keeps_failing_is_retried_later_until_it_works(
    kernel: Kernel,
) -> None:
    # given a saga whose second compensation fails for a while
    broken = {"undo:two": True}

    async def undo_two(ctx: SagaContext) -> None:
        if broken["undo:two"]:
            raise RuntimeError("undo:two failed")
        await recorder("undo:two")(ctx)

    kernel.sagas.register(
        SagaDefinition(
            "broken_undo",
            [
                Step("one", recorder("do:one"), recorder("undo:one")),
                Step("two", recorder("do:two"), undo_two),
                Step("three", recorder("do:three", fail=True)),
            ],
        )
    )
    kernel.sagas._retry_delay = 0.001
    kernel.sagas._park_delay = timedelta(0)
    # when it runs
    result = await kernel.sagas.start("broken_undo", {}, tenant_id="shop-a")
    # then it is left compensating (step one not undone out of order), for a later retry
    assert result.status == "compensating"
    assert result.error is not None and "compensating two" in result.error
    assert await trail(kernel) == ["do:one", "do:two"]
    # and once the compensation works, a resumer finishes undoing it
    broken["undo:two"] = False
    [resumed] = await kernel.sagas.resume_pending()
    assert resumed.status == "compensated"
    assert await trail(kernel) == ["do:one", "do:two", "undo:two", "undo:one"]


@pytest.mark.edge_case("EC022")
async def test_a_step_that_acts_outside_first_is_compensated_even_when_it_raises(
    kernel: Kernel,
) -> None:
    # given a saga whose second step raises after acting on an outside system
    kernel.sagas.register(
        SagaDefinition(
            "outside_first",
            [
                Step("one", recorder("do:one"), recorder("undo:one")),
                Step(
                    "two",
                    recorder("do:two", fail=True),
                    recorder("undo:two"),
                    compensate_on_error=True,
                ),
            ],
        )
    )
    # when it runs
    result = await kernel.sagas.start("outside_first", {}, tenant_id="shop-a")
    # then its own compensation runs too, before step one's
    assert result.status == "compensated"
    assert await trail(kernel) == ["do:one", "undo:two", "undo:one"]


async def test_an_abandoned_saga_is_resumed_from_its_next_step(kernel: Kernel) -> None:
    # given a saga that completed step one in a process that then died (its lease lapsed)
    kernel.sagas.register(three_steps(third=Step("three", recorder("do:three"))))
    started = await kernel.sagas.start("three_steps", {}, tenant_id="shop-a", run=False)
    first = kernel.sagas.definitions["three_steps"].steps[0]
    with bind(tenant_id="shop-a"):
        async with kernel.uow() as uow:
            ctx = SagaContext(started.id, "one", {}, uow)
            await first.action(ctx)
            await uow.session.execute(
                update(SagaInstance)
                .where(SagaInstance.id == started.id)
                .values(
                    step=1,
                    data=ctx.data,
                    owner="a-dead-process",
                    lease_until=kernel.clock.now() - timedelta(seconds=1),
                )
            )
            await uow.commit()
    # when another process looks for unfinished sagas
    results = await kernel.sagas.resume_pending()
    # then it finishes the saga without repeating step one
    assert [(r.id, r.status) for r in results] == [(started.id, "completed")]
    assert await trail(kernel) == ["do:one", "do:two", "do:three"]


async def test_a_saga_with_a_live_lease_is_not_taken_over(kernel: Kernel) -> None:
    # given a saga another live process is running (its lease is current)
    kernel.sagas.register(three_steps(third=Step("three", recorder("do:three"))))
    await kernel.sagas.start("three_steps", {}, tenant_id="shop-a", run=False)
    # when this process looks for unfinished sagas, then it leaves that one alone
    assert await kernel.sagas.resume_pending() == []
    assert await trail(kernel) == []


async def test_the_resumer_picks_up_sagas_in_the_background(kernel: Kernel) -> None:
    # given a saga left by a dead process and a running kernel
    kernel.sagas.register(three_steps(third=Step("three", recorder("do:three"))))
    started = await kernel.sagas.start("three_steps", {}, tenant_id="shop-a", run=False)
    async with kernel.uow() as uow:
        await uow.session.execute(
            update(SagaInstance).values(
                owner="dead", lease_until=kernel.clock.now() - timedelta(seconds=1)
            )
        )
        await uow.commit()
    await kernel.start()

    # then it completes without anyone asking
    async def done() -> bool:
        result = await kernel.sagas.get(started.id)
        return result is not None and result.status == "completed"

    await eventually(done)


def test_registering_one_saga_twice_is_refused(kernel: Kernel) -> None:
    kernel.sagas.register(three_steps(third=Step("three", recorder("do:three"))))
    with pytest.raises(ValueError, match="registered twice"):
        kernel.sagas.register(three_steps(third=Step("three", recorder("do:three"))))
