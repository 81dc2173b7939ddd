"""Who may read which reports.

- `analytics:read` (merchants; integrations' system keys, for a BI tool; admins): the
  reports. A merchant sees the sales of its own lines only (`sales`, `top-products`,
  `top-categories`, `inventory`); the figures of whole orders (orders, funnel, customers,
  cohorts, carts, KPIs) mix other merchants' sales and answer 403 `analytics_order_level`.
- `analytics:manage` (admins): the store's reporting settings (its time zone).
"""

from __future__ import annotations

from mercato.kernel.auth import Principal

READ = "analytics:read"
MANAGE = "analytics:manage"


def merchant_of(principal: Principal) -> str | None:
    """The merchant whose lines alone the principal sees; None for the store's staff. A
    merchant account with no merchant id sees no line ("")."""
    if principal.kind == "user" and "merchant" in principal.roles and not principal.can(MANAGE):
        return principal.merchant_id or ""
    return None


def sees_whole_orders(principal: Principal) -> bool:
    return principal.can(READ) and merchant_of(principal) is None
