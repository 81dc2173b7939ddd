"""The model registry's API contract."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field

from mercato.kernel.schemas import RequestModel


class VersionOut(BaseModel):
    version: int
    status: str
    """candidate, active or retired."""
    reason: str
    params: dict[str, Any]
    training_metrics: dict[str, float]
    baseline: float | None
    """The score evaluations hold it to (its first scored one's); None until then."""
    parent_version: int | None
    created_at: datetime
    promoted_at: datetime | None
    promoted_by: str | None


class EvaluationOut(BaseModel):
    id: str
    version: int
    metric: str
    value: float | None
    baseline: float | None
    samples: int
    outcome: str
    """ok, drifted, baseline (the first scored one) or insufficient_data."""
    trigger: str
    retrained_version: int | None
    detail: dict[str, Any]
    evaluated_at: datetime


class ModelOut(BaseModel):
    task: str
    name: str
    metric: str
    direction: str
    """Which way the metric improves: higher (F1) or lower (MAPE)."""
    active_version: int
    can_retrain: bool
    predictions: int
    resolved: int
    versions: list[VersionOut]
    evaluations: list[EvaluationOut]


class ModelList(BaseModel):
    items: list[ModelOut]
    next_cursor: Annotated[
        str | None, Field(description="Always null: one model per task fits one page")
    ]


class RetrainIn(RequestModel):
    reason: Annotated[str, Field(min_length=1, max_length=180)] = "retrained by staff"
