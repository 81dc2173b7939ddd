"""A guest's store credit (kept under their email, never spendable: anyone can type an
email) moves to the account that proves the address is theirs by verifying it, once; an
account that never verifies the address gets none of it."""

from __future__ import annotations

from decimal import Decimal
from email import message_from_bytes
from email.policy import default as default_policy
from typing import Any

from mercato.agents.returns import credit
from mercato.agents.returns.statuses import CreditReason
from mercato.kernel.context import bind
from tests.conftest import eventually
from tests.integration.checkout.conftest import body, new_key
from tests.integration.identity.conftest import Account, sign_up, token_in
from tests.integration.notifications.conftest import text_of
from tests.integration.returns.conftest import ReturnsShop, line_ids
from tests.support.store import settle

GUEST_EMAIL = "Guest.Buyer@Example.com"
"""As the guest typed it at checkout; their account is registered in lower case."""
OWNER = "email:guest.buyer@example.com"
HANDLER = "returns.move_guest_credit_to_account"


async def _guest_credit(shop: ReturnsShop, price: str) -> None:
    """A guest's delivered order of one item at `price`, returned and refunded as store
    credit (kept under the guest's email)."""
    product = await shop.product(price)
    order, _ = await shop.delivered((product, 1), email=GUEST_EMAIL)
    [line] = line_ids(order)
    ret = await shop.asked(order["id"], {line: 1}, resolution="store_credit")
    done = await shop.through(ret["id"])
    assert done["refunded_to_credit"] == price


async def _mine(shop: ReturnsShop, account: Account) -> dict[str, Any]:
    await settle(shop.kernel)
    answer = await shop.client.get("/v1/me/store-credit", headers=account.headers)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


async def _kept_by_email(shop: ReturnsShop) -> Decimal:
    await settle(shop.kernel)
    with bind(tenant_id="default"):
        async with shop.kernel.uow(writes=False) as uow:
            return (await credit.balance(uow, owner=OWNER, currency="USD")).amount


async def _verification_token(shop: ReturnsShop, email: str) -> str:
    """The token of the verification link mailed at registration (the local mail
    provider's .eml files), once the notifications agent has sent it."""
    folder = shop.kernel.settings.data_dir / "mail"
    found: list[str] = []

    async def mailed() -> bool:
        found.clear()
        for path in sorted(folder.glob("*.eml")):
            message = message_from_bytes(path.read_bytes(), policy=default_policy)
            text = text_of(message)
            if message["To"] == email and "verify-email?token=" in text:
                found.append(token_in(text))
        return bool(found)

    await eventually(mailed, within=15)
    [token] = found
    return token


async def test_a_verified_email_takes_over_the_guests_store_credit_once(
    shop: ReturnsShop,
) -> None:
    # given a guest's 25.00 order returned as store credit, kept under their email
    await _guest_credit(shop, "25.00")
    assert await _kept_by_email(shop) == Decimal("25.00")
    # and the guest then signs up with that email: nothing is theirs yet
    account = await sign_up(shop.client, email=GUEST_EMAIL.lower())
    assert (await _mine(shop, account))["balance"] == "0.00"

    # when they verify the address
    token = await _verification_token(shop, account.email)
    verified = await shop.client.post("/v1/auth/verify-email", json={"token": token})
    assert verified.status_code == 200, verified.text

    # then the balance is theirs, by a transfer entry, and the email keeps nothing
    mine = await _mine(shop, account)
    assert (mine["balance"], mine["currency"]) == ("25.00", "USD")
    assert [(e["amount"], e["reason"], e["reference"]) for e in mine["items"]] == [
        ("25.00", "transfer", f"verified:{account.id}")
    ]
    assert await _kept_by_email(shop) == 0
    told = await shop.events("user.email_verified")
    assert [(e["user_id"], e["email"]) for e in told] == [(account.id, account.email)]
    moved = [e for e in await shop.events("store_credit.changed") if e["reason"] == "transfer"]
    assert sorted((e["owner"], e["amount"]) for e in moved) == [
        (f"customer:{account.id}", "25.00"),
        (OWNER, "-25.00"),
    ]

    # when the broker hands the event again, even after the email was credited anew
    assert await shop.redeliver("user.email_verified", HANDLER) == "handled"
    with bind(tenant_id="default"):
        async with shop.kernel.uow() as uow:
            await credit.change(
                uow,
                owner=OWNER,
                amount=Decimal("5.00"),
                currency="USD",
                reason=CreditReason.ADJUSTMENT,
                reference="goodwill-1",
                now=shop.manual.now(),
            )
            await uow.commit()
    assert await shop.redeliver("user.email_verified", HANDLER) == "handled"

    # then nothing moves twice
    again = await _mine(shop, account)
    assert (again["balance"], len(again["items"])) == ("25.00", 1)
    assert await _kept_by_email(shop) == Decimal("5.00")

    # when they check out a 10.00 item using their store credit
    cheap = await shop.product("10.00")
    cart, _ = await shop.filled_cart((cheap, 1), headers=account.headers)
    paid = await shop.client.post(
        "/v1/checkout",
        json=body(cart, email=account.email, use_store_credit=True),
        headers={**account.headers, "Idempotency-Key": new_key()},
    )
    # then the moved credit pays for it
    assert paid.status_code == 201, paid.text
    spent = Decimal((await shop.order(paid.json()["order"]["id"]))["store_credit_applied"])
    assert spent > 0
    after = await _mine(shop, account)
    assert Decimal(str(after["balance"])) == Decimal("25.00") - spent
    assert sorted(e["reason"] for e in after["items"]) == ["checkout", "transfer"]


async def test_an_account_that_never_verifies_the_email_gets_none_of_its_credit(
    shop: ReturnsShop,
) -> None:
    # given a guest's 25.00 order returned as store credit, kept under their email
    await _guest_credit(shop, "25.00")

    # when an account signs up with that email but never verifies it
    account = await sign_up(shop.client, email=GUEST_EMAIL.lower())
    await _verification_token(shop, account.email)  # mailed, never used

    # then the credit stays with the email, and the account has none of it
    mine = await _mine(shop, account)
    assert (mine["balance"], mine["items"]) == ("0.00", [])
    assert await _kept_by_email(shop) == Decimal("25.00")
    assert await shop.events("user.email_verified") == []
