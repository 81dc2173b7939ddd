"""Who may use the intelligence agent.

- `intelligence:read` (admins; merchants for their own products; integrations' system keys):
  analyses (sentiment, pricing, forecasts), sources and their runs, matches, lineage, audit,
  models.
- `intelligence:manage` (admins; system keys): run and configure sources, review matches,
  set costs and margin floors, correct or delete records, train and promote models.

Accepting a pricing suggestion changes the catalogue, so it needs `intelligence:read` and the
catalog's own say over the product: a merchant its own products, the store's staff any.
"""

from __future__ import annotations

READ = "intelligence:read"
MANAGE = "intelligence:manage"
