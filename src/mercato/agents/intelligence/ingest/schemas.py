"""The ingest API's request and response bodies."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from mercato.kernel.schemas import RequestModel

SourceKind = Literal["shopify", "mercato", "file", "url", "competitor"]
Name = Annotated[str, Field(min_length=1, max_length=120, pattern=r"^[A-Za-z0-9._ -]+$")]
CredentialName = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")]


class SourceIn(RequestModel):
    kind: SourceKind
    name: Name
    settings: dict[str, Any] = Field(
        default_factory=dict,
        description="The connector's settings (see each connector): shop_url, base_url, "
        "path, url, urls, kind, format, selectors, currency, defaults, …",
    )
    credential: CredentialName | None = Field(
        default=None, description="The name of its secret in MERCATO_INTEL_CREDENTIALS"
    )
    interval_seconds: Annotated[int, Field(ge=60, le=30 * 86400)] | None = Field(
        default=None, description="Run every so many seconds; none: on demand only"
    )
    rate_per_second: Annotated[float, Field(gt=0, le=100)] = 2.0
    enabled: bool = True


class SourceChange(RequestModel):
    """Fields left out are not changed."""

    name: Name | None = None
    settings: dict[str, Any] | None = None
    credential: CredentialName | None = None
    interval_seconds: Annotated[int, Field(ge=60, le=30 * 86400)] | None = None
    rate_per_second: Annotated[float, Field(gt=0, le=100)] | None = None
    enabled: bool | None = None


class SourceOut(BaseModel):
    id: str
    kind: str
    name: str
    settings: dict[str, Any]
    credential: str | None
    interval_seconds: int | None
    rate_per_second: float
    enabled: bool
    next_run_at: datetime | None
    created_at: datetime
    updated_at: datetime


class SourcePage(BaseModel):
    items: list[SourceOut]
    next_cursor: str | None


class RunOut(BaseModel):
    id: str
    source_id: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    fetched: int
    stored: int
    rejected: int
    duplicates: int
    skipped: dict[str, int]
    errors: list[dict[str, Any]]
    error: str | None


class RunPage(BaseModel):
    items: list[RunOut]
    next_cursor: str | None


class MatchOut(BaseModel):
    id: str
    record_id: str
    product_id: str
    method: str
    confidence: float
    status: str
    decided_by: str | None
    decided_at: datetime | None
    created_at: datetime
    record: dict[str, Any] | None = Field(description="The outside record's clean data")


class MatchPage(BaseModel):
    items: list[MatchOut]
    next_cursor: str | None


class RawOut(BaseModel):
    id: str
    source_id: str
    run_id: str
    kind: str
    external_id: str
    checksum: str
    fetched_at: datetime
    step: str


class LineageOut(BaseModel):
    record_id: str
    kind: str
    source_id: str
    data: dict[str, Any]
    flags: list[str]
    observed_at: datetime
    raw: list[RawOut] = Field(description="The raw records it was derived from, newest first")


class CorrectionIn(RequestModel):
    data: dict[str, Any] = Field(description="The record's fields as they should be")
    reason: Annotated[str, Field(min_length=1, max_length=1000)]


class DeletionIn(RequestModel):
    reason: Annotated[str, Field(min_length=1, max_length=1000)]


class RecordOut(BaseModel):
    id: str
    kind: str
    source_id: str
    data: dict[str, Any]
    flags: list[str]
    observed_at: datetime


class AuditOut(BaseModel):
    id: str
    record_id: str
    actor: str
    action: str
    reason: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    at: datetime


class AuditPage(BaseModel):
    items: list[AuditOut]
    next_cursor: str | None
