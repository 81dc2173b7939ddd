"""The states of a question and of its report."""

from __future__ import annotations

from enum import StrEnum


class QueryStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    """Every agent answered: the report is complete."""
    PARTIAL = "partial"
    """The report is written, but an agent failed, timed out or stopped at its limit: the
    report says which, and what is missing because of it."""
    FAILED = "failed"
    """No report could be written (every agent failed); `error` says why."""


FINISHED = (QueryStatus.DONE, QueryStatus.PARTIAL, QueryStatus.FAILED)


class ReportStatus(StrEnum):
    COMPLETE = "complete"
    PARTIAL = "partial"
    INSUFFICIENT = "insufficient"
    """The data cannot support an answer: the report explains what is missing."""
