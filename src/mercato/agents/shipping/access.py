"""Who may do what with shipping.

- Rates for a cart: whoever may see the cart (its shopper, guest or signed in).
- `shipping:read` (support staff): shipments, labels, tracking, manifests.
- `shipping:manage` (admins, system keys): zones, rate tables, carriers, origins; creating,
  shipping, delivering and cancelling shipments.
- Carriers' webhooks are public and carry their own proof (a signature).
"""

from __future__ import annotations

from mercato.kernel.auth import grant

READ = "shipping:read"
MANAGE = "shipping:manage"

grant("support", READ)
grant("system", READ)
grant("system", MANAGE)
# admins hold every permission
