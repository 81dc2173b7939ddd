"""Who may run the warehouse: `warehouse:manage`, held by admins (who hold every permission)
and integrations' system keys (a warehouse system driving receipts, picks and counts).
Customers, merchants and support staff have no part in it."""

from __future__ import annotations

from mercato.kernel.auth import grant

MANAGE = "warehouse:manage"

grant("system", MANAGE)
