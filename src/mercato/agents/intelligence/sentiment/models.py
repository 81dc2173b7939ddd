"""The sentiment part's table: one row per published review, its analysis as the served model
made it. Keyed by the review, so a redelivered or re-published review rewrites its row; a
withdrawn review's row is deleted, and with it its weight in every aggregate (they are
computed from these rows when asked)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, Index, Integer, LargeBinary, PrimaryKeyConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from mercato.kernel.db import Base, TenantScoped, UTCDateTime


class ReviewSentiment(TenantScoped, Base):
    __tablename__ = "intelligence_review_sentiment"

    review_id: Mapped[str] = mapped_column(String(36))
    product_id: Mapped[str] = mapped_column(String(36))
    rating: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    """Title and body as written (what was analysed; shown escaped, as every text)."""
    label: Mapped[str] = mapped_column(String(8))
    polarity: Mapped[float] = mapped_column(Float)
    confidence: Mapped[float] = mapped_column(Float)
    aspects: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    requests: Mapped[list[str]] = mapped_column(JSON)
    """Feature requests the review makes (normalised)."""
    embedding: Mapped[bytes | None] = mapped_column(LargeBinary)
    """The text's MiniLM vector (384 float32), for topic clusters; None without the model."""
    model_version: Mapped[str] = mapped_column(String(32))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime)
    analysed_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        PrimaryKeyConstraint("tenant_id", "review_id"),
        Index(
            "ix_intelligence_review_sentiment_product", "tenant_id", "product_id", "published_at"
        ),
    )


TABLES = [ReviewSentiment.__tablename__]
