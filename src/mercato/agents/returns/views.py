"""What the returns agent's events and answers carry of a return."""

from __future__ import annotations

from typing import Any

from mercato.agents.returns.models import Return


def event_fields(row: Return) -> dict[str, Any]:
    return {
        "return_id": row.id,
        "number": row.number,
        "order_id": row.order_id,
        "order_number": row.order_number,
        "customer_id": row.customer_id,
        "email": row.email,
    }
