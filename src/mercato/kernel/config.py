"""Settings: the one place configuration lives (MERCATO_* environment variables and `.env`).

Every setting has a default that works on a laptop: SQLite under the data directory and the
in-process event transport. Pointing `MERCATO_DATABASE_URL` at PostgreSQL and
`MERCATO_BROKER_URL` at Redis turns the same code into the scaled deployment.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import SettingsConfigDict

from mercato.kernel.intelligence_settings import IntelligenceSettings
from mercato.kernel.proxies import TrustedProxies

INSTALLED_AGENTS: tuple[str, ...] = (
    "identity",
    "catalog",
    "search",
    "inventory",
    "cart",
    "orders",
    "warehouse",
    "shipping",
    "payments",
    "returns",
    "reviews",
    "support",
    "notifications",
    "analytics",
    "intelligence",
    "assistant",
    "knowledge",
)
"""Agents loaded by default, in start-up order. Each issue that adds an agent adds it here."""


class Settings(IntelligenceSettings):
    model_config = SettingsConfigDict(
        env_prefix="MERCATO_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    service_name: str = "mercato"

    # Storage
    data_dir: Path = Path("./data")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy async URL; default: SQLite in the data directory"
    )
    database_pool_size: int = Field(
        default=30,
        ge=1,
        description="PostgreSQL connections a process may hold, kept once opened (a server "
        "process opens them at start-up). A server process opens this + 4 (and 15 more for "
        "the sandbox gateway's ledger): keep processes x that under the server's "
        "max_connections (100 by default: two processes at 30), or a request is answered "
        "503 `overloaded`",
    )
    database_pool_timeout: float = Field(
        default=30.0,
        gt=0,
        description="Seconds a request waits for a database connection before it is answered "
        "503 `overloaded` (with Retry-After); SQLite's writers queue for the write lock while "
        "holding one, so a burst of writes waits here rather than failing",
    )
    database_echo: bool = False
    object_store_url: str | None = Field(
        default=None,
        description="Where files (product pictures) are kept: s3://bucket/prefix for S3 or any "
        "S3-compatible store (several processes must share one); default: files under the "
        "data directory",
        pattern=r"^(s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?|file:///.+)$",
    )
    s3_endpoint_url: str | None = Field(
        default=None, description="An S3-compatible store's address (MinIO, R2, …); unset: AWS"
    )
    s3_region: str = "us-east-1"
    auto_migrate: bool | None = Field(
        default=None, description="Upgrade the schema at start; default: on for SQLite only"
    )

    agents: list[str] | None = Field(
        default=None,
        description="Agents to load: names under mercato.agents or dotted module paths; "
        "default: every installed agent",
    )

    # Event bus
    broker_url: str | None = Field(
        default=None, description="redis://… for Redis Streams; unset means in-process delivery"
    )
    relay_enabled: bool = True
    consumers_enabled: bool = Field(
        default=True, description="Whether `mercato serve` also runs the agents' event handlers"
    )
    relay_batch_size: int = Field(default=500, ge=1, le=10_000)
    relay_poll_interval: float = Field(default=0.05, gt=0)
    event_partitions: int = Field(default=8, ge=1, le=256)
    handler_max_attempts: int = Field(default=5, ge=1)
    handler_retry_base_delay: float = Field(default=0.2, ge=0)
    handler_retry_max_delay: float = Field(default=10.0, ge=0)
    stream_prefix: str = "mercato"
    stream_max_length: int = Field(default=1_000_000, ge=1_000)
    consumer_lease_ttl: float = Field(default=10.0, gt=0)

    # Sagas
    saga_lease_ttl: float = Field(default=15.0, gt=0)
    saga_resume_interval: float = Field(default=2.0, gt=0)
    saga_default_step_timeout: float = Field(default=30.0, gt=0)

    # Search
    search_semantic: bool = Field(
        default=True,
        description="Match by meaning too (MiniLM vectors made in the background), fused with "
        "the words' ranking",
    )
    search_semantic_min_similarity: float = Field(
        default=0.42,
        ge=-1,
        le=1,
        description="The cosine a product's vector needs with the query's to match by meaning",
    )
    search_semantic_fallback_similarity: float = Field(
        default=0.3,
        ge=-1,
        le=1,
        description="When nothing has the words nor means them closely: the cosine the "
        "nearest products need to be offered instead of nothing",
    )
    search_semantic_candidates: int = Field(
        default=50, ge=1, le=1000, description="Products matched by meaning per search at most"
    )
    search_in_stock_first: bool = Field(
        default=True, description="Relevance lists products in stock before the others"
    )
    search_popularity_weight: float = Field(
        default=0.15,
        ge=0,
        le=10,
        description="How much popularity (orders, views) adds to relevance (1: as much as the "
        "best match's relevance)",
    )
    search_answers_seconds: float = Field(
        default=60.0,
        ge=0,
        description="How long a process keeps a search's whole answer for the next shopper "
        "asking the same (any change to the store's index evicts it at once; 0 keeps none)",
    )
    search_embed_interval: float = Field(
        default=1.0, gt=0, description="Seconds between the embedder's looks for new text"
    )

    # HTTP
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    workers: int = Field(default=1, ge=1)
    max_body_bytes: int = Field(default=1_048_576, ge=1)
    picture_max_bytes: int = Field(
        default=10 * 1_048_576,
        ge=1024,
        description="The largest picture a merchant may upload (a multipart body may be this "
        "plus 64 KiB; every other body is held to max_body_bytes)",
    )
    forwarded_allow_ips: str = Field(
        default="",
        description="Comma-separated addresses or networks of the proxies whose "
        "X-Forwarded-For and X-Forwarded-Proto are trusted (the client address rate limits "
        "count by, https for HSTS); none by default, '*' only behind a load balancer you "
        "control",
    )
    cors_origins: list[str] = Field(default_factory=list)
    console_enabled: bool = Field(
        default=True,
        description="Serve the web console at / (an API-only deployment turns it off)",
    )
    default_tenant: str = "default"
    admin_api_key: str | None = Field(
        default=None, description="Bootstrap admin key; embedded mode generates one on first run"
    )

    # Identity and access
    access_token_ttl: int = Field(default=900, ge=60, description="Seconds an access JWT lives")
    refresh_token_ttl: int = Field(default=7 * 86400, ge=60, description="Seconds")
    jwt_issuer: str = "mercato"
    jwt_signing_keys: list[str] = Field(
        default_factory=list,
        description="Ed25519 private keys (PEM), newest first; embedded mode generates its own",
    )
    password_hash_time_cost: int = Field(default=3, ge=1)
    password_hash_memory_kib: int = Field(default=65536, ge=8)
    password_hash_parallelism: int = Field(default=4, ge=1)
    login_lock_after: int = Field(default=5, ge=1, description="Failed logins before a lock")
    login_lock_seconds: int = Field(default=900, ge=1)
    login_failure_delay: float = Field(default=0.25, ge=0, description="Doubles per failure")
    reset_token_ttl: int = Field(default=3600, ge=60)
    session_ttl: int = Field(default=30 * 86400, ge=60, description="Guest session lifetime")
    rate_limit_auth: str = "10/minute"
    rate_limit_api: str = "600/minute"
    rate_limit_generate: str = Field(
        default="20/minute", description="Test-data generations per caller (their own class)"
    )
    generate_anonymous_max: int = Field(
        default=100, ge=0, description="Records an anonymous caller may generate per request"
    )
    auth_cache_seconds: float = Field(
        default=5.0,
        ge=0,
        description="How long a process trusts its copy of an account's roles and status when "
        "no eviction reached it (the staleness bound of revocation across processes; ADR 15)",
    )
    store_terms_cache_seconds: float = Field(
        default=5.0,
        ge=0,
        description="How long a process keeps a store's cart settings and tax rates when no "
        "eviction reached it (how late a change can show across processes; ADR 22)",
    )
    smtp_url: str | None = Field(default=None, description="smtp://user:pass@host:587")
    mail_from: str = "Mercato <no-reply@mercato.local>"
    public_url: str = Field(default="http://127.0.0.1:8000", description="For links in emails")

    # Commerce: a new store's defaults (each store can change its own through the API)
    default_currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    default_country: str = Field(default="US", pattern=r"^[A-Z]{2}$")
    flat_shipping: Decimal = Field(default=Decimal("5.00"), ge=0)
    free_shipping_over: Decimal | None = Field(default=Decimal("75.00"), ge=0)
    prices_include_tax: bool = False
    reservation_ttl: int = Field(default=900, ge=1, description="Seconds a stock hold lasts")
    reservation_sweep_interval: float = Field(default=5.0, gt=0)
    inventory_sync_threshold: Decimal = Field(
        default=Decimal("0.10"), ge=0, description="Feed discrepancies above it wait for review"
    )
    cart_abandon_after: int = Field(default=3600, ge=1, description="Idle seconds")
    cart_abandon_sweep_interval: float = Field(default=60.0, gt=0)

    # Orders and checkout
    order_number_prefix: str = Field(default="ORD", pattern=r"^[A-Z]{2,6}$")

    # Payments: providers (sandbox is built in and needs no account)
    payment_providers: list[str] = Field(
        default_factory=lambda: ["sandbox"],
        description="Providers checkout accepts; stripe and paypal also need their keys",
    )
    capture_mode: Literal["on_shipment", "immediate"] = Field(
        default="on_shipment", description="Capture when the order ships, or at authorization"
    )
    sandbox_gateway_url: str | None = Field(
        default=None,
        description="Where the sandbox gateway keeps its own ledger (an outside system's "
        "state); default: a SQLite file in the data directory, or its own tables in the "
        "store's PostgreSQL database",
    )
    sandbox_gateway_latency: float = Field(default=0.0, ge=0, description="Seconds per call")
    stripe_api_key: str | None = None
    stripe_webhook_secret: str | None = None
    stripe_api_base: str = Field(default="https://api.stripe.com", description="Tests: a local")
    stripe_webhook_tolerance: int = Field(default=300, ge=1, description="Seconds")
    paypal_client_id: str | None = None
    paypal_client_secret: str | None = None
    paypal_api_base: str = "https://api-m.sandbox.paypal.com"
    paypal_webhook_id: str | None = None
    paypal_webhook_tolerance: int = Field(default=300, ge=1, description="Seconds")
    gateway_timeout: float = Field(default=10.0, gt=0, description="Seconds per gateway call")
    # Fraud screening (a hit puts the order in manual review and holds the capture)
    fraud_amount_threshold: Decimal = Field(default=Decimal("10000.00"), ge=0)
    fraud_velocity_window: int = Field(default=3600, ge=1, description="Seconds")
    fraud_velocity_per_customer: int = Field(default=10, ge=1)
    fraud_velocity_per_card: int = Field(default=10, ge=1)
    fraud_velocity_per_ip: int = Field(default=50, ge=1)
    fraud_country_mismatch: bool = Field(
        default=True, description="Review when billing and shipping countries differ"
    )
    payment_reconcile_interval: float = Field(default=30.0, gt=0)
    payment_reconcile_after: int = Field(
        default=10, ge=0, description="Seconds a payment's outcome stays unknown before asking"
    )

    # Support: SLA due times by priority, counted from when a ticket opens
    support_first_response_hours: dict[str, float] = Field(
        default_factory=lambda: {"urgent": 1.0, "high": 4.0, "normal": 8.0, "low": 24.0},
        description="Hours to a ticket's first staff reply, by priority (JSON)",
    )
    support_resolution_hours: dict[str, float] = Field(
        default_factory=lambda: {"urgent": 4.0, "high": 24.0, "normal": 48.0, "low": 96.0},
        description="Hours to a ticket's solution, by priority (JSON)",
    )
    support_ticket_prefix: str = Field(default="TCK", pattern=r"^[A-Z]{2,6}$")
    support_faq_cache_seconds: float = Field(
        default=60.0,
        ge=0,
        description="How long a process keeps a store's FAQ articles and their vectors when no "
        "eviction reached it",
    )

    # Reviews: how many shoppers' reports send a published review back to moderation
    reviews_report_threshold: int = Field(default=3, ge=1, le=1000)

    # Notifications: the channels' providers (unset: the local ones, which keep what they
    # send under the data directory) and the sender
    email_provider: str = Field(
        default="local",
        pattern=r"^(local|smtp|ses)$",
        description="local (.eml files under <data dir>/mail; smtp when MERCATO_SMTP_URL is "
        "set), smtp or ses",
    )
    smtp_ca_file: Path | None = Field(
        default=None,
        description="The CA certificate(s) (PEM) to trust for the SMTP server's STARTTLS (a "
        "relay with a private CA); unset: the system's",
    )
    ses_region: str = "us-east-1"
    ses_endpoint_url: str | None = Field(
        default=None, description="Another SES endpoint (a local server in tests); unset: AWS's"
    )
    ses_access_key_id: str | None = None
    ses_secret_access_key: SecretStr | None = None
    ses_verify_sns_signature: bool = Field(
        default=True,
        description="Check Amazon SNS's signature on the SES webhook (besides its secret "
        "address); off only for a local test server",
    )
    ses_configuration_set: str | None = Field(
        default=None, description="The SES configuration set whose events reach the webhook"
    )
    sms_provider: str = Field(
        default="local", pattern=r"^(local|twilio)$", description="local (a log) or twilio"
    )
    twilio_account_sid: str | None = None
    twilio_auth_token: SecretStr | None = None
    twilio_from: str | None = Field(
        default=None, description="The sending number (E.164) or a Messaging Service SID (MG…)"
    )
    twilio_base_url: str = "https://api.twilio.com"
    push_provider: str = Field(
        default="local", pattern=r"^(local|fcm)$", description="local (a log) or fcm"
    )
    fcm_service_account: Path | None = Field(
        default=None, description="The Firebase service account's JSON key file"
    )
    fcm_base_url: str = "https://fcm.googleapis.com"
    notifications_webhook_secret: SecretStr | None = Field(
        default=None,
        description="The secret in the SES (SNS) webhook's address and the signing key of "
        "unsubscribe links; embedded mode keeps one in <data dir>/notifications-secret",
    )
    notifications_send_interval: float = Field(
        default=0.5, gt=0, description="Seconds between the sender's looks for queued messages"
    )
    notifications_batch: int = Field(
        default=50, ge=1, le=1000, description="Messages a sender claims at a time"
    )
    notifications_max_attempts: int = Field(
        default=12, ge=1, description="Tries of a message on transient errors before it fails"
    )
    notifications_retry_base_seconds: float = Field(
        default=5.0, gt=0, description="The first retry's delay; each next one doubles (max 1 h)"
    )
    notifications_quiet_hours: str = Field(
        default="21:00-08:00",
        pattern=r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$|^$",
        description="A new customer's quiet hours for SMS and push, in their time zone "
        "(empty: none)",
    )
    notifications_default_locale: str = "en"
    cart_reminder_max_per_week: int = Field(
        default=2, ge=0, description="Abandoned-cart reminders one customer receives a week"
    )

    # Analytics
    default_time_zone: str = Field(
        default="UTC", description="A new store's time zone for its reports (IANA name)"
    )
    analytics_kpi_interval: float = Field(
        default=1.0, gt=0, description="Seconds between KPI pushes to a dashboard's stream"
    )

    # Fulfilment: shipping, warehouse, returns
    shipping_carriers: str = Field(
        default="local,tables",
        description="The carriers rate shopping asks, comma-separated: local (Mercato's "
        "built-in courier), tables (the store's own rate tables, one carrier per table "
        "carrier code), easypost (EasyPost's API: needs MERCATO_EASYPOST_API_KEY)",
    )
    shipping_carrier_timeout: float = Field(
        default=4.0,
        gt=0,
        description="Seconds a carrier has to quote before its table rates stand in (EC018)",
    )
    shipping_default_weight_grams: int = Field(
        default=500, ge=1, description="A unit's weight when the catalog does not know it"
    )
    shipping_default_box_mm: str = Field(
        default="250x200x100",
        pattern=r"^\d{1,5}x\d{1,5}x\d{1,5}$",
        description="A unit's box (LxWxH, mm) when the catalog does not know it",
    )
    shipping_webhook_secret: SecretStr | None = Field(
        default=None,
        description="Signs the local carrier's tracking webhooks; embedded mode keeps one in "
        "<data dir>/shipping-secret",
    )
    shipping_poll_interval: float = Field(
        default=300.0, gt=0, description="Seconds between polls of carriers for tracking"
    )
    easypost_api_key: SecretStr | None = None
    easypost_base_url: str = "https://api.easypost.com"
    easypost_webhook_secret: SecretStr | None = Field(
        default=None, description="The webhook secret set on EasyPost (X-Hmac-Signature)"
    )
    return_window_days: int = Field(
        default=30, ge=0, description="Days after delivery a return may be requested (BR009)"
    )
    restocking_fee_percent: Decimal = Field(
        default=Decimal(0),
        ge=0,
        le=100,
        description="The fee on returned items not in their original condition (BR010)",
    )
    returns_damaged_refund_percent: Decimal = Field(
        default=Decimal(50),
        ge=0,
        le=100,
        description="What a damaged returned item refunds, in percent of what was paid",
    )
    returns_review_over: Decimal = Field(
        default=Decimal(500),
        ge=0,
        description="A return worth this much or more waits for staff to approve it",
    )
    returns_review_after: int = Field(
        default=3,
        ge=1,
        description="A shopper's returns in 90 days from which a new one waits for staff",
    )

    # The assistant (and the LLM it uses when one is configured)
    llm_provider: str | None = Field(
        default=None,
        description="anthropic, openai, or an OpenAI-compatible base URL (a local model server); "
        "unset: the assistant understands offline only",
    )
    llm_model: str = Field(
        default="", description="The model's name (default: the provider's small, fast model)"
    )
    llm_api_key: SecretStr | None = Field(default=None, description="The provider's API key")
    llm_base_url: str | None = Field(
        default=None, description="Another endpoint for anthropic or openai (a proxy, a gateway)"
    )
    llm_monthly_tokens: int = Field(
        default=2_000_000, ge=0, description="Each store's monthly token budget for the LLM"
    )
    llm_timeout_seconds: float = Field(
        default=20.0,
        gt=0,
        description="A turn waits this long for the LLM before answering offline",
    )

    # Knowledge
    knowledge_test_results: Path | None = Field(
        default=None,
        description="The JSON file where the test plugin records how the tests marked with "
        "edge cases and business rules last ended; default: .mercato/test-results.json in "
        "the project checkout",
    )
    grpc_port: int = Field(
        default=9002, ge=1, le=65535, description="The knowledge agent's gRPC services' port"
    )
    serve_grpc: bool = Field(
        default=False,
        description="Serve gRPC beside HTTP in this process (`mercato serve` turns it on)",
    )
    test_data_agent: str | None = Field(
        default=None,
        description="host:port of an external Test Data Agent (testdata.v1.TestDataService) "
        "to delegate test-data generation to; Mercato's own generator answers when it is "
        "unset or down",
    )
    test_data_agent_timeout: float = Field(default=30.0, gt=0)

    # Observability
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_json: bool = True
    otlp_endpoint: str | None = None

    @field_validator("support_first_response_hours", "support_resolution_hours")
    @classmethod
    def _every_priority(cls, value: dict[str, float]) -> dict[str, float]:
        if set(value) != {"urgent", "high", "normal", "low"} or min(value.values()) <= 0:
            raise ValueError("hours above 0 for each of urgent, high, normal and low")
        return value

    @field_validator("data_dir")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    @field_validator("forwarded_allow_ips")
    @classmethod
    def _proxies(cls, value: str) -> str:
        TrustedProxies(value)  # refuses what is neither an address, a network nor '*'
        return value

    @cached_property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.data_dir / 'mercato.db'}"

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")

    @property
    def agent_names(self) -> list[str]:
        return list(INSTALLED_AGENTS) if self.agents is None else self.agents

    @property
    def mode(self) -> Literal["embedded", "scaled"]:
        return "embedded" if self.is_sqlite and not self.broker_url else "scaled"

    @property
    def should_auto_migrate(self) -> bool:
        return self.is_sqlite if self.auto_migrate is None else self.auto_migrate
