"""The notifications API's request and response bodies."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from mercato.kernel.schemas import RequestModel

ChannelName = Literal["email", "sms", "push", "in_app"]
StatusName = Literal["queued", "sending", "sent", "delivered", "bounced", "failed", "complained"]
Hhmm = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]


class InboxItemOut(BaseModel):
    id: str
    kind: str
    title: str
    body: str
    data: dict[str, Any]
    created_at: datetime
    read_at: datetime | None


class InboxPageOut(BaseModel):
    items: list[InboxItemOut]
    next_cursor: str | None
    unread: int


class ChoiceIn(RequestModel):
    kind: Annotated[str, Field(min_length=1, max_length=40, description="A kind, or * for all")]
    channel: ChannelName
    enabled: bool


class ChoicesIn(RequestModel):
    choices: Annotated[list[ChoiceIn], Field(min_length=1, max_length=100)]


class ChoiceOut(BaseModel):
    kind: str
    channel: ChannelName
    enabled: bool
    locked: bool = Field(description="Transactional email: cannot be switched off")


class ProfileIn(RequestModel):
    """Fields left out keep their value; `null` clears one."""

    phone: Annotated[str | None, Field(max_length=20, description="E.164, e.g. +14155550123")] = (
        None
    )
    time_zone: Annotated[str | None, Field(max_length=64)] = None
    quiet_start: Hhmm | None = None
    quiet_end: Hhmm | None = None
    locale: Annotated[str | None, Field(max_length=16)] = None


class ProfileOut(BaseModel):
    phone: str | None
    time_zone: str
    quiet_start: str | None
    quiet_end: str | None
    locale: str | None


class DeviceIn(RequestModel):
    token: Annotated[str, Field(min_length=8, max_length=512)]
    platform: Literal["ios", "android", "web"]
    label: Annotated[str | None, Field(max_length=100)] = None


class DeviceOut(BaseModel):
    id: str
    platform: str
    label: str | None
    created_at: datetime


class PreferencesOut(BaseModel):
    choices: list[ChoiceOut]
    profile: ProfileOut
    devices: list[DeviceOut]


class MessageOut(BaseModel):
    id: str
    kind: str
    channel: ChannelName
    recipient: str
    user_id: str | None
    subject: str
    status: StatusName
    provider: str | None
    provider_message_id: str | None
    attempts: int
    last_error: str | None
    created_at: datetime
    next_attempt_at: datetime
    sent_at: datetime | None
    delivered_at: datetime | None


class StepOut(BaseModel):
    status: str
    detail: str
    at: datetime


class MessageDetailOut(MessageOut):
    body_text: str
    body_html: str | None
    locale: str
    steps: list[StepOut]


class MessagesPageOut(BaseModel):
    items: list[MessageOut]
    next_cursor: str | None


class KindOut(BaseModel):
    name: str
    purpose: Literal["transactional", "marketing", "staff"]
    description: str
    channels: list[ChannelName]
    locales: list[str] = Field(description="Locales with a shipped template")
    overrides: list[str] = Field(description="channel/locale pairs this store rewrote")


class KindsOut(BaseModel):
    items: list[KindOut]
    next_cursor: str | None


class WordingIn(RequestModel):
    channel: ChannelName
    locale: Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$")] = "en"
    subject: Annotated[str, Field(max_length=300)] = ""
    text: Annotated[str, Field(min_length=1, max_length=20000)]
    html: Annotated[str | None, Field(max_length=100000)] = None


class WordingOut(BaseModel):
    kind: str
    channel: ChannelName
    locale: str
    subject: str
    text: str
    html: str | None
    source: Literal["shipped", "store"]
    variables: dict[str, Any] = Field(description="The sample data the template can use")


class PreviewOut(BaseModel):
    kind: str
    channel: ChannelName
    locale: str
    subject: str
    text: str
    html: str | None


class LocalLogOut(BaseModel):
    items: list[dict[str, Any]]
    next_cursor: str | None


class ReceiptIn(RequestModel):
    message_id: Annotated[str, Field(min_length=1, max_length=36)]
    token: Annotated[str, Field(min_length=8, max_length=512)]
