"""The model registry's events: drift seen by an evaluation, a version made, a version
promoted. Staff's notifications and dashboards can follow them."""

from __future__ import annotations

from typing import ClassVar

from mercato.kernel.events import Event


class ModelEvent(Event):
    model_id: str
    task: str
    version: int


class ModelDriftDetected(ModelEvent):
    event_type: ClassVar[str] = "model.drift_detected"
    metric: str
    baseline: float
    value: float
    worse_by: float
    """Relative to the baseline: 0.15 = 15 % worse."""


class ModelVersionCreated(ModelEvent):
    event_type: ClassVar[str] = "model.version_created"
    reason: str
    metrics: dict[str, float]


class ModelPromoted(ModelEvent):
    event_type: ClassVar[str] = "model.promoted"
    previous_version: int | None
