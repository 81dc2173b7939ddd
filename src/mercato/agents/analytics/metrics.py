"""The analytics agent's metrics (on `/metrics` with the kernel's)."""

from __future__ import annotations

from prometheus_client import Histogram

event_lag = Histogram(
    "mercato_analytics_event_lag_seconds",
    "From an event (its occurred_at) until analytics' read models take it up: how far the "
    "dashboards are behind the store",
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300),
)
