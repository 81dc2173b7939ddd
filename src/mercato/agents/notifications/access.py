"""Who may do what with notifications.

- `me:read` / `me:write` (customers, merchants, staff: identity's): one's own inbox,
  preferences, phone, devices.
- `notifications:read` (support staff, admins): the delivery log, the local providers' logs.
- `notifications:manage` (admins): the templates; sending a failed message again.
- Providers' webhooks and unsubscribe links are public and carry their own proof (a
  signature, a key in the address, a signed token).
"""

from __future__ import annotations

from mercato.kernel.auth import grant

READ = "notifications:read"
MANAGE = "notifications:manage"

grant("support", READ)
grant("system", READ)
# admins hold every permission
