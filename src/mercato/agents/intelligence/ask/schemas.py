"""The questions' and reports' request and response bodies."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from mercato.kernel.schemas import RequestModel


class QueryIn(RequestModel):
    question: str = Field(
        min_length=3,
        max_length=1000,
        description="The question in plain words",
        examples=["Why did sales of running shoes drop last month, and what should I do?"],
    )
    mode: Literal["quick", "deep"] | None = Field(
        default=None,
        description="quick: stored analyses, seconds; deep: fresh analyses within its budget. "
        'Unset: the question\'s words decide ("in depth" asks for Deep)',
    )
    conversation_id: str | None = Field(
        default=None,
        max_length=36,
        description='Continue a conversation: a follow-up ("and for the blue ones?") keeps '
        "the last question's scope",
    )

    @field_validator("question")
    @classmethod
    def _has_words(cls, value: str) -> str:
        text = " ".join(value.split())
        if not any(c.isalnum() for c in text) or len(text) < 3:
            raise ValueError("the question needs at least a few words")
        return text


class QueryAccepted(BaseModel):
    query_id: str
    status: str
    mode: str
    conversation_id: str | None
    queue_position: int = Field(description="1: it runs next")
    estimated_wait_s: float = Field(description="Seconds until it starts, from recent questions")
    links: dict[str, str]


class QueryOut(BaseModel):
    query_id: str
    status: str
    mode: str
    question: str
    conversation_id: str | None
    agents: list[str]
    progress: dict[str, Any]
    route: dict[str, Any]
    error: str | None
    enqueued_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    report_id: str | None
    report: dict[str, Any] | None = Field(description="The whole report once it is written")


class QuerySummary(BaseModel):
    query_id: str
    status: str
    mode: str
    question: str
    report_id: str | None
    enqueued_at: datetime
    finished_at: datetime | None


class QueryPage(BaseModel):
    items: list[QuerySummary]
    next_cursor: str | None


class ReportSummary(BaseModel):
    id: str
    query_id: str
    question: str
    mode: str
    status: str
    summary: str
    confidence: float
    created_at: datetime
    archived: bool
    links: dict[str, str]


class ReportPage(BaseModel):
    items: list[ReportSummary]
    next_cursor: str | None


class QueueOut(BaseModel):
    queued: int
    running: int
    workers_per_process: int
    estimated_wait_s: dict[str, float] = Field(description="For a question asked now, by mode")


class SalesDay(BaseModel):
    date: date
    units: int


class SalesProduct(BaseModel):
    product_id: str
    name: str
    units: int


class SalesOut(BaseModel):
    start: date
    end: date
    total: int
    days: list[SalesDay]
    products: list[SalesProduct]


class CacheOut(BaseModel):
    stats: dict[str, Any]
    recent_invalidations: list[dict[str, Any]]
