"""The sandbox gateway's answers: what its ledger keeps, as the provider interface returns it."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from mercato.agents.payments.providers.base import GatewayResult
from mercato.agents.payments.providers.sandbox_ledger import Row


def answer(status: str, provider_ref: str, amount: Decimal, decline: str | None = None) -> Row:
    """What the gateway answers a capture or a void (kept as the operation's response)."""
    return {
        "status": status,
        "provider_ref": provider_ref,
        "amount": format(amount, "f"),
        "decline_code": decline,
    }


def from_answer(reply: Mapping[str, Any]) -> GatewayResult:
    return GatewayResult(
        status=reply["status"],
        provider_ref=reply["provider_ref"],
        amount=Decimal(reply["amount"]),
        decline_code=reply.get("decline_code"),
        raw=dict(reply),
    )


def result(row: Row) -> GatewayResult:
    """An authorization as the provider interface returns it (the token left out)."""
    status = row["status"]
    amount = Decimal(row["captured"]) if status == "captured" else Decimal(row["amount"])
    return GatewayResult(
        status=status,
        provider_ref=row["id"],
        amount=amount,
        decline_code=row["decline_code"],
        raw={k: v for k, v in row.items() if k != "token"},
    )
