"""Tasks: made with a kind, reference, assignee and due time; listed by status and
assignee; assigned, started, completed or cancelled, an invalid move refused (409) with the
task unchanged."""

from __future__ import annotations

from tests.integration.warehouse.conftest import WarehouseShop


async def test_a_task_goes_from_open_to_done(shop: WarehouseShop) -> None:
    # given a putaway task due tomorrow, and a count task already given to Bo
    due = "2030-01-02T09:00:00Z"
    task = await shop.ok("POST", "/tasks", {"kind": "putaway", "reference": "R-1", "due_at": due})
    other = await shop.ok("POST", "/tasks", {"kind": "count", "assignee": "bo@example.com"})
    assert (task["status"], other["status"]) == ("open", "assigned")
    assert task["due_at"].startswith("2030-01-02T09:00:00")

    # when it is assigned to Ada, started and completed
    assigned = await shop.ok("POST", f"/tasks/{task['id']}/assign", {"assignee": "ada@example.com"})
    mine = await shop.ok("GET", "/tasks", assignee="ada@example.com")
    started = await shop.ok("POST", f"/tasks/{task['id']}/start")
    done = await shop.ok("POST", f"/tasks/{task['id']}/complete")

    # then each step shows, and the lists filter by assignee and status
    assert assigned["status"] == "assigned" and assigned["assignee"] == "ada@example.com"
    assert [t["id"] for t in mine["items"]] == [task["id"]]
    assert started["status"] == "in_progress" and started["assignee"] == "ada@example.com"
    assert done["status"] == "done"
    finished = await shop.ok("GET", "/tasks", status="done")
    assert [t["id"] for t in finished["items"]] == [task["id"]]
    waiting = await shop.ok("GET", "/tasks", status="assigned", limit=1)
    assert [t["id"] for t in waiting["items"]] == [other["id"]]


async def test_a_task_nobody_had_is_the_starters(shop: WarehouseShop) -> None:
    task = await shop.ok("POST", "/tasks", {"kind": "pick"})
    started = await shop.ok("POST", f"/tasks/{task['id']}/start")
    assert started["status"] == "in_progress" and started["assignee"]
    cancelled = await shop.ok("POST", f"/tasks/{task['id']}/cancel")
    assert cancelled["status"] == "cancelled"


async def test_an_invalid_move_is_refused_and_the_task_is_unchanged(shop: WarehouseShop) -> None:
    # given an open task and a done one
    task = await shop.ok("POST", "/tasks", {"kind": "pack"})
    finished = await shop.ok("POST", "/tasks", {"kind": "pack"})
    await shop.ok("POST", f"/tasks/{finished['id']}/start")
    await shop.ok("POST", f"/tasks/{finished['id']}/complete")
    before = await shop.footprint()

    # when the open one is completed without being started, and the done one cancelled
    early = await shop.call("POST", f"/tasks/{task['id']}/complete")
    late = await shop.call("POST", f"/tasks/{finished['id']}/cancel")
    unknown = await shop.call("POST", "/tasks/nope/start")

    # then each is refused, and nothing changed
    assert (early.status_code, early.json()["code"]) == (409, "invalid_task_transition")
    assert early.json()["status_now"] == "open"
    assert (late.status_code, late.json()["status_now"]) == (409, "done")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "task_not_found")
    assert await shop.footprint() == before
    again = await shop.ok("GET", "/tasks", kind="pack", status="open")
    assert [t["id"] for t in again["items"]] == [task["id"]]


async def test_a_long_queue_is_read_page_by_page(shop: WarehouseShop) -> None:
    made = [(await shop.ok("POST", "/tasks", {"kind": "receive"}))["id"] for _ in range(3)]
    first = await shop.ok("GET", "/tasks", limit=2)
    second = await shop.ok("GET", "/tasks", limit=2, cursor=first["next_cursor"])
    assert [t["id"] for t in first["items"] + second["items"]] == made
    assert second["next_cursor"] is None
