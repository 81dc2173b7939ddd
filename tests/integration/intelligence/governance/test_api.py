"""The governance routes under /v1/intelligence: token usage with its breakdowns and budget
status, the budget staff set, alerts listed and acknowledged, and the retention policy
with the store's storage. Each answer is one the route declares."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from mercato.agents.intelligence.governance import alerts, usage
from mercato.kernel.clock import SystemClock
from mercato.kernel.config import Settings
from tests.integration.identity.conftest import ADMIN, in_store, sign_up
from tests.integration.intelligence.governance.support import Governed, governed

STAFF = in_store("default", ADMIN)


@pytest.fixture
async def gov(settings: Settings) -> AsyncIterator[Governed]:
    async with governed(settings, SystemClock()) as found:
        yield found


async def _calls(gov: Governed, *calls: tuple[str, int]) -> None:
    async with gov.kernel.uow() as uow:
        for user, tokens in calls:
            await usage.record(
                uow, user_id=user, query_id=None, purpose="summary", model="local",
                input_tokens=tokens, output_tokens=0, now=gov.now(),
            )  # fmt: skip
        await uow.commit()


async def test_staff_see_the_stores_usage_and_others_their_own(gov: Governed) -> None:
    # given a merchant's calls and another user's
    merchant = await sign_up(gov.client, "merchant")
    await _calls(gov, (merchant.id, 300), ("someone", 700))
    # when staff ask for the month's usage
    staff = await gov.client.get("/v1/intelligence/usage", headers=STAFF)
    # then they see the store's, by user, with the store's budget status
    assert staff.status_code == 200, staff.text
    body = staff.json()
    assert (body["whose"], body["total"]["tokens"]) == ("store", 1000)
    assert {s["key"]: s["tokens"] for s in body["by_user"]} == {merchant.id: 300, "someone": 700}
    assert body["budget"]["store"]["used"] == 1000
    assert body["budget"]["store"]["limit"] == 2_000_000
    # and the merchant sees only their own
    own = await gov.client.get("/v1/intelligence/usage", headers=merchant.headers)
    assert own.status_code == 200, own.text
    assert (own.json()["whose"], own.json()["total"]["tokens"]) == ("caller", 300)


async def test_a_reversed_period_is_refused(gov: Governed) -> None:
    # when the period ends before it starts
    answer = await gov.client.get(
        "/v1/intelligence/usage",
        params={"start": "2026-12-10T00:00:00Z", "end": "2026-12-01T00:00:00Z"},
        headers=STAFF,
    )
    # then it is a 400 with its code
    assert answer.status_code == 400 and answer.json()["code"] == "intel_invalid_period"


async def test_staff_set_the_budget_and_a_budget_already_80_percent_used_warns(
    gov: Governed,
) -> None:
    # given 900 tokens used this month
    await _calls(gov, ("ana", 900))
    # when staff set the store's budget to 1,000 tokens
    answer = await gov.client.put(
        "/v1/intelligence/budget", json={"scope": "store", "monthly_tokens": 1000}, headers=STAFF
    )
    # then the budget is set, 90 % used, and the month's warning was raised
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["store_monthly_tokens"], body["store_is_default"]) == (1000, False)
    assert body["status"]["store"]["warning"] and not body["status"]["store"]["exceeded"]
    assert [a.kind for a in await gov.alerts()] == ["budget_warning"]
    # and anyone who may read sees it
    merchant = await sign_up(gov.client, "merchant")
    seen = await gov.client.get("/v1/intelligence/budget", headers=merchant.headers)
    assert seen.status_code == 200 and seen.json()["store_monthly_tokens"] == 1000


async def test_only_staff_set_budgets_and_a_wrong_budget_changes_nothing(gov: Governed) -> None:
    # given a merchant
    merchant = await sign_up(gov.client, "merchant")
    # when the merchant sets a budget, then it is forbidden
    refused = await gov.client.put(
        "/v1/intelligence/budget",
        json={"scope": "store", "monthly_tokens": 5},
        headers=merchant.headers,
    )
    assert refused.status_code == 403
    # when staff give the store's budget a user, then it is a 400
    wrong = await gov.client.put(
        "/v1/intelligence/budget",
        json={"scope": "store", "user_id": "ana", "monthly_tokens": 5},
        headers=STAFF,
    )
    assert wrong.status_code == 400 and wrong.json()["code"] == "intel_invalid_budget"
    # and the budget is still the default
    body = (await gov.client.get("/v1/intelligence/budget", headers=STAFF)).json()
    assert (body["store_monthly_tokens"], body["store_is_default"]) == (2_000_000, True)


async def test_staff_list_and_acknowledge_alerts(gov: Governed) -> None:
    # given two open alerts
    async with gov.kernel.uow() as uow:
        first = await alerts.raise_alert(
            uow, kind="timeout", severity="medium", title="pricing timed out",
            key="timeout:agent.pricing", diagnostics={"component": "agent.pricing"}, now=gov.now(),
        )  # fmt: skip
        await alerts.raise_alert(
            uow, kind="connection_failure", severity="critical", title="LLM unreachable",
            key="connection_failure:llm", diagnostics={"component": "llm"}, now=gov.now(),
        )  # fmt: skip
        await uow.commit()
    # when staff list the open ones a page of one at a time
    page = await gov.client.get("/v1/intelligence/alerts", params={"limit": 1}, headers=STAFF)
    assert page.status_code == 200, page.text
    rest = await gov.client.get(
        "/v1/intelligence/alerts",
        params={"limit": 1, "cursor": page.json()["next_cursor"]},
        headers=STAFF,
    )
    # then both come, each once, with their diagnostics
    items = page.json()["items"] + rest.json()["items"]
    assert sorted(a["kind"] for a in items) == ["connection_failure", "timeout"]
    assert rest.json()["next_cursor"] is None
    # when staff acknowledge one, twice
    url = f"/v1/intelligence/alerts/{first.id}/acknowledge"
    done = await gov.client.post(url, json={"note": "restarted the worker"}, headers=STAFF)
    again = await gov.client.post(url, json={"note": "later"}, headers=STAFF)
    # then the first acknowledgment is kept, and the alert is no longer open
    assert done.status_code == again.status_code == 200
    assert again.json()["note"] == "restarted the worker" and again.json()["acknowledged_by"]
    assert again.json()["acknowledged_at"] == done.json()["acknowledged_at"]
    still_open = await gov.client.get("/v1/intelligence/alerts", headers=STAFF)
    assert [a["kind"] for a in still_open.json()["items"]] == ["connection_failure"]
    acknowledged = await gov.client.get(
        "/v1/intelligence/alerts", params={"status": "acknowledged"}, headers=STAFF
    )
    assert [a["id"] for a in acknowledged.json()["items"]] == [first.id]


async def test_acknowledging_an_unknown_alert_is_404(gov: Governed) -> None:
    answer = await gov.client.post(
        "/v1/intelligence/alerts/nope/acknowledge", json={}, headers=STAFF
    )
    assert answer.status_code == 404 and answer.json()["code"] == "intel_alert_not_found"


async def test_alerts_and_retention_are_for_staff(gov: Governed) -> None:
    # given a merchant
    merchant = await sign_up(gov.client, "merchant")
    # then alerts and retention are forbidden to them
    for path in ("/v1/intelligence/alerts", "/v1/intelligence/retention"):
        assert (await gov.client.get(path, headers=merchant.headers)).status_code == 403
    # and staff see the policy and the storage of each kind
    answer = await gov.client.get("/v1/intelligence/retention", headers=STAFF)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["policy"] == {"raw_days": 90, "processed_days": 365, "reports_days": 1095}
    kinds = {k["kind"]: k for k in body["storage"]}
    assert set(kinds) == {"raw", "processed", "agent_run", "report", "archive"}
    assert kinds["raw"]["threshold_rows"] == 1_000_000
    assert body["archive_location"] == "archive/default"
