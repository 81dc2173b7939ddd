"""Stores never see each other's accounts, tokens or keys (property-based)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from mercato.kernel.bootstrap import Kernel
from tests.integration.identity.conftest import (
    Account,
    add_store,
    in_store,
    login,
    sign_up,
)

# -- store isolation, property-based ------------------------------------------------------

STORES = ("default", "shop-b")
NAMES = ("ann", "bob", "cyd")
_example = itertools.count(1)


def other(store: str) -> str:
    return STORES[1 - STORES.index(store)]


@dataclass
class Member:
    id: str
    email: str
    password: str
    token: str | None = None
    failures: int = 0
    locked: bool = False


class Stores:
    """Two stores, each with a signed-in admin, and every user id ever made in each (across
    hypothesis examples, which share the database)."""

    def __init__(
        self, client: httpx.AsyncClient, admins: dict[str, Account], *, lock_after: int
    ) -> None:
        self.client, self.admins, self.lock_after = client, admins, lock_after
        self.ids = {store: {admin.id} for store, admin in admins.items()}

    def __repr__(self) -> str:  # hypothesis prints it with every failing example
        return f"Stores({', '.join(STORES)})"

    def admin(self, store: str) -> dict[str, str]:
        return self.admins[store].headers


@pytest.fixture
async def stores(identity_kernel: Kernel, client: httpx.AsyncClient) -> Stores:
    await add_store(identity_kernel, "shop-b")
    admins = {s: await sign_up(client, "admin", tenant=s) for s in STORES}
    return Stores(client, admins, lock_after=identity_kernel.settings.login_lock_after)


async def all_user_ids(world: Stores, store: str) -> list[str]:
    ids: list[str] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 200} | ({"cursor": cursor} if cursor else {})
        page = await world.client.get("/v1/admin/users", params=params, headers=world.admin(store))
        assert page.status_code == 200, page.text
        ids += [u["id"] for u in page.json()["items"]]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return ids


async def violations(world: Stores, store: str, user_id: str, kind: str) -> int:
    """How many `security.violation`s of `kind` about the user the store's audit log holds."""
    answer = await world.client.get(
        "/v1/audit/events",
        params={"type": "security.violation", "aggregate_id": user_id},
        headers=world.admin(store),
    )
    assert answer.status_code == 200, answer.text
    return sum(e["payload"]["kind"] == kind for e in answer.json()["items"])


class Isolation:
    """One example's run: a model of the users it made, checked against the API."""

    def __init__(self, world: Stores) -> None:
        self.world, self.client = world, world.client
        self.tag = next(_example)  # each example makes its own addresses
        self.members: dict[str, dict[str, Member]] = {s: {} for s in STORES}

    def email(self, name: str) -> str:
        return f"{name}{self.tag}@shop.example.com"

    async def register(self, store: str, name: str) -> None:
        password = f"{store}-Quokka-{self.tag}-{name}"  # differs between the stores
        body = {"email": self.email(name), "password": password, "full_name": name}
        answer = await self.client.post("/v1/auth/register", json=body, headers=in_store(store))
        if name in self.members[store]:  # BR011 is per store
            assert answer.status_code == 409, answer.text
            assert answer.json()["rule"] == "BR011"
            same = await self.client.get(
                "/v1/admin/users",
                params={"email": self.email(name)},
                headers=self.world.admin(store),
            )
            assert len(same.json()["items"]) == 1  # and nothing was written
            return
        # the same address registers in the other store as well
        assert answer.status_code == 201, answer.text
        member = Member(answer.json()["id"], self.email(name), password)
        self.members[store][name] = member
        self.world.ids[store].add(member.id)

    async def login(self, holder: str, name: str, store: str) -> None:
        """Sign in to `store` with the credentials of `holder`'s member `name`."""
        credentials = self.members[holder][name]
        answer = await login(self.client, credentials.email, credentials.password, tenant=store)
        target = self.members[store].get(name)
        if target is not None and target.locked:
            assert answer.status_code == 423, answer.text
        elif holder != store:  # another store's credentials never open this one
            assert answer.status_code == 401, answer.text
            assert answer.json()["code"] == "invalid_credentials"
            if target is not None:
                target.failures += 1
                target.locked = target.failures >= self.world.lock_after
        else:
            assert answer.status_code == 200, answer.text
            assert answer.json()["user"]["id"] == credentials.id
            credentials.token, credentials.failures = answer.json()["access_token"], 0

    async def me(self, holder: str, name: str, store: str) -> None:
        """`GET /v1/me` with the token of `holder`'s member, naming `store`."""
        member = self.members[holder][name]
        assert member.token is not None
        headers = in_store(store, {"authorization": f"Bearer {member.token}"})
        before = await violations(self.world, store, member.id, "token_tenant_mismatch")
        answer = await self.client.get("/v1/me", headers=headers)
        after = await violations(self.world, store, member.id, "token_tenant_mismatch")
        if holder == store:
            assert answer.status_code == 200, answer.text
            assert answer.json()["id"] == member.id
            assert after == before
        else:  # refused, and recorded in the store it was shown to
            assert answer.status_code == 401, answer.text
            assert answer.json()["code"] == "token_tenant_mismatch"
            assert after == before + 1

    async def list_users(self, store: str) -> None:
        listed = set(await all_user_ids(self.world, store))
        assert not listed & self.world.ids[other(store)], "another store's users are listed"
        assert {m.id for m in self.members[store].values()} <= listed

    async def get_user(self, store: str, holder: str, name: str) -> None:
        """The admin of `store` asks for `holder`'s member by id."""
        member = self.members[holder][name]
        before = await violations(self.world, store, member.id, "cross_tenant_access")
        answer = await self.client.get(
            f"/v1/admin/users/{member.id}", headers=self.world.admin(store)
        )
        if holder == store:
            assert answer.status_code == 200, answer.text
            assert answer.json()["email"] == member.email
            assert await violations(self.world, store, member.id, "cross_tenant_access") == before
            return
        # another store's user is missing, like one that never existed, and the try recorded
        assert answer.status_code == 404, answer.text
        assert answer.json()["code"] == "not_found"
        assert member.email not in answer.text
        assert await violations(self.world, store, member.id, "cross_tenant_access") == before + 1
        assert await violations(self.world, holder, member.id, "cross_tenant_access") == 0

    async def api_key(self, store: str, used_in: str) -> None:
        created = await self.client.post(
            "/v1/admin/api-keys",
            json={"name": "feed", "roles": ["support"]},
            headers=self.world.admin(store),
        )
        assert created.status_code == 201, created.text
        headers = in_store(used_in, {"authorization": f"Bearer {created.json()['key']}"})
        answer = await self.client.get("/v1/admin/users", headers=headers)
        if used_in == store:
            assert answer.status_code == 200, answer.text
            assert not {u["id"] for u in answer.json()["items"]} & self.world.ids[other(store)]
        else:  # a key is valid in its own store only
            assert answer.status_code == 401, answer.text

    async def step(self, data: st.DataObject) -> None:
        """Draw one operation among those the model's state allows, and run it."""
        names = {s: sorted(self.members[s]) for s in STORES}
        signed_in = [(s, n) for s in STORES for n in names[s] if self.members[s][n].token]
        known = [(s, n) for s in STORES for n in names[s]]
        kinds = ["register", "list", "api_key"] + ["login", "get"] * bool(known)
        kinds += ["me"] * bool(signed_in)
        kind = data.draw(st.sampled_from(kinds), label="operation")
        store = data.draw(st.sampled_from(STORES), label="store")
        if kind == "register":
            await self.register(store, data.draw(st.sampled_from(NAMES), label="name"))
        elif kind == "list":
            await self.list_users(store)
        elif kind == "api_key":
            await self.api_key(store, data.draw(st.sampled_from(STORES), label="used in"))
        elif kind == "login":
            await self.login(*data.draw(st.sampled_from(known), label="member"), store)
        elif kind == "get":
            await self.get_user(store, *data.draw(st.sampled_from(known), label="member"))
        else:
            await self.me(*data.draw(st.sampled_from(signed_in), label="member"), store)


