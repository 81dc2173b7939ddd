"""Clean data in the database: scheduled file ingestion with its metadata (property 1),
lineage from every clean record to its raw records (53), corrections and deletions in a
queryable audit log (55, 56), and stores kept apart (82, 83, 85). Each property test
builds its store once and runs its examples against it."""

from __future__ import annotations

import itertools
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from mercato.agents.intelligence.ingest import runner, sources
from mercato.agents.intelligence.ingest.clean.pipeline import checksum
from mercato.agents.intelligence.ingest.jobs import run_due_sources
from mercato.agents.intelligence.ingest.models import TABLES, RawRecord, Run, Source
from mercato.agents.intelligence.ingest.records import AuditQuery
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.clock import ManualClock
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from mercato.kernel.db import Base
from tests.integration.identity.conftest import ADMIN, add_store, in_store
from tests.integration.intelligence.ingest.conftest import Intel, intel_settings
from tests.support.store import store_for

PROPERTY = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_example = itertools.count(1)
SKUS = st.sampled_from(["A-1", "a 1", "B-2", "C_3", "d.4"])
ROWS = st.lists(
    st.fixed_dictionaries(
        {
            "sku": SKUS,
            "location": st.sampled_from(["main", "east"]),
            "available": st.integers(-5, 500) | st.sampled_from(["many", None]),
        }
    ),
    min_size=1,
    max_size=8,
)


@pytest.fixture
async def clocked(settings: Settings) -> AsyncIterator[tuple[Intel, ManualClock]]:
    clock = ManualClock(datetime(2026, 12, 1, tzinfo=UTC))
    # background work not started: the tests run the worker's job themselves
    async with store_for(intel_settings(settings), clock=clock, start=False) as (kernel, client):
        (settings.data_dir / "imports").mkdir(exist_ok=True)
        yield Intel(kernel, client), clock


async def file_source(intel: Intel, name: str, kind: str, interval: int | None = None) -> str:
    """A file source made through the service (the API's route is the same call)."""
    with bind(tenant_id="default"):
        async with intel.kernel.uow() as uow:
            made = await sources.create_source(
                uow,
                kind="file",
                name=name,
                settings={"path": name, "kind": kind},
                credential=None,
                interval_seconds=interval,
                rate_per_second=1.0,
                enabled=True,
                now=intel.kernel.clock.now(),
            )
            await uow.commit()
            return made.id


async def run_now(intel: Intel, source_id: str) -> None:
    with bind(tenant_id="default"):
        await runner.run_source(intel.kernel, source_id=source_id)


async def disable(intel: Intel, source_id: str) -> None:
    with bind(tenant_id="default"):
        async with intel.kernel.uow() as uow:
            found = await uow.session.get(Source, source_id)
            assert found is not None
            found.enabled = False
            await uow.commit()


def write(intel: Intel, name: str, rows: list[dict[str, Any]]) -> None:
    path = intel.kernel.settings.data_dir / "imports" / name
    path.write_text(json.dumps({"items": rows}))


@pytest.mark.seed_property(1)
@PROPERTY
@given(rows=ROWS)
async def test_property_1_scheduled_ingestion_stores_data_with_metadata(
    clocked: tuple[Intel, ManualClock], rows: list[dict[str, Any]]
) -> None:
    intel, clock = clocked
    # given a scheduled JSON source whose file holds `rows` (some invalid)
    name = f"stock-{next(_example)}.json"
    write(intel, name, rows)
    source = await file_source(intel, name, "inventory", interval=600)
    # when its time comes and the worker's job runs
    clock.advance(seconds=601)
    ran = await run_due_sources(intel.kernel)
    await disable(intel, source)  # the next examples' runs are theirs alone
    assert ran == 1
    # then a run fetched every row and kept each distinct payload once, with its source,
    # when it was fetched and the checksum of its content
    with bind(tenant_id="default"):
        async with intel.kernel.uow(writes=False) as uow:
            run = (await uow.session.scalars(select(Run).where(Run.source_id == source))).one()
            raws = (
                await uow.session.scalars(select(RawRecord).where(RawRecord.run_id == run.id))
            ).all()
    distinct = {checksum(r) for r in rows}
    assert run.fetched == len(rows)
    assert {r.checksum for r in raws} == distinct
    assert all(r.source_id == source and r.fetched_at == clock.now() for r in raws)
    assert all(r.checksum == checksum(r.payload) for r in raws)
    # and each distinct row that is not valid was rejected with its error on the run
    firsts = {checksum(r): r for r in reversed(rows)}
    invalid = sum(1 for r in firsts.values() if not isinstance(r["available"], int))
    assert run.rejected == invalid == len(run.errors)
    assert all(e["errors"][0].startswith("available") for e in run.errors)


