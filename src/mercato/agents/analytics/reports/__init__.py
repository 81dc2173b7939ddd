"""The reports, one module per family; `analytics.service` runs them by name."""
