"""Storage monitoring (seed 001 requirement 17.5): rows and approximate bytes per kind of
intelligence data, and a `storage_threshold` alert for a kind past its threshold (71)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from mercato.agents.intelligence.ask.models import IntelAgentRun, IntelReport
from mercato.agents.intelligence.governance import alerts
from mercato.agents.intelligence.governance.archive_files import jsonable
from mercato.agents.intelligence.governance.config import StorageThresholds
from mercato.agents.intelligence.governance.models import IntelAlert, IntelArchive
from mercato.agents.intelligence.governance.retention import content_of
from mercato.agents.intelligence.ingest.models import CleanRecord, RawRecord
from mercato.kernel.db import UnitOfWork

SAMPLE = 100
"""Rows read per kind to estimate its bytes (their mean size times the rows)."""
TABLES: dict[str, Any] = {
    "raw": RawRecord,
    "processed": CleanRecord,
    "agent_run": IntelAgentRun,
    "report": IntelReport,
    "archive": IntelArchive,
}


@dataclass(frozen=True)
class KindStorage:
    kind: str
    rows: int
    approx_bytes: int


@dataclass(frozen=True)
class StorageReport:
    kinds: list[KindStorage]

    def of(self, kind: str) -> KindStorage | None:
        return next((k for k in self.kinds if k.kind == kind), None)


def threshold_of(kind: str, thresholds: StorageThresholds) -> int | None:
    """The rows a kind may hold before staff are alerted (archives' metadata: no limit)."""
    if kind == "archive":
        return None
    return thresholds.rows({"report": "reports"}.get(kind, kind))


def over(report: StorageReport, thresholds: StorageThresholds) -> list[KindStorage]:
    """The kinds holding more rows than their threshold."""
    found = []
    for kind in report.kinds:
        limit = threshold_of(kind.kind, thresholds)
        if limit is not None and kind.rows > limit:
            found.append(kind)
    return found


async def storage(uow: UnitOfWork) -> StorageReport:
    """Rows and approximate bytes of each kind in the store (reports: those not archived)."""
    kinds = []
    for kind, model in TABLES.items():
        query = select(func.count()).select_from(model)
        sample = select(model).limit(SAMPLE)
        if model is IntelReport:
            query = query.where(IntelReport.archived_at.is_(None))
            sample = sample.where(IntelReport.archived_at.is_(None))
        rows = int(await uow.session.scalar(query) or 0)
        sizes = [
            len(json.dumps(content_of(row), default=jsonable, separators=(",", ":")))
            for row in await uow.session.scalars(sample)
        ]
        mean = sum(sizes) / len(sizes) if sizes else 0
        kinds.append(KindStorage(kind, rows, round(mean * rows)))
    return StorageReport(kinds)


async def storage_alerts(
    uow: UnitOfWork, *, report: StorageReport, thresholds: StorageThresholds, now: datetime
) -> list[IntelAlert]:
    """A `storage_threshold` alert per kind past its threshold (counted while open)."""
    raised = []
    for kind in over(report, thresholds):
        limit = threshold_of(kind.kind, thresholds)
        raised.append(
            await alerts.raise_alert(
                uow, kind="storage_threshold", severity="medium",
                title=f"{kind.kind} data holds {kind.rows:,} rows (threshold {limit:,})",
                key=f"storage_threshold:{kind.kind}", now=now,
                diagnostics={
                    "component": "storage", "kind": kind.kind, "rows": kind.rows,
                    "approx_bytes": kind.approx_bytes, "threshold_rows": limit,
                },
            )
        )  # fmt: skip
    return raised
