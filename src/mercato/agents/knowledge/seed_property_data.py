"""Seed 001's correctness properties (its "Property N" items: 1 to 85, no 54), each with the
requirements it validates and the part of the system it belongs to. Tests that prove one are
marked `@pytest.mark.seed_property(N)`; `seed_properties` lists them with those tests."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SeedProperty:
    number: int
    title: str
    validates: tuple[str, ...]
    """The seed's requirement ids ("1.1", "20.3")."""
    area: str


SEED_PROPERTIES: tuple[SeedProperty, ...] = (
    SeedProperty(
        1,
        "Scheduled ingestion retrieves and stores data with metadata",
        ("1.1", "1.4"),
        "Data ingestion layer",
    ),
    SeedProperty(2, "Rate limiting prevents scraping violations", ("1.2",), "Data ingestion layer"),
    SeedProperty(3, "Ingestion failures are isolated", ("1.5",), "Data ingestion layer"),
    SeedProperty(
        4,
        "SKU normalization produces consistent identifiers",
        ("2.1",),
        "Data validation and processing layer",
    ),
    SeedProperty(
        5,
        "Deduplication preserves most recent records",
        ("2.2",),
        "Data validation and processing layer",
    ),
    SeedProperty(
        6, "Missing data is flagged and handled", ("2.3",), "Data validation and processing layer"
    ),
    SeedProperty(
        7, "Invalid data types are rejected", ("2.4",), "Data validation and processing layer"
    ),
    SeedProperty(8, "Spam reviews are filtered", ("2.5",), "Data validation and processing layer"),
    SeedProperty(9, "Validated data round-trip", ("2.6",), "Core data models and database schema"),
    SeedProperty(10, "Low-confidence mappings are flagged", ("3.2",), "Pricing Intelligence Agent"),
    SeedProperty(11, "Price gaps are calculated correctly", ("3.3",), "Pricing Intelligence Agent"),
    SeedProperty(
        12, "Significant price changes trigger alerts", ("3.4",), "Pricing Intelligence Agent"
    ),
    SeedProperty(
        13, "Promotions are extracted with details", ("3.5",), "Pricing Intelligence Agent"
    ),
    SeedProperty(
        14,
        "Pricing recommendations respect margin constraints",
        ("3.6",),
        "Pricing Intelligence Agent",
    ),
    SeedProperty(
        15,
        "All recommendations include confidence scores",
        ("3.7", "7.5"),
        "Pricing Intelligence Agent",
    ),
    SeedProperty(
        16, "All reviews are classified with confidence", ("4.1",), "Sentiment Analysis Agent"
    ),
    SeedProperty(
        17, "Feature requests are extracted and ranked", ("4.3",), "Sentiment Analysis Agent"
    ),
    SeedProperty(18, "Complaint patterns are identified", ("4.4",), "Sentiment Analysis Agent"),
    SeedProperty(
        19, "Products have aggregate sentiment scores", ("4.5",), "Sentiment Analysis Agent"
    ),
    SeedProperty(20, "Aspect-level sentiment extraction", ("4.6",), "Sentiment Analysis Agent"),
    SeedProperty(
        21, "Forecasts are generated for configured horizons", ("5.1",), "Demand Forecast Agent"
    ),
    SeedProperty(
        22, "Seasonal patterns are detected and incorporated", ("5.2",), "Demand Forecast Agent"
    ),
    SeedProperty(23, "Demand-supply imbalances are identified", ("5.3",), "Demand Forecast Agent"),
    SeedProperty(24, "Inventory risks generate alerts", ("5.4",), "Demand Forecast Agent"),
    SeedProperty(
        25, "Low-confidence forecasts indicate uncertainty", ("5.5",), "Demand Forecast Agent"
    ),
    SeedProperty(
        26,
        "Queries are parsed and routed correctly",
        ("6.1",),
        "Orchestration layer - Query Router",
    ),
    SeedProperty(
        27, "Quick Mode meets performance SLA", ("6.2", "10.1"), "Performance SLA enforcement"
    ),
    SeedProperty(
        28, "Deep Mode meets performance SLA", ("6.3", "10.2"), "Performance SLA enforcement"
    ),
    SeedProperty(
        29,
        "Deep Mode enforces resource limits",
        ("6.4",),
        "Orchestration layer - Execution Service",
    ),
    SeedProperty(
        30,
        "Independent agents execute in parallel",
        ("6.5",),
        "Orchestration layer - Execution Service",
    ),
    SeedProperty(
        31,
        "Multi-agent results are synthesized",
        ("6.6",),
        "Orchestration layer - Result Synthesizer",
    ),
    SeedProperty(32, "Follow-up queries use conversation context", ("6.7",), "Domain Memory layer"),
    SeedProperty(
        33,
        "All reports include executive summaries",
        ("7.1",),
        "Orchestration layer - Result Synthesizer",
    ),
    SeedProperty(34, "Metrics include values and trends", ("7.2",), "Structured report generation"),
    SeedProperty(
        35, "Insights are traceable to source data", ("7.3", "13.2"), "Structured report generation"
    ),
    SeedProperty(36, "Risks include severity levels", ("7.4",), "Structured report generation"),
    SeedProperty(
        37, "Action items are prioritized", ("7.6",), "Orchestration layer - Result Synthesizer"
    ),
    SeedProperty(
        38,
        "Uncertainty is explicitly communicated",
        ("7.7", "11.4"),
        "Structured report generation",
    ),
    SeedProperty(39, "Preferences persist across sessions", ("8.1", "8.3"), "Domain Memory layer"),
    SeedProperty(40, "Marketplace focus affects prioritization", ("8.2",), "Domain Memory layer"),
    SeedProperty(
        41, "Business goals contextualize recommendations", ("8.4",), "Domain Memory layer"
    ),
    SeedProperty(42, "Historical context personalizes responses", ("8.5",), "Domain Memory layer"),
    SeedProperty(
        43,
        "Memory retention follows policy",
        ("8.6", "17.2"),
        "Data retention and lifecycle management",
    ),
    SeedProperty(
        44, "Agent inputs and outputs conform to schemas", ("9.2",), "API endpoints and interfaces"
    ),
    SeedProperty(
        45, "Component failures are isolated", ("9.3",), "Orchestration layer - Execution Service"
    ),
    SeedProperty(
        46, "Token usage is minimized through caching", ("10.5", "19.4"), "Caching layer with Redis"
    ),
    SeedProperty(
        47, "Missing data is flagged in results", ("11.1",), "Error handling and data quality"
    ),
    SeedProperty(
        48, "Data quality warnings are included", ("11.2",), "Error handling and data quality"
    ),
    SeedProperty(
        49, "API failures trigger retry with exponential backoff", ("11.3",), "Data ingestion layer"
    ),
    SeedProperty(
        50,
        "Insufficient data produces clear explanations",
        ("11.5",),
        "Error handling and data quality",
    ),
    SeedProperty(51, "Unauthenticated requests are rejected", ("12.1",), "Security measures"),
    SeedProperty(52, "Role-based access is enforced", ("12.4",), "Security measures"),
    SeedProperty(
        53, "Transformations are logged with lineage", ("13.1",), "Data lineage and audit trail"
    ),
    SeedProperty(55, "Audit logs are queryable", ("13.4",), "Data lineage and audit trail"),
    SeedProperty(56, "Deletions are audited", ("13.5",), "Data lineage and audit trail"),
    SeedProperty(
        57, "Predictions are tracked against actuals", ("14.1",), "Model Registry and monitoring"
    ),
    SeedProperty(
        58, "Model performance is evaluated on schedule", ("14.2",), "Model Registry and monitoring"
    ),
    SeedProperty(
        59, "Model drift triggers alerts", ("14.3", "14.4"), "Model Registry and monitoring"
    ),
    SeedProperty(
        60, "Poor performance triggers retraining", ("14.5",), "Model Registry and monitoring"
    ),
    SeedProperty(
        61, "Model retraining creates versions", ("14.6",), "Model Registry and monitoring"
    ),
    SeedProperty(
        62, "Agent executions are logged with telemetry", ("15.1",), "Observability and telemetry"
    ),
    SeedProperty(63, "Errors are logged with context", ("15.2",), "Observability and telemetry"),
    SeedProperty(64, "Requests are traced end-to-end", ("15.4",), "Observability and telemetry"),
    SeedProperty(
        65, "Performance anomalies trigger alerts", ("15.5",), "Observability and telemetry"
    ),
    SeedProperty(
        66,
        "Stale cache is refreshed before use",
        ("16.1", "16.2", "16.3"),
        "Caching layer with Redis",
    ),
    SeedProperty(67, "Cache invalidation clears and logs", ("16.4",), "Caching layer with Redis"),
    SeedProperty(
        68, "Data updates invalidate dependent caches", ("16.5",), "Caching layer with Redis"
    ),
    SeedProperty(69, "Cache eviction follows LRU policy", ("16.7",), "Caching layer with Redis"),
    SeedProperty(
        70, "Archived data retains metadata", ("17.4",), "Data retention and lifecycle management"
    ),
    SeedProperty(
        71,
        "Storage threshold exceedance triggers alerts",
        ("17.5",),
        "Data retention and lifecycle management",
    ),
    SeedProperty(
        72, "Repeated failures trigger escalation", ("18.1",), "Failure escalation and alerting"
    ),
    SeedProperty(73, "Timeouts trigger escalation", ("18.2",), "Failure escalation and alerting"),
    SeedProperty(
        74,
        "Connection failures trigger high-priority alerts",
        ("18.3",),
        "Failure escalation and alerting",
    ),
    SeedProperty(
        75,
        "Health check failures include diagnostics",
        ("18.4",),
        "Failure escalation and alerting",
    ),
    SeedProperty(
        76, "Alerts are delivered within SLA", ("18.5",), "Failure escalation and alerting"
    ),
    SeedProperty(
        77, "Alert acknowledgments are tracked", ("18.6",), "Failure escalation and alerting"
    ),
    SeedProperty(
        78,
        "Token usage is tracked per user and period",
        ("19.1",),
        "Cost governance and budget control",
    ),
    SeedProperty(
        79, "Budget warnings are sent at threshold", ("19.2",), "Cost governance and budget control"
    ),
    SeedProperty(
        80, "Budget exceedance restricts Deep Mode", ("19.3",), "Cost governance and budget control"
    ),
    SeedProperty(
        81,
        "Budget reports provide detailed breakdowns",
        ("19.5",),
        "Cost governance and budget control",
    ),
    SeedProperty(
        82,
        "Tenant data is isolated",
        ("20.1", "20.3"),
        "Multi-tenancy and authentication foundation",
    ),
    SeedProperty(
        83,
        "All stored data is tagged with tenant ID",
        ("20.2",),
        "Core data models and database schema",
    ),
    SeedProperty(84, "Tenant authorization is validated", ("20.4",), "Security measures"),
    SeedProperty(
        85,
        "Cross-tenant access is rejected and logged",
        ("20.5",),
        "Multi-tenancy and authentication foundation",
    ),
)
