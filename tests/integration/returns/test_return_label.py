"""A return's label is the shopper's to print: their own return's, and nothing else."""

from __future__ import annotations

from tests.integration.identity.conftest import ADMIN
from tests.integration.returns.conftest import ReturnsShop, line_ids


async def test_the_shopper_prints_their_return_label_and_no_other(shop: ReturnsShop) -> None:
    # given a guest's delivered order and their approved return, with its label
    mug = await shop.product("12.00", stock=5)
    order, headers = await shop.delivered((mug, 1))
    [line] = line_ids(order)
    answer = await shop.ask(order["id"], {line: 1}, headers=headers)
    assert answer.status_code == 201, answer.text
    returned = answer.json()
    assert returned["label_url"], returned
    # when the shopper fetches the return's label
    label = await shop.client.get(returned["label_url"], headers=headers)
    # then they get the PDF
    assert label.status_code == 200, label.text
    assert label.content.startswith(b"%PDF")
    # and the order's outbound label is staff's, another shopper's return label hidden
    outbound = await shop.client.get(f"/v1/orders/{order['id']}/shipments", headers=ADMIN)
    sent = next(s for s in outbound.json()["items"] if s["kind"] == "outbound")
    hidden = await shop.client.get(f"/v1/shipments/{sent['id']}/label.pdf", headers=headers)
    assert (hidden.status_code, hidden.json()["code"]) == (403, "label_for_staff")
    stranger = await shop.guest()
    other = await shop.client.get(returned["label_url"], headers=stranger)
    assert other.status_code == 404, other.text
