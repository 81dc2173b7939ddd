"""`mercato worker`: run agents' event handlers (and the relay, sagas, jobs) without HTTP."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Sequence

import structlog

from mercato.kernel import heap
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.config import Settings
from mercato.kernel.observability import configure_logging, configure_tracing

log = structlog.get_logger("mercato.worker")


async def run_worker(settings: Settings, agents: Sequence[str] | None = None) -> None:
    configure_logging(settings)
    configure_tracing(settings)
    kernel = Kernel.build(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    names = list(agents) if agents else list(kernel.registry.agents)
    await kernel.start(relay=True, consumers=True, agents=names)
    heap.settle()
    log.info(
        "worker_started",
        agents=names,
        transport=kernel.transport.name,
        consumer=getattr(kernel.transport, "consumer", None),
    )
    try:
        await stop.wait()
    finally:
        await kernel.stop()
        log.info("worker_stopped")
