"""The identity API's request and response models."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from mercato.agents.identity.statuses import UserStatus
from mercato.kernel.schemas import RequestModel

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Password = Annotated[str, Field(min_length=1, max_length=1024)]
Role = Literal["customer", "merchant", "support", "admin"]
"""Roles of people. `system` is for API keys only."""
KeyRole = Literal["support", "admin", "system"]
"""Roles an API key may hold (a merchant key would need its merchant: not supported)."""


class RegisterIn(RequestModel):
    email: EmailStr
    password: Password
    full_name: Name


class LoginIn(RequestModel):
    email: EmailStr
    password: Password


class RefreshIn(RequestModel):
    refresh_token: Annotated[str, Field(min_length=1, max_length=200)]


class PasswordResetIn(RequestModel):
    email: EmailStr


class PasswordResetConfirmIn(RequestModel):
    token: Annotated[str, Field(min_length=1, max_length=200)]
    new_password: Password


class EmailVerificationIn(RequestModel):
    token: Annotated[str, Field(min_length=1, max_length=200)]


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    email: str
    full_name: str
    roles: list[str]
    merchant_id: str | None
    status: str
    email_verified: bool
    created_at: datetime


class TokenPairOut(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int
    user: UserOut


class MeUpdateIn(RequestModel):
    full_name: Name | None = None


class SessionOut(BaseModel):
    session_id: str
    session_token: str
    expires_at: datetime


class StaffIn(RequestModel):
    email: EmailStr
    password: Password
    full_name: Name
    roles: Annotated[list[Role], Field(min_length=1)]
    merchant_id: str | None = None


class UserPatchIn(RequestModel):
    roles: Annotated[list[Role], Field(min_length=1)] | None = None
    status: Literal[UserStatus.ACTIVE, UserStatus.DISABLED] | None = None
    merchant_id: str | None = None


class UserPage(BaseModel):
    items: list[UserOut]
    next_cursor: str | None


class ApiKeyIn(RequestModel):
    name: Name
    roles: Annotated[list[KeyRole], Field(min_length=1)] = ["system"]


class ApiKeyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    name: str
    prefix: str
    roles: list[str]
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiKeyPage(BaseModel):
    items: list[ApiKeyOut]
    next_cursor: str | None


class ApiKeyCreatedOut(ApiKeyOut):
    key: str = Field(description="Shown once; store it now")
