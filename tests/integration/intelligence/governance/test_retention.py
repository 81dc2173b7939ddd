"""Retention and archival on a real database (seed 001 requirement 17): rows past the policy
go to an archive file, their metadata stays findable by their id (70); a report keeps its
row; clean records still in use stay; a kind past its rows threshold raises an alert (71)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import select

from mercato.agents.intelligence.ask.models import IntelAgentRun, IntelReport
from mercato.agents.intelligence.ask.statuses import ReportStatus
from mercato.agents.intelligence.governance import archive_files, jobs, retention, storage
from mercato.agents.intelligence.governance.config import RetentionPolicy, StorageThresholds
from mercato.agents.intelligence.governance.models import IntelAlert, IntelArchive
from mercato.agents.intelligence.ingest.models import CleanRecord, Lineage, Match, RawRecord
from mercato.agents.intelligence.ingest.statuses import MatchStatus
from mercato.agents.intelligence.pricing.models import Observation
from mercato.kernel.config import Settings
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id
from tests.integration.intelligence.governance.support import START, Governed, governed

EXAMPLES = hypothesis_settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
POLICY = RetentionPolicy()
AGES = st.lists(st.integers(0, 1200), max_size=3)


@pytest.fixture
async def gov(settings: Settings) -> AsyncIterator[Governed]:
    async with governed(settings) as found:
        yield found


def _raw(days: int) -> RawRecord:
    payload = {"title": f"Kettle {new_id()[-6:]}", "price": "19.90"}
    return RawRecord(
        id=new_id(), source_id="src-1", run_id="run-1", kind="product",
        external_id=f"ext-{new_id()[-8:]}", payload=payload, checksum=new_id().replace("-", ""),
        fetched_at=START - timedelta(days=days),
    )  # fmt: skip


def _clean(days: int) -> CleanRecord:
    at = START - timedelta(days=days)
    return CleanRecord(
        id=new_id(), source_id="src-1", kind="product", key=f"k-{new_id()[-8:]}",
        data={"title": "Kettle", "price": "19.90"}, flags=["missing:brand"], observed_at=at,
        updated_at=at,
    )  # fmt: skip


def _run(days: int) -> IntelAgentRun:
    return IntelAgentRun(
        id=new_id(), query_id="q-1", agent="pricing", mode="quick", status="ok",
        started_at=START - timedelta(days=days), duration_ms=120.5, records_read=40,
        result_bytes=2048, cache="miss", error=None, trace_id=None,
    )  # fmt: skip


def _report(days: int) -> IntelReport:
    return IntelReport(
        id=new_id(), query_id="q-1", user_id="ana", question="How are kettles priced?",
        mode="quick", status=ReportStatus.COMPLETE, summary="Kettles are 4 % dearer.",
        confidence=0.8, body={"summary": {"text": "Kettles are 4 % dearer."}},
        created_at=START - timedelta(days=days), archived_at=None, archive_location=None,
    )  # fmt: skip


async def _archive_all(
    gov: Governed, uow: UnitOfWork, policy: RetentionPolicy, batch: int = 100
) -> int:
    done = 0
    for kind in retention.KINDS:
        while count := await retention.archive_batch(
            uow, kind=kind, policy=policy, now=START, data_dir=gov.kernel.settings.data_dir,
            run_id=f"run-{new_id()}", limit=batch,
        ):  # fmt: skip
            done += count
            if count < batch:
                break
    return done


@pytest.mark.seed_property(70)
@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
@EXAMPLES
@given(raw=AGES, clean=AGES, runs=AGES, reports=AGES)
async def test_property_70_archived_data_retains_its_metadata(
    gov: Governed, raw: list[int], clean: list[int], runs: list[int], reports: list[int]
) -> None:
    with gov.examples_store():
        async with gov.kernel.uow() as uow:
            # given rows of every kind, of any age, clean records with their lineage
            rows: list[tuple[retention.Kind, Any, int]] = [
                *(("raw", _raw(d), d) for d in raw),
                *(("processed", _clean(d), d) for d in clean),
                *(("agent_run", _run(d), d) for d in runs),
                *(("report", _report(d), d) for d in reports),
            ]
            uow.session.add_all(row for _, row, _ in rows)
            for kind, row, _ in rows:
                if kind == "processed":
                    uow.session.add(
                        Lineage(id=new_id(), record_id=row.id, raw_id="r1", step="clean", at=START)
                    )
            await uow.session.flush()
            before = {
                row.id: retention.metadata_of(
                    kind, row, raw_ids=["r1"] if kind == "processed" else ()
                )
                for kind, row, _ in rows
            }
            content = {row.id: retention.content_of(row) for _, row, _ in rows}
            # when the expired rows are archived
            done = await _archive_all(gov, uow, POLICY)
            # then each row past its kind's policy is archived, its metadata findable by its id
            expired = {r.id: k for k, r, d in rows if d > POLICY.days(retention.policy_kind(k))}
            assert done == len(expired)
            entries = {a.record_id: a for a in await uow.session.scalars(select(IntelArchive))}
            assert set(entries) == set(expired)
            files: dict[str, dict[str, Any]] = {}
            for record_id, entry in entries.items():
                assert (entry.kind, entry.meta) == (expired[record_id], before[record_id])
                # and its content is in the archive file
                if entry.location not in files:
                    path = gov.kernel.settings.data_dir / entry.location
                    files[entry.location] = {line["id"]: line for line in archive_files.read(path)}
                assert files[entry.location][record_id]["row"] == content[record_id]
            # and raw and processed rows are gone, reports' rows stay without their bodies
            left = {
                *await uow.session.scalars(select(RawRecord.id)),
                *await uow.session.scalars(select(CleanRecord.id)),
                *await uow.session.scalars(select(IntelAgentRun.id)),
            }
            kept = {r.id for k, r, _ in rows if k != "report" and r.id not in expired}
            assert left == kept
            for report in await uow.session.scalars(select(IntelReport)):
                gone = report.id in expired
                assert (report.body is None, report.archived_at is not None) == (gone, gone)
                assert report.summary == "Kettles are 4 % dearer."


async def test_clean_records_still_in_use_are_not_archived(gov: Governed) -> None:
    old = 400
    async with gov.kernel.uow() as uow:
        # given old clean records: one pending review, one with a recent match, one a recent
        # observation came from, and one nothing uses
        pending, matched, observed, unused = (_clean(old) for _ in range(4))
        uow.session.add_all([pending, matched, observed, unused])
        for record, status, age in (
            (pending, MatchStatus.PENDING, old),
            (matched, MatchStatus.ACCEPTED, 3),
        ):
            uow.session.add(
                Match(
                    id=new_id(), record_id=record.id, product_id="p-1", method="gtin",
                    confidence=0.7, status=status, decided_by=None, decided_at=None,
                    created_at=START - timedelta(days=age),
                )
            )  # fmt: skip
        uow.session.add(
            Observation(
                id=new_id(), product_id="p-1", competitor="Rival", url="https://rival.test/k",
                price=Decimal("18.00"), currency="EUR", availability=None, promotion_text=None,
                promotions=[], match_confidence=0.9, source_record_id=observed.id,
                observed_at=START - timedelta(days=2), recorded_at=START,
            )
        )  # fmt: skip
        await uow.session.flush()
        # when expired rows are archived
        done = await _archive_all(gov, uow, POLICY)
        # then only the unused record went
        assert done == 1
        assert (await retention.archived(uow, record_id=unused.id)) is not None
        for record in (pending, matched, observed):
            assert await retention.archived(uow, record_id=record.id) is None
            assert await uow.session.get(CleanRecord, record.id) is not None


@pytest.mark.seed_property(71)
@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
@EXAMPLES
@given(
    raw=st.integers(0, 8),
    reports=st.integers(0, 8),
    raw_threshold=st.integers(0, 8),
    reports_threshold=st.integers(0, 8),
)
async def test_property_71_storage_threshold_exceedance_triggers_alerts(
    gov: Governed, raw: int, reports: int, raw_threshold: int, reports_threshold: int
) -> None:
    thresholds = StorageThresholds(raw_rows=raw_threshold, reports_rows=reports_threshold)
    with gov.examples_store():
        async with gov.kernel.uow() as uow:
            # given a store holding raw records and reports
            uow.session.add_all(
                [_raw(1) for _ in range(raw)] + [_report(1) for _ in range(reports)]
            )
            await uow.session.flush()
            # when its storage is measured and held to the thresholds
            report = await storage.storage(uow)
            await storage.storage_alerts(uow, report=report, thresholds=thresholds, now=START)
            found = {
                a.diagnostics["kind"]: a
                for a in await uow.session.scalars(
                    select(IntelAlert).where(IntelAlert.kind == "storage_threshold")
                )
            }
        # then the rows are counted, with their approximate bytes
        assert (report.of("raw"), report.of("report")) is not None
        assert report.of("raw").rows == raw and report.of("report").rows == reports  # type: ignore[union-attr]
        assert (report.of("raw").approx_bytes > 0) == (raw > 0)  # type: ignore[union-attr]
        # and a kind alerts iff it holds more rows than its threshold
        assert ("raw" in found) == (raw > raw_threshold)
        assert ("report" in found) == (reports > reports_threshold)
        assert set(found) <= {"raw", "report"}


async def test_the_daily_job_archives_every_store(gov: Governed) -> None:
    # given the default store with one expired raw record and one fresh
    async with gov.kernel.uow() as uow:
        old, fresh = _raw(91), _raw(89)
        uow.session.add_all([old, fresh])
        await uow.commit()
    # when the daily archival runs
    archived = await jobs.archive_all(gov.kernel)
    # then the expired one is archived under the store's directory, the fresh one stays
    assert archived == 1
    async with gov.kernel.uow(writes=False) as uow:
        entry = await retention.archived(uow, record_id=old.id)
        assert entry is not None and entry.location.startswith("archive/default/raw/")
        assert await uow.session.get(RawRecord, fresh.id) is not None
    assert (gov.kernel.settings.data_dir / entry.location).exists()
