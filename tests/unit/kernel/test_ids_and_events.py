"""Event ids are time-ordered UUIDv7s; events carry a typed payload in a full envelope."""

from __future__ import annotations

import uuid
from typing import ClassVar

import pytest
from pydantic import ValidationError

from mercato.kernel.clock import ManualClock
from mercato.kernel.context import bind
from mercato.kernel.errors import UnknownEventType
from mercato.kernel.events import Envelope, Event, event_class
from mercato.kernel.ids import new_id, uuid7


class ThingHappened(Event):
    event_type: ClassVar[str] = "test.thing_happened"
    event_version: ClassVar[int] = 2
    thing_id: str


def test_uuid7_ids_are_version_7_and_strictly_increasing() -> None:
    ids = [uuid7() for _ in range(10_000)]
    assert all(i.version == 7 and i.variant == uuid.RFC_4122 for i in ids)
    assert ids == sorted(ids) and len(set(ids)) == len(ids)


def test_an_envelope_carries_type_version_tenant_aggregate_and_ids() -> None:
    clock = ManualClock()
    with bind(tenant_id="shop-a", correlation_id="corr-1", causation_id="cause-1"):
        envelope = Envelope.wrap(
            ThingHappened(thing_id="t1"), aggregate_id="t1", tenant_id="shop-a", clock=clock
        )
    assert (envelope.type, envelope.version, envelope.tenant_id, envelope.aggregate_id) == (
        "test.thing_happened",
        2,
        "shop-a",
        "t1",
    )
    assert (envelope.correlation_id, envelope.causation_id) == ("corr-1", "cause-1")
    assert envelope.occurred_at == clock.now()
    assert uuid.UUID(envelope.id).version == 7


def test_an_event_without_a_correlation_is_its_own_correlation() -> None:
    envelope = Envelope.wrap(ThingHappened(thing_id="t1"), aggregate_id="t1", tenant_id="s")
    assert envelope.correlation_id == envelope.id and envelope.causation_id is None


def test_an_envelope_round_trips_to_its_typed_event() -> None:
    envelope = Envelope.wrap(ThingHappened(thing_id="t1"), aggregate_id="t1", tenant_id="s")
    again = Envelope.model_validate_json(envelope.model_dump_json())
    assert again.event() == ThingHappened(thing_id="t1")


def test_an_unknown_event_type_is_reported() -> None:
    with pytest.raises(UnknownEventType):
        event_class("nobody.published_this")


def test_events_are_immutable_and_reject_unknown_fields() -> None:
    event = ThingHappened(thing_id="t1")
    with pytest.raises(ValidationError):
        event.thing_id = "t2"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        ThingHappened(thing_id="t1", extra="no")  # type: ignore[call-arg]


def test_two_classes_cannot_claim_one_event_type() -> None:
    with pytest.raises(TypeError, match="already"):

        class Impostor(Event):
            event_type: ClassVar[str] = "test.thing_happened"
            other: int


def test_new_id_is_the_canonical_text_of_a_version_7_uuid_and_increases() -> None:
    # given ids made one after the other, more than one batch of random bits' worth
    ids = [new_id() for _ in range(2_000)]
    # then each is a UUIDv7 in its canonical text form, strictly increasing, all distinct
    parsed = [uuid.UUID(i) for i in ids]
    assert all(
        str(u) == i and u.version == 7 and u.variant == uuid.RFC_4122
        for u, i in zip(parsed, ids, strict=True)
    )
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
