"""The intelligence agent's settings (MERCATO_INTEL_*): ingestion, demand forecasts, pricing,
questions and reports, the analysis cache, memory, governance and the model registry. A part of
`Settings`, which inherits them; kept here so the kernel's own settings stay readable."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings


class IntelligenceSettings(BaseSettings):
    # Intelligence: ingestion of outside data (agents/intelligence/ingest)
    intel_ingest_interval: float = Field(
        default=60.0, gt=0, description="Seconds between the worker's checks for due sources"
    )
    intel_credentials: dict[str, SecretStr] = Field(
        default_factory=dict,
        description="Sources' secrets by name (JSON object); a source names the one it uses",
    )
    intel_import_dir: Path | None = Field(
        default=None, description="Where file sources are read from; default: DATA_DIR/imports"
    )
    intel_user_agent: str = Field(
        default="MercatoBot/1.0 (+https://mercato.dev/bot)",
        description="How the connectors and the competitor scraper identify themselves",
    )
    intel_allow_private_hosts: bool = Field(
        default=False,
        description="Let sources fetch from private, loopback and link-local addresses",
    )
    intel_domain_interval: float = Field(
        default=2.0, ge=0, description="Minimum seconds between two requests to one domain"
    )
    intel_http_timeout: float = Field(default=15.0, gt=0, description="Seconds per request")
    intel_retry_attempts: int = Field(
        default=5, ge=1, le=10, description="Attempts per request (429, 5xx, connection errors)"
    )
    intel_retry_base: float = Field(
        default=0.5, ge=0, description="First retry's backoff ceiling in seconds (doubling)"
    )
    intel_retry_cap: float = Field(
        default=30.0, gt=0, description="Longest wait between attempts, Retry-After included"
    )
    intel_match_threshold: float = Field(
        default=0.85, ge=0, le=1, description="Matches less confident than this wait for review"
    )

    # Intelligence: demand forecasts (agents/intelligence/demand)
    intel_forecast_interval: float = Field(
        default=3600.0, gt=0, description="Seconds between the worker's forecast refreshes"
    )
    intel_forecast_max_age: float = Field(
        default=43200.0, gt=0, description="Seconds after which a stored forecast is made again"
    )
    intel_forecast_overstock_margin: float = Field(
        default=0.5, ge=0, description="Stock over the 95 % demand bound by this share: overstock"
    )
    intel_forecast_min_history: int = Field(
        default=56, ge=1, description="Days of history below which a forecast is low-confidence"
    )
    intel_forecast_max_width: float = Field(
        default=2.0, gt=0, description="95 % interval width over the level above which: low"
    )
    intel_forecast_max_mase: float = Field(
        default=1.2, gt=0, description="Backtest MASE above which a forecast is low-confidence"
    )

    # Intelligence: pricing (agents/intelligence/pricing)
    intel_price_alert_percent: Decimal = Field(
        default=Decimal(5),
        gt=0,
        le=1000,
        description="A competitor's price change of this percent or more raises an alert",
    )
    intel_pricing_min_margin_percent: Decimal = Field(
        default=Decimal(0),
        ge=0,
        le=1000,
        description="Minimum margin over cost (percent of cost) for products whose own and "
        "category's are not set: suggestions never go below cost plus it",
    )
    intel_pricing_undercut_percent: Decimal = Field(
        default=Decimal(1), ge=0, le=50, description="How far under the lowest price to undercut"
    )
    intel_pricing_far_below_percent: Decimal = Field(
        default=Decimal(10),
        gt=0,
        le=90,
        description="A price this far under the market median is suggested a raise toward it",
    )
    intel_pricing_fresh_hours: float = Field(
        default=24.0, gt=0, description="Competitor prices this recent count as fully fresh"
    )
    intel_pricing_stale_hours: float = Field(
        default=168.0, gt=0, description="Competitor prices this old no longer count"
    )

    # Intelligence: questions and reports (agents/intelligence/ask)
    intel_quick_seconds: float = Field(
        default=20.0, gt=0, description="A Quick question's time limit (its agents get 80 %)"
    )
    intel_deep_seconds: float = Field(
        default=180.0, gt=0, description="A Deep question's time limit (its agents get 80 %)"
    )
    intel_questions_per_process: int = Field(
        default=4,
        ge=0,
        le=64,
        description="Questions one process runs at once; 0: it runs none (an API process of a "
        "scaled deployment, whose questions processes with room take from the queue)",
    )
    intel_queue_poll_seconds: float = Field(
        default=2.0,
        gt=0,
        description="How often a process looks for queued questions (and for ones whose "
        "process stopped)",
    )
    intel_question_lease_seconds: float = Field(
        default=60.0, gt=0, description="A running question unrenewed this long is queued again"
    )
    intel_deep_crawl: bool = Field(
        default=False,
        description="Deep mode runs the store's competitor sources again before answering",
    )

    # Intelligence: the analysis cache (agents/intelligence/cache)
    intel_cache_max_entries: int = Field(
        default=512, ge=1, description="Most analysis results kept; the least recently used go"
    )
    intel_cache_pricing_seconds: float = Field(
        default=3600.0, ge=0, description="How long a pricing analysis is served (then redone)"
    )
    intel_cache_competitors_seconds: float = Field(
        default=3600.0, ge=0, description="How long competitors' moves are served"
    )
    intel_cache_reviews_seconds: float = Field(
        default=86400.0, ge=0, description="How long a review-sentiment analysis is served"
    )
    intel_cache_forecasts_seconds: float = Field(
        default=43200.0, ge=0, description="How long a demand analysis is served"
    )
    intel_cache_sales_seconds: float = Field(
        default=3600.0, ge=0, description="How long sales figures are served"
    )
    intel_cache_llm_plan_seconds: float = Field(
        default=86400.0, ge=0, description="How long an LLM's plan of a question is reused"
    )

    # Intelligence: memory (agents/intelligence/memory)
    intel_memory_conversation_days: int = Field(
        default=90, ge=1, description="Days a conversation's questions are kept (follow-ups)"
    )
    intel_memory_question_days: int = Field(
        default=365, ge=1, description="Days past questions and their embeddings are kept"
    )
    intel_memory_purge_interval: float = Field(
        default=86400.0, gt=0, description="Seconds between purges of expired memory"
    )

    # Intelligence: governance (agents/intelligence/governance)
    intel_budget_store_monthly_tokens: int = Field(
        default=2_000_000, ge=0, description="A store's LLM tokens per month for intelligence"
    )
    intel_budget_user_monthly_tokens: int | None = Field(
        default=None, ge=0, description="Every user's LLM tokens per month (unset: no limit)"
    )
    intel_budget_warn_percent: int = Field(
        default=80, ge=1, le=100, description="The share of a budget that raises the warning"
    )
    intel_anomaly_factor: float = Field(
        default=3.0, gt=1, description="A question slower than this times its mode's median: alert"
    )
    intel_retention_raw_days: int = Field(
        default=90, ge=1, description="Days raw payloads are kept before they are archived"
    )
    intel_retention_processed_days: int = Field(
        default=365, ge=1, description="Days clean records and agents' runs are kept"
    )
    intel_retention_reports_days: int = Field(
        default=1095, ge=1, description="Days a report's body is kept (its metadata stays)"
    )
    intel_storage_raw_rows: int = Field(
        default=1_000_000, ge=1, description="Raw payloads past which a storage alert is raised"
    )
    intel_storage_processed_rows: int = Field(
        default=1_000_000, ge=1, description="Clean records past which a storage alert is raised"
    )
    intel_storage_reports_rows: int = Field(
        default=100_000, ge=1, description="Reports past which a storage alert is raised"
    )
    intel_health_interval: float = Field(
        default=300.0, gt=0, description="Seconds between the intelligence health checks"
    )
    intel_archive_interval: float = Field(
        default=86400.0, gt=0, description="Seconds between archival runs"
    )

    # Intelligence: the model registry (agents/intelligence/registry)
    intel_evaluation_interval: float = Field(
        default=86400.0, gt=0, description="Seconds between scheduled evaluations of the models"
    )
    intel_evaluation_window_days: int = Field(
        default=30, ge=1, description="An evaluation scores the predictions resolved this recently"
    )
    intel_evaluation_min_samples: int = Field(
        default=30, ge=1, description="Fewer resolved predictions than this are not scored"
    )
    intel_drift_tolerance: float = Field(
        default=0.10,
        gt=0,
        lt=1,
        description="A score worse than the version's baseline by more than this share is drift",
    )
    intel_auto_retrain: bool = Field(
        default=True, description="Drift makes the task's trainer build a candidate version"
    )
