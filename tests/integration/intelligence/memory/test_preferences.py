"""Each user's preferences persist across sessions (seed 001 property 39): what is stated is
what a later, separate unit of work reads; an invalid statement changes nothing; and through
the API each caller reads and states only their own."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mercato.agents.intelligence.memory import preferences
from mercato.agents.intelligence.memory.preferences import (
    DETAILS,
    GOALS,
    KPIS,
    MARKETPLACE_NAME,
    Preferences,
)
from mercato.agents.intelligence.memory.problems import InvalidPreferences
from mercato.kernel.config import Settings
from tests.integration.identity.conftest import ADMIN, create_api_key
from tests.integration.intelligence.memory.support import (
    EXAMPLES,
    PREFERENCES,
    Store,
    memory_store,
)

USERS = st.sampled_from(["user-a", "user-b", "user-c"])


@pytest.fixture
async def store(settings: Settings) -> AsyncIterator[Store]:
    async with memory_store(settings) as found:
        yield found


valid_preferences = st.builds(
    Preferences,
    kpis=st.lists(st.sampled_from(KPIS), max_size=8).map(tuple),
    marketplaces=st.lists(
        st.from_regex(MARKETPLACE_NAME, fullmatch=True), max_size=10, unique=True
    ).map(tuple),
    goals=st.lists(st.sampled_from(GOALS), max_size=6).map(tuple),
    margin_floor_percent=st.none() | st.decimals(0, 90, places=2),
    report_detail=st.sampled_from(DETAILS),
)
invalid_preferences = st.one_of(
    st.builds(Preferences, kpis=st.just(("revenue", "profit"))),
    st.builds(Preferences, goals=st.text(min_size=1, max_size=12).map(lambda g: (g,))).filter(
        lambda p: p.goals[0] not in GOALS
    ),
    st.builds(Preferences, marketplaces=st.just(("amazon", "e bay"))),
    st.builds(Preferences, marketplaces=st.just(tuple(f"m{i}" for i in range(11)))),
    st.builds(Preferences, margin_floor_percent=st.decimals("90.01", 10_000, places=2)),
    st.builds(Preferences, margin_floor_percent=st.decimals(-100, "-0.01", places=2)),
    st.builds(Preferences, report_detail=st.sampled_from(["", "verbose", "BRIEF"])),
)


async def _read(store: Store, user: str) -> Preferences:
    async with store.kernel.uow(writes=False) as uow:
        return await preferences.get(uow, user)


@pytest.mark.seed_property(39)
@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
@EXAMPLES
@given(user=USERS, stated=valid_preferences, refused=invalid_preferences)
async def test_property_39_preferences_persist_across_sessions(
    store: Store, user: str, stated: Preferences, refused: Preferences
) -> None:
    # given a user's valid preferences, stated in one unit of work
    store.clock.advance(seconds=1)
    now = store.kernel.clock.now()
    async with store.kernel.uow() as uow:
        answered = await preferences.put(uow, user, stated, now)
        await uow.commit()

    # when a later, separate unit of work reads them
    read = await _read(store, user)

    # then they are what was stated (in their canonical form), as `put` answered
    expected = replace(preferences.validated(stated), updated_at=now)
    assert read == answered == expected

    # and an invalid statement is refused and changes nothing
    async with store.kernel.uow() as uow:
        with pytest.raises(InvalidPreferences):
            await preferences.put(uow, user, refused, store.kernel.clock.now())
        await uow.commit()
    assert await _read(store, user) == expected


async def test_a_user_who_never_stated_preferences_has_the_defaults(store: Store) -> None:
    # when a user with no stored preferences is read, then they have the defaults
    assert await _read(store, "newcomer") == Preferences()


async def test_a_read_after_a_statement_in_the_same_unit_of_work_sees_it(store: Store) -> None:
    # given preferences read once in a unit of work
    async with store.kernel.uow() as uow:
        await preferences.get(uow, "user-a")
        # when they are stated and read again in it, then the statement is what is read
        await preferences.put(uow, "user-a", Preferences(goals=("clear_stock",)), store.clock.now())
        assert (await preferences.get(uow, "user-a")).goals == ("clear_stock",)


@pytest.mark.seed_property(39)
async def test_each_caller_states_and_reads_their_own_preferences_through_the_api(
    store: Store,
) -> None:
    client = store.client
    _, integration = await create_api_key(client, ["system"])  # another caller, its own key
    body = {
        "kpis": ["margin", "revenue"],
        "marketplaces": ["Amazon", "own_store"],
        "goals": ["protect_margin"],
        "margin_floor_percent": "18.5",
        "report_detail": "detailed",
    }

    # given an admin who never stated preferences
    before = await client.get(PREFERENCES, headers=ADMIN)
    assert before.status_code == 200, before.text
    assert before.json() == {
        "kpis": [], "marketplaces": [], "goals": [], "margin_floor_percent": None,
        "report_detail": "standard", "updated_at": None,
    }  # fmt: skip

    # when they state theirs
    stated = await client.put(PREFERENCES, json=body, headers=ADMIN)

    # then they are answered in canonical form and read back alike
    assert stated.status_code == 200, stated.text
    assert stated.json() == {
        "kpis": ["margin", "revenue"], "marketplaces": ["amazon", "own_store"],
        "goals": ["protect_margin"], "margin_floor_percent": "18.50",
        "report_detail": "detailed", "updated_at": "2026-12-06T12:00:00Z",
    }  # fmt: skip
    assert (await client.get(PREFERENCES, headers=ADMIN)).json() == stated.json()
    # and another user's are their own (still the defaults)
    theirs = await client.get(PREFERENCES, headers=integration)
    assert theirs.status_code == 200, theirs.text
    assert theirs.json()["kpis"] == [] and theirs.json()["updated_at"] is None

    # when an unknown goal is stated, then it is refused naming the field, and nothing changed
    refused = await client.put(PREFERENCES, json={**body, "goals": ["get_rich"]}, headers=ADMIN)
    assert refused.status_code == 422, refused.text
    problem = refused.json()
    assert problem["code"] == "intel_invalid_preferences"
    assert problem["field"] == "goals" and "protect_margin" in problem["allowed"]
    assert "goals: 'get_rich' is not known" in problem["detail"]
    malformed = await client.put(PREFERENCES, json={"kpi": ["margin"]}, headers=ADMIN)
    assert malformed.status_code == 422 and malformed.json()["code"] == "validation_failed"
    anonymous = await client.get(PREFERENCES)
    assert anonymous.status_code == 401
    assert (await client.get(PREFERENCES, headers=ADMIN)).json() == stated.json()
