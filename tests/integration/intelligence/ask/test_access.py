"""Who may use the intelligence agent (seed 001 properties 51, 52, 84), over every route under
`/v1/intelligence` (read from the app's route table) and its WebSocket.

tests/integration/test_route_permissions.py already checks, for each role holding valid
credentials, that every route of the app refuses exactly the roles lacking its declared
permission. These build on its helpers and add what it does not cover: bad credentials
(malformed, unknown, forged) as well as none; the WebSocket; that a refusal is problem+json
and changes nothing; that a merchant reads only its own questions and reports (another's
answers 404, revealing nothing); and that one store's questions and reports are not visible
from another, to the same kind of principal."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import re
import time
from collections.abc import AsyncIterator, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import func, literal, select, union_all

from mercato.agents.intelligence.ask.analysts import Analysts
from mercato.agents.intelligence.ask.queue import Dispatcher
from mercato.agents.intelligence.ask.running import run_question
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.bus.models import OutboxRecord
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from mercato.kernel.db import Base
from mercato.kernel.route_table import websocket_paths
from mercato.kernel.sockets import CLOSE_FORBIDDEN, CLOSE_UNAUTHORIZED
from tests.integration.identity.conftest import ADMIN, add_store, app_of, in_store, sign_up
from tests.integration.intelligence.ask.test_queue import ADVICE, analysts, idle
from tests.integration.test_route_permissions import (
    BODY_METHODS,
    admits,
    permission_checks,
    principal_of,
    with_ids,
)
from tests.support.store import store_for

EXAMPLES = hypothesis_settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
BASE = "/v1/intelligence"
WS = "WS"
CLOSE_NOT_FOUND = 4404
BAD_CREDENTIALS: dict[str, dict[str, str]] = {
    "none": {},
    "empty bearer": {"authorization": "Bearer "},
    "not a bearer": {"authorization": "Basic dXNlcjpwYXNz"},
    "malformed bearer": {"authorization": "Bearer not a token at all"},
    "unknown key": {"authorization": "Bearer mk_0000000000000000000000000000"},
    "forged token": {"authorization": "Bearer eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"},
}
_serial = itertools.count(1)


# -- the routes ----------------------------------------------------------------------------


def intelligence_routes(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path template) of every HTTP route under /v1/intelligence, and ("WS", path)
    of each WebSocket route there."""
    found = [
        (method, path)
        for path, route in app.state.routes.routes
        if path.startswith(BASE)
        for method in sorted(route.methods)
    ]
    found += [(WS, path) for path in websocket_paths(app.router) if path.startswith(BASE)]
    return found


def checks_of(app: FastAPI, method: str, path: str) -> list[Any]:
    [route] = [r for p, r in app.state.routes.routes if p == path and method in r.methods]
    return permission_checks(route)


async def socket_close(
    app: FastAPI, path: str, headers: dict[str, str], query: str = ""
) -> dict[str, Any]:
    """The first message the app sends on a WebSocket opened at `path`: its close (with a code)
    when it refuses the socket, else its accept. Driven over ASGI: a real server turns a
    close before the accept into an HTTP 403 and the code is lost to the client."""
    sent: list[MutableMapping[str, Any]] = []
    connected = False

    async def receive() -> dict[str, Any]:
        nonlocal connected
        if not connected:
            connected = True
            return {"type": "websocket.connect"}
        await asyncio.sleep(3600)
        return {"type": "websocket.disconnect", "code": 1000}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)
        if message["type"] == "websocket.accept":
            raise _Accepted

    scope = {
        "type": "websocket", "asgi": {"version": "3.0"}, "scheme": "ws", "http_version": "1.1",
        "path": path, "raw_path": path.encode(), "root_path": "", "query_string": query.encode(),
        "headers": [(b"host", b"mercato.test")]
        + [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000), "server": ("mercato.test", 80), "subprotocols": [],
        "state": {},
    }  # fmt: skip
    with contextlib.suppress(_Accepted):
        await asyncio.wait_for(app(scope, receive, send), timeout=10)
    assert sent, "the app sent nothing on the socket"
    return dict(sent[0])


class _Accepted(Exception):  # noqa: N818 - a signal, not an error
    """The socket was accepted: the probe stops there."""


# -- the store -----------------------------------------------------------------------------


