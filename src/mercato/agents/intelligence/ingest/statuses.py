"""The states of an ingestion run and of a proposed product match."""

from __future__ import annotations

from enum import StrEnum


class RunStatus(StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    PARTIAL = "partial"
    """Finished, with some records rejected (their errors are on the run)."""
    FAILED = "failed"


class MatchStatus(StrEnum):
    ACCEPTED = "accepted"
    """Confident enough on its own, or accepted by a reviewer: pricing uses it."""
    PENDING = "pending"
    """Below the confidence threshold: waits for a reviewer."""
    REJECTED = "rejected"
