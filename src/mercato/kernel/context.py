"""Ambient context of the work in progress: tenant, correlation and causation ids.

Set at the edge (an HTTP request, an event being handled, a saga step) and read by the
kernel: the unit of work stamps it on new events, the database scopes queries by the
tenant, and the logs carry the ids.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import structlog

tenant_var: ContextVar[str | None] = ContextVar("mercato_tenant", default=None)
correlation_var: ContextVar[str | None] = ContextVar("mercato_correlation", default=None)
causation_var: ContextVar[str | None] = ContextVar("mercato_causation", default=None)


def current_tenant() -> str | None:
    return tenant_var.get()


@contextmanager
def bind(
    *,
    tenant_id: str | None = None,
    correlation_id: str | None = None,
    causation_id: str | None = None,
) -> Iterator[None]:
    """Run a block with the given ids in context (and in every log line it writes)."""
    tokens = []
    log_fields: dict[str, str] = {}
    for var, value, field in (
        (tenant_var, tenant_id, "tenant_id"),
        (correlation_var, correlation_id, "correlation_id"),
        (causation_var, causation_id, "causation_id"),
    ):
        if value is not None:
            tokens.append((var, var.set(value)))
            log_fields[field] = value
    with structlog.contextvars.bound_contextvars(**log_fields):
        try:
            yield
        finally:
            for var, token in reversed(tokens):
                var.reset(token)