@dataclass
class Store:
    kernel: Kernel
    client: httpx.AsyncClient
    app: FastAPI
    asked: dict[str, dict[str, str]] = field(default_factory=dict)
    """By name: a question's and report's ids."""

    async def snapshot(self) -> tuple[int, ...]:
        """Rows of every intelligence table (every store's) and events ever written but the
        security violations a cross-store attempt records: what a refusal leaves alone."""
        tables = [t for name, t in Base.metadata.tables.items() if name.startswith("intel_")]
        counts = union_all(
            *(select(literal(t.name), func.count()).select_from(t) for t in tables),
            select(literal("outbox"), func.count())
            .select_from(OutboxRecord.__table__)
            .where(OutboxRecord.type != "security.violation"),
        )
        async with self.kernel.uow(writes=False) as uow:
            rows = (await uow.session.execute(counts.execution_options(all_tenants=True))).all()
        return tuple(int(n) for _, n in sorted(rows))

    async def ask_and_run(self, name: str, headers: dict[str, str], tenant: str) -> None:
        answer = await self.client.post(
            f"{BASE}/query", json={"question": f"{ADVICE} ({name})"}, headers=headers
        )
        assert answer.status_code == 202, answer.text
        query_id = answer.json()["query_id"]
        runner = Dispatcher(self.kernel, run_question)
        runner.wake()
        deadline = time.monotonic() + 20
        while True:
            state = (await self.client.get(f"{BASE}/queries/{query_id}", headers=headers)).json()
            if state["status"] in {"done", "partial", "failed"}:
                break
            assert time.monotonic() < deadline, state
            await asyncio.sleep(0.02)
        await idle(runner)
        assert state["report_id"], state
        self.asked[name] = {"query": query_id, "report": state["report_id"], "tenant": tenant}


async def product(client: httpx.AsyncClient, tenant: str, merchant_id: str) -> None:
    serial = next(_serial)
    made = await client.post(
        "/v1/products",
        json={"name": f"Access kettle {serial}", "status": "active", "merchant_id": merchant_id,
              "variants": [{"sku": f"AK-{serial}", "price": "20.00", "attributes": {}}]},
        headers=in_store(tenant, ADMIN),
    )  # fmt: skip
    assert made.status_code == 201, made.text


@pytest.fixture
async def store(make_settings: Callable[..., Settings]) -> AsyncIterator[Store]:
    """An SQLite store (for the properties) with background work off."""
    async with store_for(make_settings("sqlite"), start=False) as (kernel, client):
        await kernel.deps(Dispatcher).stop()
        with bind(tenant_id="default"):
            yield Store(kernel, client, app_of(client))


@dataclass
class Callers:
    """Two stores, each with two merchants (the same merchant ids in both) and a question
    and report of each merchant and of the staff."""

    store: Store
    headers: dict[str, dict[str, str]]
    """By "<tenant>/<who>": merchant-1, merchant-2, admin, customer."""


async def two_stores(store: Store) -> Callers:
    kernel, client = store.kernel, store.client
    await add_store(kernel, "shop-b")
    kernel.deps(Analysts).by_name.update(analysts())
    headers: dict[str, dict[str, str]] = {}
    for tenant in ("default", "shop-b"):
        for merchant in ("m-1", "m-2"):
            await product(client, tenant, merchant)
            account = await sign_up(client, "merchant", tenant=tenant, merchant_id=merchant)
            headers[f"{tenant}/{merchant}"] = account.headers
        headers[f"{tenant}/admin"] = in_store(tenant, ADMIN)
        headers[f"{tenant}/customer"] = (await sign_up(client, "customer", tenant=tenant)).headers
        for who in ("m-1", "m-2", "admin"):
            with bind(tenant_id=tenant):
                await store.ask_and_run(f"{tenant}/{who}", headers[f"{tenant}/{who}"], tenant)
    return Callers(store, headers)


@pytest.fixture
async def callers(store: Store) -> Callers:
    return await two_stores(store)


# -- 51: no credentials, or bad ones -------------------------------------------------------


