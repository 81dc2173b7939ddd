"""The search agent's metrics (on `/metrics` with the kernel's)."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

index_lag = Histogram(
    "mercato_search_index_lag_seconds",
    "From a product's change (its event) until the search index takes it up",
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300),
)
embedded = Counter(
    "mercato_search_embedded_total", "Documents whose meaning the background embedder embedded"
)
