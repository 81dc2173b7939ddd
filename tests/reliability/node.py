"""A Mercato process for the reliability trials, run as a real subprocess and killed with
SIGKILL at awkward moments. Configured by MERCATO_* environment variables.

    python -m tests.reliability.node write N     commit N notes (relay off), then idle
    python -m tests.reliability.node serve       relay and handle events until killed
    python -m tests.reliability.node churn       keep writing notes while relaying and handling
    python -m tests.reliability.node sagas N     start N three-step sagas, then idle
    python -m tests.reliability.node resume      resume unfinished sagas until killed

Each prints a line per milestone so the test knows when to strike.
"""

from __future__ import annotations

import asyncio
import sys

from mercato.kernel.bootstrap import Kernel
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from mercato.kernel.saga import SagaContext, SagaDefinition, Step
from tests.support import example_agent
from tests.support.example_agent import Effect, write_note


def say(line: str) -> None:
    print(line, flush=True)


def saga_step(name: str, sleep: float = 0.0):  # type: ignore[no-untyped-def]
    async def run(ctx: SagaContext) -> None:
        if sleep:
            await asyncio.sleep(sleep)
        ctx.uow.session.add(
            Effect(event_id=ctx.saga_id, handler=name, aggregate_id="saga", position=0)
        )

    return run


TRIAL_SAGA = SagaDefinition(
    "trial",
    [
        Step("one", saga_step("do:one"), saga_step("undo:one")),
        Step("two", saga_step("do:two", sleep=0.3), saga_step("undo:two")),
        Step("three", saga_step("do:three", sleep=0.1), saga_step("undo:three")),
    ],
)


async def main(command: str, count: int) -> None:
    kernel = Kernel.build(Settings(), agents=[example_agent.agent])
    kernel.sagas.register(TRIAL_SAGA)
    example_agent.Behaviour.delay = 0.005 if command == "churn" else 0.0
    with bind(tenant_id="trial"):
        if command == "write":
            for _ in range(count):
                async with kernel.uow() as uow:
                    note = await write_note(uow=uow, text="durable")
                    await uow.commit()
                say(f"committed {note.id}")
        elif command in {"serve", "resume"}:
            await kernel.start(
                relay=command == "serve", consumers=command == "serve", sagas=command == "resume"
            )
            say("started")
        elif command == "churn":
            await kernel.start()
            say("started")
            while True:
                async with kernel.uow() as uow:
                    note = await write_note(uow=uow, text="churn")
                    await uow.commit()
                say(f"committed {note.id}")
                await asyncio.sleep(0.005)
        elif command == "sagas":
            created = [
                await kernel.sagas.start("trial", {}, tenant_id="trial", run=False)
                for _ in range(count)
            ]
            say("created")
            await asyncio.gather(*(kernel.sagas.run(saga.id) for saga in created))
            say("finished")
    await asyncio.Event().wait()  # idle until killed


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 0))
