"""The states of a model version and of an evaluation."""

from __future__ import annotations

from enum import StrEnum


class VersionStatus(StrEnum):
    CANDIDATE = "candidate"
    """Trained, not serving: promote it to make it the active one."""
    ACTIVE = "active"
    """The one version of its model that serves (and whose predictions are tracked)."""
    RETIRED = "retired"
    """Served before; can be promoted again (rollback)."""


class EvaluationOutcome(StrEnum):
    OK = "ok"
    DRIFTED = "drifted"
    BASELINE = "baseline"
    """The version's first scored evaluation: it sets the baseline later ones are held to."""
    INSUFFICIENT_DATA = "insufficient_data"
    """Too few resolved predictions to score (fewer than the setting's minimum)."""