CSV = "external_id,sku,quantity,price,currency,sold_at\n"


def sale(n: int, sku: str, price: str) -> str:
    return f"s{n},{sku},1,{price},EUR,2026-11-0{1 + n % 9}T10:00:00+00:00\n"


async def records_of(intel: Intel, source_id: str, store: str = "default") -> list[str]:
    from mercato.agents.intelligence.ingest.models import CleanRecord

    with bind(tenant_id=store):
        async with intel.kernel.uow(writes=False) as uow:
            return list(
                (
                    await uow.session.scalars(
                        select(CleanRecord.id).where(CleanRecord.source_id == source_id)
                    )
                ).all()
            )


@pytest.mark.seed_property(53)
@PROPERTY
@given(
    prices=st.lists(st.sampled_from(["1.00", "2.50", "x", "3"]), min_size=1, max_size=6),
    again=st.booleans(),
)
async def test_property_53_every_clean_record_leads_to_its_raw_records(
    clocked: tuple[Intel, ManualClock], prices: list[str], again: bool
) -> None:
    intel, clock = clocked
    # given a CSV of sales (some with a price that is not one), ingested once or twice with
    # the second file changing every price
    name = f"sales-{next(_example)}.csv"
    path = intel.kernel.settings.data_dir / "imports" / name
    path.write_text(CSV + "".join(sale(n, "SKU-1", p) for n, p in enumerate(prices)))
    source = await file_source(intel, name, "sale")
    await run_now(intel, source)
    if again:
        clock.advance(seconds=5)
        path.write_text(CSV + "".join(sale(n, "SKU-1", f"9{n}.00") for n in range(len(prices))))
        await run_now(intel, source)
    # when each clean record's lineage is asked
    ids = await records_of(intel, source)
    assert len(ids) == (len(prices) if again else sum(p != "x" for p in prices))
    for record_id in ids:
        lineage = await intel.get(f"/lineage/{record_id}")
        # then it names the raw records it came from, newest first, each with its step,
        # and the newest holds the values the record has
        assert lineage["raw"], lineage
        assert all(r["source_id"] == source and r["step"] for r in lineage["raw"])
        newest = lineage["raw"][0]
        assert newest["external_id"] == f"s{lineage['data']['external_id'][1:]}"
        assert len(lineage["raw"]) == (
            2 if again and prices[int(newest["external_id"][1:])] != "x" else 1
        )


ACTORS = st.sampled_from(["admin", "key"])


