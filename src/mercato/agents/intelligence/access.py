"""Who may use the intelligence agent.

- `intelligence:read` (admins; merchants for their own products; integrations' system keys):
  analyses (sentiment, pricing, forecasts), sources and their runs, matches, lineage, audit,
  models.
- `intelligence:manage` (admins; system keys): run and configure sources, review matches,
  accept pricing suggestions, correct or delete records, train and promote models.
"""

from __future__ import annotations

READ = "intelligence:read"
MANAGE = "intelligence:manage"
