"""The model registry's tables (seed 001 requirement 14): models per task, their versions
(one active), the predictions each version made and what actually happened, and the
evaluations that score them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mercato.agents.intelligence.registry.statuses import EvaluationOutcome, VersionStatus
from mercato.kernel.db import Base, StrEnumColumn, TenantScoped, UTCDateTime


class IntelModel(TenantScoped, Base):
    """A model a task uses ("sentiment", "demand"), one per task and store."""

    __tablename__ = "intel_models"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    task: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(80))
    metric: Mapped[str] = mapped_column(String(16))
    """What it is scored by: macro_f1 or mape."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    evaluated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """When the schedule last claimed its evaluation (several processes run the schedule:
    the claim is a conditional update, so one of them evaluates)."""

    __table_args__ = (UniqueConstraint("tenant_id", "task", name="uq_intel_models_task"),)


class IntelModelVersion(TenantScoped, Base):
    __tablename__ = "intel_model_versions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    model_id: Mapped[str] = mapped_column(String(36))
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[VersionStatus] = mapped_column(StrEnumColumn(VersionStatus, 16))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """What the task's trainer chose (for sentiment: the classifier's weights file and
    blend; for demand: the candidate models and backtest windows)."""
    training_metrics: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    baseline: Mapped[float | None] = mapped_column(Float)
    """The score later evaluations are held to: its first scored evaluation's."""
    parent_id: Mapped[str | None] = mapped_column(String(36))
    """The version it was retrained from."""
    reason: Mapped[str] = mapped_column(String(200))
    """Why it exists: "initial", "retrained after drift", "retrained by staff"."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    promoted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    promoted_by: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        UniqueConstraint("tenant_id", "model_id", "version", name="uq_intel_model_versions"),
        Index("ix_intel_model_versions_status", "tenant_id", "model_id", "status"),
    )


class IntelPrediction(TenantScoped, Base):
    """One prediction a version made, and, once known, what actually happened. Keyed by what
    it predicted (the review, the product and day), so recording it again rewrites it."""

    __tablename__ = "intel_predictions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    model_id: Mapped[str] = mapped_column(String(36))
    version_id: Mapped[str] = mapped_column(String(36))
    subject: Mapped[str] = mapped_column(String(64))
    """What it is about: a review's id, a product's id."""
    key: Mapped[str] = mapped_column(String(32))
    """Which of the subject's predictions: "" for a review, the day for a forecast."""
    predicted_label: Mapped[str | None] = mapped_column(String(16))
    predicted_value: Mapped[float | None] = mapped_column(Float)
    actual_label: Mapped[str | None] = mapped_column(String(16))
    actual_value: Mapped[float | None] = mapped_column(Float)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    """When the actual can be known (a forecast's day has ended)."""
    predicted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("tenant_id", "model_id", "subject", "key", name="uq_intel_predictions"),
        Index("ix_intel_predictions_open", "tenant_id", "model_id", "resolved_at", "due_at"),
        Index("ix_intel_predictions_version", "tenant_id", "version_id", "resolved_at"),
    )


class IntelEvaluation(TenantScoped, Base):
    """A version scored on the predictions resolved in a window (scheduled or asked)."""

    __tablename__ = "intel_evaluations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    model_id: Mapped[str] = mapped_column(String(36))
    version_id: Mapped[str] = mapped_column(String(36))
    metric: Mapped[str] = mapped_column(String(16))
    value: Mapped[float | None] = mapped_column(Float)
    baseline: Mapped[float | None] = mapped_column(Float)
    samples: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[EvaluationOutcome] = mapped_column(StrEnumColumn(EvaluationOutcome, 20))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    trigger: Mapped[str] = mapped_column(String(16))
    """schedule or staff."""
    retrained_version_id: Mapped[str | None] = mapped_column(String(36))
    """The version drift made the task's trainer create, if any."""
    evaluated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_intel_evaluations_model", "tenant_id", "model_id", "evaluated_at", "id"),
    )


TABLES = ("intel_models", "intel_model_versions", "intel_predictions", "intel_evaluations")
