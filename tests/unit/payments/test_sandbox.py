"""The sandbox gateway as an outside system: its test cards, its durable ledger (the same
idempotency key gets the same answer after a restart), captures, voids, refunds and signed
webhooks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path

import pytest

from mercato.agents.payments.providers.base import (
    AuthorizationRequest,
    Card,
    GatewayUnavailable,
    InvalidWebhook,
    OutcomeUnknown,
)
from mercato.agents.payments.providers.sandbox import SandboxProvider, behaviour_of

GOOD = "4242424242424242"


def url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'sandbox_gateway.sqlite'}"


@pytest.fixture
async def sandbox(tmp_path: Path) -> AsyncIterator[SandboxProvider]:
    provider = SandboxProvider(url(tmp_path))
    yield provider
    await provider.close()


async def token_for(sandbox: SandboxProvider, number: str) -> str:
    tokenized = await sandbox.tokenize(Card(number=number, exp_month=12, exp_year=2040, cvc="1"))
    return tokenized.token


def request(
    token: str, key: str = "k1", amount: str = "50.00", **more: object
) -> AuthorizationRequest:
    return AuthorizationRequest(
        token=token, amount=Decimal(amount), currency="USD", idempotency_key=key,
        reference="order-1", **more,  # type: ignore[arg-type]
    )  # fmt: skip


async def test_tokenize_keeps_no_number_and_fingerprints_per_ledger(
    sandbox: SandboxProvider, tmp_path: Path
) -> None:
    first = await sandbox.tokenize(Card(GOOD, 12, 2040, "123"))
    again = await sandbox.tokenize(Card("4242 4242 4242 4242", 1, 2041, "999"))
    other = SandboxProvider(url(tmp_path / "other"))
    elsewhere = await other.tokenize(Card(GOOD, 12, 2040, "123"))
    await other.close()
    assert GOOD not in first.token and behaviour_of(first.token) == "success"
    assert (first.brand, first.last4) == ("visa", "4242")
    assert first.fingerprint == again.fingerprint != elsewhere.fingerprint
    assert first.token != again.token


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("4000000000000002", "card_declined"),
        ("4000000000009995", "insufficient_funds"),
        ("4100000000000019", "fraudulent"),
    ],
)
async def test_declining_cards(sandbox: SandboxProvider, number: str, code: str) -> None:
    result = await sandbox.authorize(request(await token_for(sandbox, number)))
    assert (result.status, result.decline_code) == ("declined", code)


async def test_success_and_the_same_key_gets_the_same_answer_after_a_restart(
    tmp_path: Path,
) -> None:
    first_process = SandboxProvider(url(tmp_path))
    token = await token_for(first_process, GOOD)
    first = await first_process.authorize(request(token))
    await first_process.close()
    # when the gateway "restarts" and the same key comes again (even with another amount)
    second_process = SandboxProvider(url(tmp_path))
    again = await second_process.authorize(request(token, amount="99.00"))
    counts = await second_process.ledger.counts()
    await second_process.close()
    assert first.status == "authorized" and first.provider_ref
    assert (again.status, again.provider_ref, again.amount) == (
        "authorized", first.provider_ref, Decimal("50.00")
    )  # fmt: skip
    assert counts["authorizations"] == 1


@pytest.mark.edge_case("EC004")
async def test_the_lost_answer_card_authorizes_then_loses_the_answer(
    sandbox: SandboxProvider,
) -> None:
    token = await token_for(sandbox, "4000000000000119")
    with pytest.raises(OutcomeUnknown):
        await sandbox.authorize(request(token))
    found = await sandbox.lookup(request(token))
    retried = await sandbox.authorize(request(token))
    assert found is not None and found.status == "authorized"
    assert retried.provider_ref == found.provider_ref


@pytest.mark.edge_case("EC017")
async def test_the_gateway_down_card_records_nothing(sandbox: SandboxProvider) -> None:
    token = await token_for(sandbox, "4000000000005126")
    with pytest.raises(GatewayUnavailable):
        await sandbox.authorize(request(token))
    assert (await sandbox.ledger.counts())["authorizations"] == 0


async def test_lookup_of_a_key_never_used_is_none(sandbox: SandboxProvider) -> None:
    assert await sandbox.lookup(request(await token_for(sandbox, GOOD), key="nope")) is None


async def test_capture_part_once_then_refund_up_to_the_capture(sandbox: SandboxProvider) -> None:
    auth = await sandbox.authorize(request(await token_for(sandbox, GOOD), amount="100.00"))
    assert auth.provider_ref
    ref = auth.provider_ref
    too_much = await sandbox.capture(
        ref, amount=Decimal("100.01"), currency="USD", idempotency_key="c0"
    )
    part = await sandbox.capture(ref, amount=Decimal("60.00"), currency="USD", idempotency_key="c1")
    same = await sandbox.capture(ref, amount=Decimal("60.00"), currency="USD", idempotency_key="c1")
    twice = await sandbox.capture(
        ref, amount=Decimal("10.00"), currency="USD", idempotency_key="c2"
    )
    assert too_much.status == "declined"
    assert (part.status, part.amount) == ("captured", Decimal("60.00"))
    assert same == part
    assert (twice.status, twice.decline_code) == ("declined", "already_captured")
    first = await sandbox.refund(ref, amount=Decimal("50.00"), currency="USD", idempotency_key="r1")
    over = await sandbox.refund(ref, amount=Decimal("10.01"), currency="USD", idempotency_key="r2")
    rest = await sandbox.refund(ref, amount=Decimal("10.00"), currency="USD", idempotency_key="r3")
    assert (first.status, over.status, rest.status) == ("succeeded", "failed", "succeeded")


async def test_void_is_idempotent_and_a_voided_authorization_is_not_captured(
    sandbox: SandboxProvider,
) -> None:
    auth = await sandbox.authorize(request(await token_for(sandbox, GOOD)))
    assert auth.provider_ref
    first = await sandbox.void(auth.provider_ref, idempotency_key="v1")
    second = await sandbox.void(auth.provider_ref, idempotency_key="v2")
    capture = await sandbox.capture(
        auth.provider_ref, amount=Decimal("50.00"), currency="USD", idempotency_key="c1"
    )
    assert (first.status, second.status, capture.status) == ("voided", "voided", "declined")


async def test_capture_at_once(sandbox: SandboxProvider) -> None:
    result = await sandbox.authorize(request(await token_for(sandbox, GOOD), capture=True))
    assert (result.status, result.amount) == ("captured", Decimal("50.00"))


async def test_an_outage_fails_every_call(sandbox: SandboxProvider) -> None:
    token = await token_for(sandbox, GOOD)
    sandbox.outage = True
    with pytest.raises(GatewayUnavailable):
        await sandbox.authorize(request(token))
    sandbox.outage = False
    assert (await sandbox.ledger.counts())["authorizations"] == 0


async def test_webhooks_verify_and_refuse_tampering_and_stale_deliveries(
    sandbox: SandboxProvider,
) -> None:
    headers, body = await sandbox.webhook("captured", "pi_sbx_1", amount=Decimal("5.00"))
    event = await sandbox.verify_webhook(headers, body)
    assert (event.kind, event.provider_ref, event.amount) == (
        "captured",
        "pi_sbx_1",
        Decimal("5.00"),
    )
    with pytest.raises(InvalidWebhook):
        await sandbox.verify_webhook(headers, body.replace(b"5.00", b"9.00"))
    with pytest.raises(InvalidWebhook):
        await sandbox.verify_webhook({}, body)
    old_headers, old_body = await sandbox.webhook("captured", "pi_sbx_1", timestamp=1)
    with pytest.raises(InvalidWebhook):
        await sandbox.verify_webhook(old_headers, old_body)


async def test_ledger_states_name_each_orders_authorization(tmp_path: Path) -> None:
    from mercato.agents.payments.providers.sandbox import ledger_states, sandbox_url
    from mercato.kernel.config import Settings

    settings = Settings(data_dir=tmp_path)
    provider = SandboxProvider(sandbox_url(settings))
    await provider.authorize(request(await token_for(provider, GOOD)))
    await provider.close()
    assert await ledger_states(settings) == {"order-1": "authorized"}


async def test_several_captures_until_the_final_one_and_never_above_what_is_left(
    sandbox: SandboxProvider,
) -> None:
    # given 50.00 authorized
    held = await sandbox.authorize(request(await token_for(sandbox, GOOD)))
    ref = held.provider_ref or ""
    # when 20.00 is captured (not final), 40.00 is asked for, then 20.00 as the final one
    first = await sandbox.capture(
        ref, amount=Decimal("20"), currency="USD", idempotency_key="c1", final=False
    )
    too_much = await sandbox.capture(
        ref, amount=Decimal("40"), currency="USD", idempotency_key="c2", final=False
    )
    last = await sandbox.capture(ref, amount=Decimal("20"), currency="USD", idempotency_key="c3")
    after = await sandbox.capture(ref, amount=Decimal("1"), currency="USD", idempotency_key="c4")
    # then each capture answers its own amount; the one above what was left is refused,
    # and the final one closed the authorization (its last 10.00 released)
    assert (first.status, first.amount) == ("captured", Decimal("20"))
    assert (too_much.status, too_much.decline_code) == ("declined", "amount_too_large")
    assert (last.status, last.amount) == ("captured", Decimal("20"))
    assert (after.status, after.decline_code) == ("declined", "already_captured")
    row = await sandbox.ledger.authorization_by_key("k1")
    assert row is not None and (row["status"], Decimal(row["captured"])) == (
        "captured",
        Decimal(40),
    )


async def test_a_refund_to_an_expired_card_is_refused(sandbox: SandboxProvider) -> None:
    # given 50.00 captured with a card expiring in 12/2040
    held = await sandbox.authorize(request(await token_for(sandbox, GOOD), capture=True))
    # when the refund comes in 2041
    sandbox.clock = lambda: 2240611200.0  # 2041-01-01
    refused = await sandbox.refund(
        held.provider_ref or "", amount=Decimal("5"), currency="USD", idempotency_key="r1"
    )
    # then it fails with expired_card, refunding nothing
    assert (refused.status, refused.decline_code) == ("failed", "expired_card")
    row = await sandbox.ledger.authorization_by_key("k1")
    assert row is not None and Decimal(row["refunded"]) == 0