@pytest.mark.seed_property(51)
@EXAMPLES
@given(data=st.data(), credential=st.sampled_from(sorted(BAD_CREDENTIALS)))
async def test_property_51_unauthenticated_requests_are_rejected(
    callers: Callers, data: st.DataObject, credential: str
) -> None:
    store = callers.store
    routes = intelligence_routes(store.app)
    method, path = data.draw(st.sampled_from(routes), label="route")
    # given a caller with no credentials, or bad ones, and ids that exist
    known = store.asked["default/m-1"]
    url = re.sub(r"\{query_id\}", known["query"], path)
    url = with_ids(re.sub(r"\{report_id\}", known["report"], url))
    headers = in_store("default", BAD_CREDENTIALS[credential])
    before = await store.snapshot()
    # when it calls the route
    if method == WS:
        closed = await socket_close(store.app, url, headers)
        # then the socket is closed as unauthorized before it opens
        assert (closed["type"], closed["code"]) == ("websocket.close", CLOSE_UNAUTHORIZED)
    else:
        answer = await store.client.request(
            method, url, headers=headers, json={} if method in BODY_METHODS else None
        )
        # then it is refused as unauthenticated, as problem+json
        assert answer.status_code == 401, f"{method} {path}: {answer.status_code} {answer.text}"
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert answer.json()["status"] == 401 and answer.json()["code"]
        assert ADVICE not in answer.text
    # and nothing changed
    assert await store.snapshot() == before


# -- 52: roles, and a merchant's own questions ---------------------------------------------


@pytest.mark.seed_property(52)
@EXAMPLES
@given(data=st.data(), role=st.sampled_from(["customer", "merchant"]))
async def test_property_52_roles_are_enforced_on_every_route(
    callers: Callers, data: st.DataObject, role: str
) -> None:
    store = callers.store
    routes = [
        (m, p)
        for m, p in intelligence_routes(store.app)
        if m == WS or role == "customer" or not admits(checks_of(store.app, m, p),
                                                        principal_of(role))
    ]  # fmt: skip
    method, path = data.draw(st.sampled_from(routes), label="route")
    # given a shopper (every route), or a merchant (a staff-only route), signed in
    headers = callers.headers[f"default/{role if role == 'customer' else 'm-1'}"]
    known = store.asked["default/admin"]
    url = with_ids(re.sub(r"\{query_id\}", known["query"], path))
    before = await store.snapshot()
    # when it calls the route
    if method == WS:
        closed = await socket_close(store.app, url, headers)
        # then a shopper's socket is refused, and a merchant cannot watch staff's question
        code = CLOSE_FORBIDDEN if role == "customer" else CLOSE_NOT_FOUND
        assert closed["type"] == "websocket.close" and closed["code"] == code
    else:
        answer = await store.client.request(
            method, url, headers=headers, json={} if method in BODY_METHODS else None
        )
        # then it is forbidden, as problem+json
        assert answer.status_code == 403, f"{method} {path}: {answer.status_code} {answer.text}"
        assert answer.headers["content-type"].startswith("application/problem+json")
    # and nothing changed
    assert await store.snapshot() == before


PROBES = ("query", "report", "html", "pdf", "ws")


async def probe(store: Store, what: str, ids: dict[str, str], headers: dict[str, str]) -> Any:
    """A question's or report's route: its answer, or the socket's first message."""
    if what == "ws":
        return await socket_close(store.app, f"{BASE}/ws/{ids['query']}", headers)
    path = {
        "query": f"{BASE}/queries/{ids['query']}",
        "report": f"{BASE}/reports/{ids['report']}",
        "html": f"{BASE}/reports/{ids['report']}.html",
        "pdf": f"{BASE}/reports/{ids['report']}.pdf",
    }[what]
    return await store.client.get(path, headers=headers)


def assert_missing(what: str, found: Any, ids: dict[str, str]) -> None:
    if what == "ws":
        assert found["type"] == "websocket.close" and found["code"] == CLOSE_NOT_FOUND
        return
    code = "intel_query_not_found" if what == "query" else "intel_report_not_found"
    assert found.status_code == 404, found.text
    assert found.json()["code"] == code
    assert ADVICE not in found.text
    assert (ids["report"] not in found.text) if what == "query" else True


