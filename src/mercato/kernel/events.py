"""Events: typed Pydantic models, their envelope, and the registry of event types.

An event is named in the past tense with a dotted type (`order.placed`) and a version::

    class OrderPlaced(Event):
        event_type: ClassVar[str] = "order.placed"
        order_id: str

The envelope carries what every consumer needs to route, order, trace and deduplicate it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from opentelemetry import propagate
from pydantic import BaseModel, ConfigDict, Field

from mercato.kernel import context
from mercato.kernel.clock import Clock, SystemClock
from mercato.kernel.errors import UnknownEventType
from mercato.kernel.ids import new_id

_registry: dict[str, type[Event]] = {}


class Event(BaseModel):
    """Base class of every domain event."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_type: ClassVar[str] = ""
    event_version: ClassVar[int] = 1

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if not cls.event_type:
            return
        existing = _registry.get(cls.event_type)
        if existing is not None and existing.__qualname__ != cls.__qualname__:
            raise TypeError(f"event type {cls.event_type!r} is already {existing.__qualname__}")
        _registry[cls.event_type] = cls


def event_class(event_type: str) -> type[Event]:
    try:
        return _registry[event_type]
    except KeyError:
        raise UnknownEventType(event_type) from None


class Envelope(BaseModel):
    """An event with its metadata, as stored in the outbox and carried by every transport."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(description="Time-ordered UUIDv7 of this event")
    type: str
    version: int
    tenant_id: str
    aggregate_id: str
    occurred_at: datetime
    correlation_id: str
    causation_id: str | None = None
    payload: dict[str, Any]
    trace: dict[str, str] = Field(default_factory=dict, description="W3C trace context")

    @classmethod
    def wrap(
        cls,
        event: Event,
        *,
        aggregate_id: str,
        tenant_id: str,
        clock: Clock | None = None,
    ) -> Envelope:
        event_id = new_id()
        carrier: dict[str, str] = {}
        propagate.inject(carrier)
        return cls(
            id=event_id,
            type=event.event_type,
            version=event.event_version,
            tenant_id=tenant_id,
            aggregate_id=aggregate_id,
            occurred_at=(clock or SystemClock()).now(),
            correlation_id=context.correlation_var.get() or event_id,
            causation_id=context.causation_var.get(),
            payload=event.model_dump(mode="json"),
            trace=carrier,
        )

    def event(self) -> Event:
        """The typed event inside (raises for an unknown type or an invalid payload)."""
        return event_class(self.type).model_validate(self.payload)
