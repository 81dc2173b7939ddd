"""What one gRPC answer may carry."""

from __future__ import annotations

from typing import Any

import grpc

MAX_MESSAGE = 50 * 1024 * 1024
"""The server's and Mercato's client's message limit (a client must raise its own 4 MB
default to receive that much, as seed 000's client does)."""
MAX_DATA_BYTES = 48 * 1024 * 1024
"""Generated data an answer may carry: under `MAX_MESSAGE`, leaving room for the rest."""


async def refuse_if_oversized(
    context: grpc.aio.ServicerContext[Any, Any], data: str, count: int, max_bytes: int
) -> None:
    """RESOURCE_EXHAUSTED for generated data over `max_bytes` (`MAX_DATA_BYTES` as served)."""
    if len(data) > max_bytes:
        await context.abort(
            grpc.StatusCode.RESOURCE_EXHAUSTED,
            f"{count} records make {len(data) / 1e6:.0f} MB, more than one message carries "
            f"({max_bytes / 1e6:.0f} MB): ask in smaller batches",
        )
