"""The knowledge agent's gRPC server: `ecommerce.domain.v1.EcommerceDomainService`,
`testdata.v1.TestDataService` and `grpc.health.v1.Health`, on `MERCATO_GRPC_PORT` (9002).

It runs in the process's event loop beside HTTP (`mercato serve`) or alone (`mercato grpc`).
The port is bound exclusively (no SO_REUSEPORT, which gRPC would otherwise set): a second
Mercato on the same port must not silently share, and answer for, the first one's clients. With
several HTTP workers the first to start serves gRPC; the others say so in the log.
"""

from __future__ import annotations

import asyncio

import grpc
import structlog
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

from mercato.agents.knowledge.proto import ecommerce_domain_pb2_grpc, test_data_pb2_grpc
from mercato.agents.knowledge.rpc.domain_service import DomainService
from mercato.agents.knowledge.rpc.limits import MAX_DATA_BYTES, MAX_MESSAGE
from mercato.agents.knowledge.rpc.test_data_service import TestDataService
from mercato.agents.knowledge.search import INDEX, Index
from mercato.kernel.bootstrap import Kernel

log = structlog.get_logger("mercato.knowledge")
SERVICES = ("ecommerce.domain.v1.EcommerceDomainService", "testdata.v1.TestDataService")
STOP_GRACE_SECONDS = 3.0
_running: dict[int, tuple[grpc.aio.Server, health.aio.HealthServicer]] = {}
"""By the kernel's id: the server each kernel started (stopped with it)."""
_warming: set[asyncio.Task[object]] = set()


class PortInUseError(OSError):
    pass


async def start(
    kernel: Kernel,
    *,
    host: str,
    port: int,
    index: Index = INDEX,
    max_data_bytes: int = MAX_DATA_BYTES,
) -> int:
    """Serve the services on host:port (0: any free port); the port bound. `PortInUseError` when
    it cannot bind. The services answer queries from `index` and refuse generated data over
    `max_data_bytes` (one message's worth)."""
    server = grpc.aio.server(
        options=[
            ("grpc.max_receive_message_length", MAX_MESSAGE),
            ("grpc.max_send_message_length", MAX_MESSAGE),
            ("grpc.so_reuseport", 0),
        ]
    )
    ecommerce_domain_pb2_grpc.add_EcommerceDomainServiceServicer_to_server(
        DomainService(kernel, index=index, max_data_bytes=max_data_bytes), server
    )
    test_data_pb2_grpc.add_TestDataServiceServicer_to_server(
        TestDataService(kernel, index=index, max_data_bytes=max_data_bytes), server
    )
    checker = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(checker, server)
    try:
        bound: int = server.add_insecure_port(f"{host}:{port}")
    except RuntimeError as exc:
        await server.stop(None)
        raise PortInUseError(f"cannot serve gRPC on {host}:{port}: {exc}") from exc
    await server.start()
    for service in ("", *SERVICES):
        await checker.set(service, health_pb2.HealthCheckResponse.SERVING)
    _running[id(kernel)] = (server, checker)
    _warm_up(index)
    log.info("grpc_serving", host=host, port=bound, services=list(SERVICES))
    return bound


def _warm_up(index: Index) -> None:
    """Embed the catalog now, so the first query does not wait for it."""
    task: asyncio.Task[object] = asyncio.create_task(
        asyncio.to_thread(index.search, "warm up", categories=[], limit=1)
    )
    _warming.add(task)
    task.add_done_callback(_warming.discard)


def serving(kernel: Kernel) -> bool:
    return id(kernel) in _running


async def stop(kernel: Kernel) -> None:
    running = _running.pop(id(kernel), None)
    if running is not None:
        server, checker = running
        await checker.enter_graceful_shutdown()
        await server.stop(STOP_GRACE_SECONDS)
