"""A run of one source: fetch page by page, keep each payload once (by checksum), clean
its candidates, store the clean records (most recent wins) with their lineage, count, and
record the per-record errors on the run. A source that fails ends its own run `failed`,
and `run_many` goes on with the next one (seed 001, property 3)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar, cast

import httpx
import structlog
from sqlalchemy import select

from mercato.agents.intelligence.ingest import pricing_feed
from mercato.agents.intelligence.ingest.clean.dedup import is_newer
from mercato.agents.intelligence.ingest.clean.pipeline import STEP, checksum, clean, json_safe
from mercato.agents.intelligence.ingest.clean.records import (
    Kind,
    key_of,
    observed_at,
    to_stored,
)
from mercato.agents.intelligence.ingest.connectors.addresses import refuse_internal
from mercato.agents.intelligence.ingest.connectors.base import Connector, Context, Fetched
from mercato.agents.intelligence.ingest.connectors.competitor import CompetitorConnector
from mercato.agents.intelligence.ingest.connectors.files import FileConnector, UrlConnector
from mercato.agents.intelligence.ingest.connectors.http import DomainPacer, polite
from mercato.agents.intelligence.ingest.connectors.mercato import MercatoConnector
from mercato.agents.intelligence.ingest.connectors.shopify import ShopifyConnector
from mercato.agents.intelligence.ingest.matches import match_records
from mercato.agents.intelligence.ingest.models import CleanRecord, Lineage, RawRecord, Run, Source
from mercato.agents.intelligence.ingest.statuses import RunStatus
from mercato.kernel.config import Settings
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id

if TYPE_CHECKING:
    from mercato.kernel.bootstrap import Kernel

log = structlog.get_logger("mercato.intelligence.ingest")
T = TypeVar("T")
R = TypeVar("R")
MAX_ERRORS = 500
SOURCE_FORMATS = {"shopify": "shopify", "mercato": "mercato", "competitor": "competitor"}


@dataclass
class Tally:
    fetched: int = 0
    stored: int = 0
    rejected: int = 0
    duplicates: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    record_ids: list[str] = field(default_factory=list)


def import_dir(settings: Settings) -> Any:
    return settings.intel_import_dir or settings.data_dir / "imports"


def connector_for(kind: str, settings: Settings) -> Connector:
    connectors: dict[str, Callable[[], Connector]] = {
        "shopify": ShopifyConnector,
        "mercato": MercatoConnector,
        "file": lambda: FileConnector(import_dir(settings)),
        "url": UrlConnector,
        "competitor": CompetitorConnector,
    }
    return connectors[kind]()


def secret_of(source: Source, settings: Settings) -> str | None:
    """The source's secret, looked up in Settings by the name the row holds."""
    if not source.credential:
        return None
    found = settings.intel_credentials.get(source.credential)
    if found is None:
        raise LookupError(f"no credential {source.credential!r} in MERCATO_INTEL_CREDENTIALS")
    return found.get_secret_value()


async def run_many(
    items: Iterable[T], run_one: Callable[[T], Awaitable[R]]
) -> list[tuple[T, R | None, str | None]]:
    """Each item run in turn; one that raises is reported with its error and the others still
    run (what fails, fails alone)."""
    results: list[tuple[T, R | None, str | None]] = []
    for item in items:
        try:
            results.append((item, await run_one(item), None))
        except Exception as exc:  # a source's failure is its own, never the next one's
            log.warning("ingest_source_failed", error=repr(exc))
            results.append((item, None, f"{type(exc).__name__}: {exc}"))
    return results


async def run_source(
    kernel: Kernel,
    *,
    source_id: str,
    transport: httpx.AsyncBaseTransport | None = None,
    pacer: DomainPacer | None = None,
    use_embeddings: bool = True,
) -> Run:
    """Run the source now (in the current store) and answer its finished run.
    `use_embeddings=False` matches titles by their words only (the demo's seeding: embedding
    the catalogue costs seconds a run)."""
    settings, now = kernel.settings, kernel.clock.now()
    async with kernel.uow() as uow:
        source = await uow.session.get(Source, source_id)
        if source is None:
            raise LookupError(f"no source {source_id}")
        run = Run(
            id=new_id(),
            source_id=source.id,
            status=RunStatus.RUNNING,
            started_at=now,
            fetched=0,
            stored=0,
            rejected=0,
            duplicates=0,
            skipped={},
            errors=[],
        )
        uow.session.add(run)
        await uow.commit()
        kind, options, rate = source.kind, dict(source.settings), source.rate_per_second
        run_id, interval = run.id, source.interval_seconds
        try:
            secret: str | None = secret_of(source, settings)
            failure: str | None = None
        except LookupError as exc:
            secret, failure = None, str(exc)
    tally = Tally()
    context: Context | None = None
    if failure is None:
        try:
            hooks = {} if settings.intel_allow_private_hosts else {"request": [refuse_internal]}
            async with httpx.AsyncClient(
                timeout=settings.intel_http_timeout, transport=transport, follow_redirects=True,
                event_hooks=hooks,
            ) as client:  # fmt: skip
                http = polite(
                    client,
                    rate=rate,
                    attempts=settings.intel_retry_attempts,
                    base=settings.intel_retry_base,
                    cap=settings.intel_retry_cap,
                    pacer=pacer
                    or DomainPacer(settings.intel_domain_interval, now=_mono, sleep=_sleep),
                )
                context = Context(options, secret, http, now, settings.intel_user_agent)
                async for page in connector_for(kind, settings).pages(context):
                    async with kernel.uow() as uow:
                        await store_page(
                            uow,
                            page,
                            source_id=source_id,
                            run_id=run_id,
                            kind=kind,
                            defaults=options.get("defaults") or {},
                            now=kernel.clock.now(),
                            tally=tally,
                        )
                        await uow.commit()
            if tally.record_ids:
                async with kernel.uow() as uow:
                    await match_records(
                        uow,
                        record_ids=tally.record_ids,
                        threshold=settings.intel_match_threshold,
                        now=kernel.clock.now(),
                        use_embeddings=use_embeddings,
                    )
                    await pricing_feed.feed_records(uow, record_ids=tally.record_ids)
                    await uow.commit()
        except Exception as exc:  # the run records why it failed; the caller goes on
            failure = f"{type(exc).__name__}: {exc}"
            log.warning("ingest_run_failed", source_id=source_id, error=failure)
    return await _finish(kernel, run_id, tally, failure, context, interval)