async def listed(store: Store, headers: dict[str, str]) -> tuple[set[str], set[str]]:
    queries = await store.client.get(f"{BASE}/queries", params={"limit": 100}, headers=headers)
    reports = await store.client.get(f"{BASE}/reports", params={"limit": 100}, headers=headers)
    assert queries.status_code == reports.status_code == 200, (queries.text, reports.text)
    return (
        {q["query_id"] for q in queries.json()["items"]},
        {r["id"] for r in reports.json()["items"]},
    )


@pytest.mark.seed_property(52)
@EXAMPLES
@given(owner=st.sampled_from(["m-1", "m-2", "admin"]), reader=st.sampled_from(["m-1", "m-2"]),
       what=st.sampled_from(PROBES))  # fmt: skip
async def test_property_52_a_merchant_reads_only_its_own_questions_and_reports(
    callers: Callers, owner: str, reader: str, what: str
) -> None:
    store = callers.store
    # given a question and report of a merchant, or of staff
    ids = store.asked[f"default/{owner}"]
    headers = callers.headers[f"default/{reader}"]
    before = await store.snapshot()
    # when a merchant reads it
    found = await probe(store, what, ids, headers)
    # then its own is there; another's answers as missing, revealing nothing
    if owner == reader:
        if what == "ws":
            assert found["type"] == "websocket.accept"
        else:
            assert found.status_code == 200, found.text
    else:
        assert_missing(what, found, ids)
    # and staff read every one of the store's
    staff = await probe(store, what, ids, callers.headers["default/admin"])
    assert (staff["type"] == "websocket.accept") if what == "ws" else staff.status_code == 200
    # and a merchant's lists hold its own only
    queries, reports = await listed(store, headers)
    mine = store.asked[f"default/{reader}"]
    assert queries == {mine["query"]} and reports == {mine["report"]}
    assert await store.snapshot() == before


# -- 84: one store's questions from another ------------------------------------------------


@pytest.mark.seed_property(84)
@EXAMPLES
@given(owner=st.sampled_from(["m-1", "m-2", "admin"]), reader=st.sampled_from(["m-1", "admin"]),
       what=st.sampled_from(PROBES), stores=st.permutations(["default", "shop-b"]))  # fmt: skip
async def test_property_84_a_store_s_questions_are_not_visible_from_another(
    callers: Callers, owner: str, reader: str, what: str, stores: list[str]
) -> None:
    store = callers.store
    here, there = stores
    # given a question and report of one store
    ids = store.asked[f"{there}/{owner}"]
    # and the same kind of principal in another store (the same merchant id, or staff)
    headers = callers.headers[f"{here}/{reader}"]
    before = await store.snapshot()
    # when it reaches for them
    found = await probe(store, what, ids, headers)
    # then they answer as missing, and its lists hold its own store's only
    assert_missing(what, found, ids)
    queries, reports = await listed(store, headers)
    own = {k: v for k, v in store.asked.items() if v["tenant"] == here}
    assert ids["query"] not in queries and ids["report"] not in reports
    assert queries <= {v["query"] for v in own.values()}
    # while in its own store the owner's staff see them
    mine = await probe(store, what, ids, callers.headers[f"{there}/admin"])
    assert (mine["type"] == "websocket.accept") if what == "ws" else mine.status_code == 200
    assert await store.snapshot() == before


# -- the same on PostgreSQL, once per probe -------------------------------------------------


@pytest.mark.parametrize("what", PROBES)
async def test_stores_and_merchants_are_kept_apart_on_each_backend(
    settings: Settings, what: str
) -> None:
    async with store_for(settings, start=False) as (kernel, client):
        await kernel.deps(Dispatcher).stop()
        with bind(tenant_id="default"):
            callers = await two_stores(Store(kernel, client, app_of(client)))
        store = callers.store
        # a merchant's question, from another merchant of its store, and from the same
        # merchant id in another store
        ids = store.asked["default/m-1"]
        assert_missing(what, await probe(store, what, ids, callers.headers["default/m-2"]), ids)
        assert_missing(what, await probe(store, what, ids, callers.headers["shop-b/m-1"]), ids)
        assert_missing(what, await probe(store, what, ids, callers.headers["shop-b/admin"]), ids)
        # and a customer is refused
        refused = await probe(store, what, ids, callers.headers["default/customer"])
        if what == "ws":
            assert refused["code"] == CLOSE_FORBIDDEN
        else:
            assert refused.status_code == 403