@pytest.mark.seed_property(55)
@pytest.mark.seed_property(56)
@PROPERTY
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(["correct", "delete"]), ACTORS, st.integers(0, 3)),
        min_size=1,
        max_size=5,
    ),
    ask=st.fixed_dictionaries(
        {
            "record": st.booleans(),
            "actor": st.none() | ACTORS,
            "action": st.none() | st.sampled_from(["correct", "delete"]),
            "window": st.booleans(),
        }
    ),
)
async def test_property_55_56_corrections_and_deletions_are_audited_and_queryable(
    clocked: tuple[Intel, ManualClock], steps: list[tuple[str, str, int]], ask: dict[str, Any]
) -> None:
    intel, clock = clocked
    # given four clean sales of a new source, and an admin and a system key
    key_headers = await _system_key(intel)  # made once per test, kept across examples
    who = {"admin": ADMIN, "key": key_headers}
    name = f"audit-{next(_example)}.csv"
    (intel.kernel.settings.data_dir / "imports" / name).write_text(
        CSV + "".join(sale(n, "SKU-9", "5.00") for n in range(4))
    )
    source = await file_source(intel, name, "sale")
    await run_now(intel, source)
    ids = sorted(await records_of(intel, source))
    clock.advance(seconds=1)
    start = clock.now()
    made: list[dict[str, Any]] = []
    # when they are corrected and deleted, by either, with a reason
    for n, (action, actor, index) in enumerate(steps):
        clock.advance(seconds=1)
        record_id = ids[index]
        before = await intel.client.get(f"/v1/intelligence/lineage/{record_id}", headers=ADMIN)
        if action == "correct":
            data = {
                **(before.json()["data"] if before.status_code == 200 else {}),
                "quantity": n + 2,
            }
            answer = await intel.client.put(
                f"/v1/intelligence/records/{record_id}",
                json={"data": data, "reason": f"r{n}"},
                headers=who[actor],
            )
        else:
            answer = await intel.client.post(
                f"/v1/intelligence/records/{record_id}/delete",
                json={"reason": f"r{n}"},
                headers=who[actor],
            )
        if before.status_code == 404:  # already deleted: refused, and nothing audited
            assert answer.status_code == 404, answer.text
            continue
        assert answer.status_code in (200, 204), answer.text
        made.append(
            {
                "record_id": record_id,
                "action": action,
                "reason": f"r{n}",
                "at": clock.now(),
                "actor": actor,
                "quantity": n + 2,
                "before": before.json()["data"],
            }
        )
    # then every change is in the log with who, when, what before and after, and why
    entries = list(reversed(await _all(intel, "/audit", **{"from": start.isoformat()})))
    assert len(entries) == len(made)
    for entry, change in zip(entries, made, strict=True):
        assert (entry["record_id"], entry["action"], entry["reason"]) == (
            change["record_id"],
            change["action"],
            change["reason"],
        )
        assert datetime.fromisoformat(entry["at"]) == change["at"]
        change["actor_id"] = entry["actor"]
        if change["action"] == "delete":
            assert entry["before"]["data"] == change["before"] and entry["after"] is None
        else:
            assert entry["before"] == change["before"]
            assert entry["after"] == {**change["before"], "quantity": change["quantity"]}
    actor_ids = {c["actor"]: c["actor_id"] for c in made}
    assert len(set(actor_ids.values())) == len(actor_ids)  # the admin and the key apart
    # and a query by record, actor, action and time range answers exactly the matching ones
    query = AuditQuery(
        record_id=ids[0] if ask["record"] else None,
        actor=actor_ids.get(ask["actor"], "nobody") if ask["actor"] else None,
        action=ask["action"],
        since=start + timedelta(seconds=2) if ask["window"] else start,
        until=start + timedelta(seconds=4) if ask["window"] else None,
    )
    params = {
        k: v
        for k, v in {
            "record_id": query.record_id,
            "actor": query.actor,
            "action": query.action,
            "from": query.since.isoformat() if query.since else None,
            "to": query.until.isoformat() if query.until else None,
        }.items()
        if v is not None
    }
    found = await _all(intel, "/audit", **params)
    expected = [e for e in reversed(entries) if _matches(e, query)]
    assert [e["id"] for e in found] == [e["id"] for e in expected]


def _matches(entry: dict[str, Any], query: AuditQuery) -> bool:
    at = datetime.fromisoformat(entry["at"])
    return (
        (query.record_id is None or entry["record_id"] == query.record_id)
        and (query.actor is None or entry["actor"] == query.actor)
        and (query.action is None or entry["action"] == query.action)
        and (query.since is None or at >= query.since)
        and (query.until is None or at < query.until)
    )