async def _finish(
    kernel: Kernel,
    run_id: str,
    tally: Tally,
    failure: str | None,
    context: Context | None,
    interval: int | None,
) -> Run:
    finished = kernel.clock.now()
    async with kernel.uow() as uow:
        run = cast(Run, await uow.session.get(Run, run_id))
        run.fetched, run.stored = tally.fetched, tally.stored
        run.rejected, run.duplicates = tally.rejected, tally.duplicates
        run.errors = tally.errors[:MAX_ERRORS]
        run.skipped = dict(context.skipped) if context else {}
        run.error = failure
        run.status = (
            RunStatus.FAILED if failure else RunStatus.PARTIAL if tally.rejected
            else RunStatus.SUCCEEDED
        )  # fmt: skip
        run.finished_at = finished
        source = await uow.session.get(Source, run.source_id)
        if source is not None and interval:
            source.next_run_at = finished + timedelta(seconds=interval)
        await uow.commit()
        return run


async def _sleep(seconds: float) -> None:
    import asyncio

    await asyncio.sleep(seconds)


def _mono() -> float:
    import time

    return time.monotonic()


async def store_page(
    uow: UnitOfWork,
    page: Sequence[Fetched],
    *,
    source_id: str,
    run_id: str,
    kind: str,
    defaults: dict[str, Any],
    now: datetime,
    tally: Tally,
) -> None:
    """Keep the page's new payloads and their clean records (see the module's docstring)."""
    sums = [checksum(f.payload) for f in page]
    known = set(
        (
            await uow.session.scalars(
                select(RawRecord.checksum).where(
                    RawRecord.source_id == source_id, RawRecord.checksum.in_(set(sums))
                )
            )
        ).all()
    )
    fresh: list[tuple[Fetched, RawRecord]] = []
    for fetched, digest in zip(page, sums, strict=True):
        tally.fetched += 1
        if digest in known:
            tally.duplicates += 1
            continue
        known.add(digest)
        raw = RawRecord(
            id=new_id(),
            source_id=source_id,
            run_id=run_id,
            kind=fetched.kind,
            external_id=fetched.external_id[:500],
            payload=json_safe(fetched.payload),
            checksum=digest,
            fetched_at=now,
        )
        uow.session.add(raw)
        fresh.append((fetched, raw))
    source_format = SOURCE_FORMATS.get(kind, str(defaults.get("sku_format") or "generic"))
    cleaned_page: list[tuple[Kind, Any, list[str], RawRecord]] = []
    for fetched, raw in fresh:
        for candidate in fetched.candidates:
            cleaned = clean(fetched.kind, candidate, source_format=source_format, defaults=defaults)
            if cleaned.record is None:
                tally.rejected += 1
                tally.errors.append({"external_id": fetched.external_id, "errors": cleaned.errors})
                continue
            cleaned_page.append((fetched.kind, cleaned.record, cleaned.flags, raw))
    keys = {(k, key_of(k, record)[:500]) for k, record, _, _ in cleaned_page}
    stored: dict[tuple[str, str], CleanRecord] = {}
    if keys:  # one read for the page's records already kept (most recent wins against them)
        rows = await uow.session.scalars(
            select(CleanRecord).where(
                CleanRecord.source_id == source_id,
                CleanRecord.kind.in_({k for k, _ in keys}),
                CleanRecord.key.in_({key for _, key in keys}),
            )
        )
        stored = {(r.kind, r.key): r for r in rows}
    for record_kind, record, flags, raw in cleaned_page:
        _keep(uow, stored, record_kind, record, flags, raw, now, tally)


def _keep(
    uow: UnitOfWork,
    kept: dict[tuple[str, str], CleanRecord],
    kind: Kind,
    record: Any,
    flags: list[str],
    raw: RawRecord,
    now: datetime,
    tally: Tally,
) -> None:
    key, seen = key_of(kind, record)[:500], observed_at(kind, record, now)
    stored = kept.get((kind, key))
    if stored is not None and not is_newer(seen, stored.observed_at):
        tally.duplicates += 1  # an older observation of what is stored: most recent wins
        return
    if stored is None:
        stored = CleanRecord(id=new_id(), source_id=raw.source_id, kind=kind, key=key)
        uow.session.add(stored)
        kept[(kind, key)] = stored
    stored.data, stored.flags = to_stored(record), flags
    stored.observed_at, stored.updated_at = seen, now
    uow.session.add(Lineage(id=new_id(), record_id=stored.id, raw_id=raw.id, step=STEP, at=now))
    tally.stored += 1
    tally.record_ids.append(stored.id)
