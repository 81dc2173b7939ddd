"""Identity's business rules."""

from __future__ import annotations

from sqlalchemy import func, select

from mercato.agents.identity.models import User
from mercato.kernel.db import UnitOfWork
from mercato.kernel.rules import business_rule


@business_rule(
    "BR011",
    name="unique_email",
    entity="customer",
    condition="an account is created or its email changes",
    constraint="the email address is not used by another account of the store",
    status=409,
)
async def email_is_free(*, uow: UnitOfWork, email: str) -> bool:
    query = select(func.count()).select_from(User).where(User.email == email)
    return not await uow.session.scalar(query)


@business_rule(
    "BR017",
    name="password_required",
    entity="customer",
    condition="a registered (not guest) account is created",
    constraint="a registered account has a password",
    status=422,
)
def has_password(*, password: str | None) -> bool:
    return bool(password)