async def _all(intel: Intel, path: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = await intel.get(path, limit=3, **params, **({"cursor": cursor} if cursor else {}))
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


_KEYS: list[tuple[Kernel, dict[str, str]]] = []


async def _system_key(intel: Intel) -> dict[str, str]:
    for kernel, headers in _KEYS:
        if kernel is intel.kernel:
            return headers
    answer = await intel.client.post(
        "/v1/admin/api-keys",
        json={"name": f"bi-{next(_example)}", "roles": ["system"]},
        headers=ADMIN,
    )
    assert answer.status_code == 201, answer.text
    headers = {"authorization": f"Bearer {answer.json()['key']}"}
    _KEYS[:] = [(intel.kernel, headers)]
    return headers


STORES = ("default", "shop-b")


@pytest.fixture
async def two_stores(clocked: tuple[Intel, ManualClock]) -> Intel:
    intel, _ = clocked
    await add_store(intel.kernel, "shop-b")
    return intel


async def _violations(intel: Intel, store: str, object_id: str) -> int:
    answer = await intel.client.get(
        "/v1/audit/events",
        params={"type": "security.violation", "aggregate_id": object_id},
        headers=in_store(store, ADMIN),
    )
    assert answer.status_code == 200, answer.text
    return len(answer.json()["items"])


@pytest.mark.seed_property(82)
@pytest.mark.seed_property(83)
@pytest.mark.seed_property(85)
@settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    store=st.sampled_from(STORES),
    rows=st.integers(1, 10),
    probe=st.sampled_from(["lineage", "runs", "patch", "run", "correct", "delete"]),
)
async def test_property_82_83_85_stores_never_see_each_others_data(
    two_stores: Intel, store: str, rows: int, probe: str
) -> None:
    intel = two_stores
    other = STORES[1 - STORES.index(store)]
    # given a source of one store that ingested a file
    name = f"iso-{next(_example)}.csv"
    (intel.kernel.settings.data_dir / "imports" / name).write_text(
        CSV + "".join(sale(n, f"ISO-{n}", "3.00") for n in range(rows))
    )
    source = await intel.source(
        "file", in_store(store, ADMIN), settings={"path": name, "kind": "sale"}
    )
    await intel.run(source, in_store(store, ADMIN))
    record_id = (await records_of(intel, source, store))[0]
    # then every row it wrote carries its store (83)
    with bind(tenant_id=store):
        async with intel.kernel.uow(writes=False) as uow:
            for table in TABLES:
                model = Base.metadata.tables[table]
                tenants = set(
                    (
                        await uow.session.execute(
                            select(model.c.tenant_id)
                            .where(model.c.tenant_id.is_not(None))
                            .execution_options(all_tenants=True)
                        )
                    ).scalars()
                )
                assert tenants <= set(STORES)
            raws = (
                (
                    await uow.session.execute(
                        select(RawRecord.tenant_id)
                        .where(RawRecord.source_id == source)
                        .execution_options(all_tenants=True)
                    )
                )
                .scalars()
                .all()
            )
            assert raws and set(raws) == {store}
    # and the other store never sees it in its lists (82)
    listed = await intel.get("/sources", in_store(other, ADMIN), limit=200)
    assert source not in [s["id"] for s in listed["items"]]
    # and reaching for it from the other store is a 404 that is recorded and changes
    # nothing (85)
    target = record_id if probe in ("lineage", "correct", "delete") else source
    before = await _violations(intel, other, target)
    headers = in_store(other, ADMIN)
    answer = await {
        "lineage": lambda: intel.client.get(
            f"/v1/intelligence/lineage/{record_id}", headers=headers
        ),
        "runs": lambda: intel.client.get(
            f"/v1/intelligence/sources/{source}/runs", headers=headers
        ),
        "patch": lambda: intel.client.patch(
            f"/v1/intelligence/sources/{source}", json={"enabled": False}, headers=headers
        ),
        "run": lambda: intel.client.post(
            f"/v1/intelligence/sources/{source}/runs", headers=headers
        ),
        "correct": lambda: intel.client.put(
            f"/v1/intelligence/records/{record_id}",
            json={"data": {}, "reason": "x"},
            headers=headers,
        ),
        "delete": lambda: intel.client.post(
            f"/v1/intelligence/records/{record_id}/delete", json={"reason": "x"}, headers=headers
        ),
    }[probe]()
    assert answer.status_code == 404, answer.text
    assert await _violations(intel, other, target) == before + 1
    still = await intel.get(f"/lineage/{record_id}", in_store(store, ADMIN))
    assert len(still["raw"]) == 1
    runs = await intel.get(f"/sources/{source}/runs", in_store(store, ADMIN))
    assert len(runs["items"]) == 1