@hypothesis_settings(
    max_examples=25,
    deadline=None,
    derandomize=True,  # the same examples on every run
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
async def test_stores_never_see_each_others_accounts(stores: Stores, data: st.DataObject) -> None:
    # given two stores whose accounts, tokens and keys pile up across examples
    run = Isolation(stores)
    # when random operations run in either store, then each checks the invariants
    for _ in range(data.draw(st.integers(min_value=1, max_value=16), label="steps")):
        await run.step(data)


async def test_every_isolation_invariant_on_one_path(stores: Stores) -> None:
    """The property's operations in an order that meets every invariant at least once."""
    run = Isolation(stores)
    # the same address registers in both stores, once per store
    await run.register("default", "ann")
    await run.register("shop-b", "ann")
    await run.register("shop-b", "ann")
    await run.login("default", "ann", "default")
    await run.login("shop-b", "ann", "shop-b")
    # one store's credentials, tokens and keys open nothing in the other
    await run.login("default", "ann", "shop-b")
    await run.me("default", "ann", "shop-b")
    await run.me("shop-b", "ann", "shop-b")
    await run.api_key("default", "shop-b")
    await run.api_key("shop-b", "shop-b")
    # an admin sees the store's own accounts only; asking for another's is a recorded 404
    await run.get_user("default", "shop-b", "ann")
    await run.get_user("shop-b", "default", "ann")
    await run.get_user("shop-b", "shop-b", "ann")
    await run.list_users("default")
    await run.list_users("shop-b")
    assert all(run.members[s]["ann"].token for s in STORES)


async def test_changing_another_stores_account_is_a_recorded_404_that_changes_nothing(
    stores: Stores,
) -> None:
    """The write routes too: the violation is recorded after the request's own (write) unit
    of work has ended, so on SQLite the record never waits for the request's write lock."""
    # given an account of shop-b
    run = Isolation(stores)
    await run.register("shop-b", "ann")
    member = run.members["shop-b"]["ann"]
    # when the default store's admin tries to disable it
    answer = await stores.client.patch(
        f"/v1/admin/users/{member.id}",
        json={"status": "disabled"},
        headers=stores.admin("default"),
    )
    # then it is missing, like one that never existed, and the attempt is recorded there
    assert answer.status_code == 404, answer.text
    assert await violations(stores, "default", member.id, "cross_tenant_access") == 1
    # and the account is untouched in its own store
    own = await stores.client.get(f"/v1/admin/users/{member.id}", headers=stores.admin("shop-b"))
    assert own.json()["status"] == "active"
