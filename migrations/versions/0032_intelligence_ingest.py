"""intelligence: sources, runs, raw records, clean records, matches, lineage and audit

Revision ID: 0032_intelligence_ingest
Revises: 0031_intelligence_demand
Create Date: 2026-12-06 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import mercato.kernel.db

revision: str = "0032_intelligence_ingest"
down_revision: str | None = "0031_intelligence_demand"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = mercato.kernel.db.UTCDateTime


def _id() -> sa.Column[str]:
    return sa.Column("id", sa.String(length=36), nullable=False)


def _tenant() -> sa.Column[str]:
    return sa.Column("tenant_id", sa.String(length=64), nullable=False)


def upgrade() -> None:
    op.create_table(
        "intel_sources",
        _id(),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("credential", sa.String(length=64), nullable=True),
        sa.Column("interval_seconds", sa.Integer(), nullable=True),
        sa.Column("rate_per_second", sa.Float(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("next_run_at", UTC(timezone=True), nullable=True),
        sa.Column("created_at", UTC(timezone=True), nullable=False),
        sa.Column("updated_at", UTC(timezone=True), nullable=False),
        _tenant(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intel_sources")),
        sa.UniqueConstraint("tenant_id", "name", name=op.f("uq_intel_sources_tenant_id_name")),
    )
    op.create_index(
        "ix_intel_sources_due", "intel_sources", ["tenant_id", "enabled", "next_run_at"]
    )
    op.create_table(
        "intel_runs",
        _id(),
        sa.Column("source_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("started_at", UTC(timezone=True), nullable=False),
        sa.Column("finished_at", UTC(timezone=True), nullable=True),
        sa.Column("fetched", sa.Integer(), nullable=False),
        sa.Column("stored", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("duplicates", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.JSON(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        _tenant(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intel_runs")),
    )
    op.create_index(
        "ix_intel_runs_source", "intel_runs", ["tenant_id", "source_id", "started_at", "id"]
    )
    op.create_table(
        "intel_raw_records",
        _id(),
        sa.Column("source_id", sa.String(length=36), nullable=False),
        sa.Column("run_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("external_id", sa.String(length=500), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("checksum", sa.String(length=64), nullable=False),
        sa.Column("fetched_at", UTC(timezone=True), nullable=False),
        _tenant(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intel_raw_records")),
        sa.UniqueConstraint(
            "tenant_id",
            "source_id",
            "checksum",
            name=op.f("uq_intel_raw_records_tenant_id_source_id_checksum"),
        ),
    )
    op.create_index("ix_intel_raw_records_run", "intel_raw_records", ["tenant_id", "run_id"])
    op.create_table(
        "intel_records",
        _id(),
        sa.Column("source_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=500), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("observed_at", UTC(timezone=True), nullable=False),
        sa.Column("updated_at", UTC(timezone=True), nullable=False),
        _tenant(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intel_records")),
        sa.UniqueConstraint(
            "tenant_id",
            "source_id",
            "kind",
            "key",
            name=op.f("uq_intel_records_tenant_id_source_id_kind_key"),
        ),
    )
    op.create_index("ix_intel_records_kind", "intel_records", ["tenant_id", "kind", "observed_at"])
    op.create_table(
        "intel_lineage",
        _id(),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("raw_id", sa.String(length=36), nullable=False),
        sa.Column("step", sa.String(length=120), nullable=False),
        sa.Column("at", UTC(timezone=True), nullable=False),
        _tenant(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intel_lineage")),
    )
    op.create_index("ix_intel_lineage_record", "intel_lineage", ["tenant_id", "record_id", "at"])
    op.create_table(
        "intel_matches",
        _id(),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("product_id", sa.String(length=36), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decided_at", UTC(timezone=True), nullable=True),
        sa.Column("created_at", UTC(timezone=True), nullable=False),
        _tenant(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intel_matches")),
        sa.UniqueConstraint(
            "tenant_id", "record_id", name=op.f("uq_intel_matches_tenant_id_record_id")
        ),
    )
    op.create_index(
        "ix_intel_matches_status", "intel_matches", ["tenant_id", "status", "created_at", "id"]
    )
    op.create_index(
        "ix_intel_matches_product", "intel_matches", ["tenant_id", "product_id", "status"]
    )
    op.create_table(
        "intel_audit",
        _id(),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("at", UTC(timezone=True), nullable=False),
        _tenant(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intel_audit")),
    )
    op.create_index("ix_intel_audit_at", "intel_audit", ["tenant_id", "at", "id"])
    op.create_index("ix_intel_audit_record", "intel_audit", ["tenant_id", "record_id", "at"])
    op.create_index("ix_intel_audit_actor", "intel_audit", ["tenant_id", "actor", "at"])
    op.create_index("ix_intel_audit_action", "intel_audit", ["tenant_id", "action", "at"])


def downgrade() -> None:
    for table in (
        "intel_audit",
        "intel_matches",
        "intel_lineage",
        "intel_records",
        "intel_raw_records",
        "intel_runs",
        "intel_sources",
    ):
        op.drop_table(table)
