"""The notifications agent's tables: the messages it queued and sent (the delivery log),
customers' preferences, phone numbers and devices, suppressed addresses, and the store's
own versions of the templates."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mercato.agents.notifications.statuses import Channel, MessageStatus, StepStatus
from mercato.kernel.db import Base, StrEnumColumn, TenantScoped, UTCDateTime


class NotificationMessage(TenantScoped, Base):
    """One message to one recipient on one channel, rendered when queued. `dedupe_key`
    (the triggering event's id, kind and recipient) is unique: a redelivered event queues
    nothing new. A sensitive message's bodies (a reset link) are blanked once it is out."""

    __tablename__ = "notification_messages"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(200))
    event_id: Mapped[str | None] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(40))
    channel: Mapped[Channel] = mapped_column(StrEnumColumn(Channel, 8))
    user_id: Mapped[str | None] = mapped_column(String(64))
    recipient: Mapped[str] = mapped_column(String(512))
    locale: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """Links and ids the push payload and the inbox carry (order id, URL)."""
    headers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    sensitive: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[MessageStatus] = mapped_column(StrEnumColumn(MessageStatus, 12))
    provider: Mapped[str | None] = mapped_column(String(16))
    provider_message_id: Mapped[str | None] = mapped_column(String(300))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("tenant_id", "dedupe_key"),
        Index("ix_notification_messages_due", "status", "next_attempt_at"),
        Index("ix_notification_messages_created", "tenant_id", "created_at", "id"),
        Index("ix_notification_messages_user", "tenant_id", "user_id", "channel", "created_at"),
        Index("ix_notification_messages_provider", "provider", "provider_message_id"),
    )


class DeliveryStep(TenantScoped, Base):
    """The delivery log: each status a message went through, when, and what the provider
    said (an attempt's error, a webhook's report)."""

    __tablename__ = "notification_delivery_steps"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    message_id: Mapped[str] = mapped_column(String(36))
    status: Mapped[StepStatus] = mapped_column(StrEnumColumn(StepStatus, 16))
    detail: Mapped[str] = mapped_column(String(500), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_notification_delivery_steps_message", "message_id", "at"),)


class Preference(TenantScoped, Base):
    """A customer's choice for one kind (or `*`, every kind) on one channel. No row: the
    kind's default."""

    __tablename__ = "notification_preferences"

    tenant_id: Mapped[str] = mapped_column(String(64), primary_key=True)

    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    channel: Mapped[Channel] = mapped_column(StrEnumColumn(Channel, 8), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Profile(TenantScoped, Base):
    """How to reach a customer beyond their account's email: a phone for SMS, a time zone
    and quiet hours for SMS and push, a language."""

    __tablename__ = "notification_profiles"

    tenant_id: Mapped[str] = mapped_column(String(64), primary_key=True)

    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    phone: Mapped[str | None] = mapped_column(String(20))
    time_zone: Mapped[str] = mapped_column(String(64))
    quiet_start: Mapped[str | None] = mapped_column(String(5))
    quiet_end: Mapped[str | None] = mapped_column(String(5))
    locale: Mapped[str | None] = mapped_column(String(16))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Device(TenantScoped, Base):
    """A push token the shopper's app registered; `disabled_at` once the provider said it is
    gone (unregistered)."""

    __tablename__ = "notification_devices"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64))
    token: Mapped[str] = mapped_column(String(512))
    platform: Mapped[str] = mapped_column(String(16))
    label: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("tenant_id", "token"),
        Index("ix_notification_devices_user", "tenant_id", "user_id"),
    )


class Suppression(TenantScoped, Base):
    """An address not to write to: unsubscribed from a kind's class (`marketing`), or dead
    (`*`: a hard bounce, a complaint, an invalid number). Guests have no preferences, so
    their unsubscribes live here, by address."""

    __tablename__ = "notification_suppressions"

    tenant_id: Mapped[str] = mapped_column(String(64), primary_key=True)

    address: Mapped[str] = mapped_column(String(512), primary_key=True)
    scope: Mapped[str] = mapped_column(String(40), primary_key=True)
    reason: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TemplateOverride(TenantScoped, Base):
    """A store's own wording of one kind on one channel in one locale (the shipped template
    otherwise)."""

    __tablename__ = "notification_templates"

    tenant_id: Mapped[str] = mapped_column(String(64), primary_key=True)

    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    channel: Mapped[Channel] = mapped_column(StrEnumColumn(Channel, 8), primary_key=True)
    locale: Mapped[str] = mapped_column(String(16), primary_key=True)
    subject: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str | None] = mapped_column(Text)
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
