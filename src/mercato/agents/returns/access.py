"""Who may do what with returns.

- A shopper asks to return their own order's units (their account, or the guest session
  that placed it), sees their returns and their store credit (`orders:read`, `me:read`).
- `returns:read` (support staff): every return, every shopper's store credit.
- `returns:manage` (admins, system keys): approve, reject, receive, inspect, refund; accept
  a return outside the window; adjust store credit.
"""

from __future__ import annotations

from mercato.kernel.auth import grant

READ = "returns:read"
MANAGE = "returns:manage"

grant("support", READ)
grant("system", READ)
grant("system", MANAGE)
# admins hold every permission
