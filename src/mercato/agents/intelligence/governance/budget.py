"""Token budgets (seed 001 requirement 19): a store's monthly budget and, optionally, each
user's. At 80 % of a budget staff are alerted once a month (79); a spent budget refuses Deep
mode with a clear error while Quick mode goes on (80)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import delete, select

from mercato.agents.intelligence.governance import alerts, ledger
from mercato.agents.intelligence.governance.config import BudgetDefaults, config_of
from mercato.agents.intelligence.governance.models import IntelBudget
from mercato.agents.intelligence.governance.problems import DeepModeRefused, InvalidBudget
from mercato.kernel import context
from mercato.kernel.db import UnitOfWork, upsert_insert
from mercato.kernel.errors import TenantContextMissing
from mercato.kernel.ids import new_id

Scope = Literal["store", "user"]
EVERY_USER = "user:*"


@dataclass(frozen=True)
class BudgetStatus:
    used: int
    limit: int
    ratio: float
    """used / limit (1.0 for a budget of 0)."""
    warning: bool
    """used >= the warning share (80 %) of the limit."""
    exceeded: bool
    """used >= limit: Deep mode is refused."""
    period: str
    """The calendar month (UTC), YYYY-MM."""
    scope: Scope
    user_id: str | None = None


def judge(
    *, used: int, limit: int, scope: Scope, period: str, warn_percent: int, user_id: str | None
) -> BudgetStatus:
    """Where `used` tokens stand against a budget of `limit` (exact integer comparisons)."""
    return BudgetStatus(
        used=used, limit=limit, ratio=used / limit if limit > 0 else 1.0,
        warning=used * 100 >= warn_percent * limit, exceeded=used >= limit,
        period=period, scope=scope, user_id=user_id,
    )  # fmt: skip


def binding(statuses: list[BudgetStatus]) -> BudgetStatus:
    """The budget that binds: a spent one first, else the most used (the store's on a tie)."""
    return max(statuses, key=lambda s: (s.exceeded, s.ratio, s.scope == "store"))


def _subject(scope: Scope, user_id: str | None) -> str:
    if scope == "store":
        return "store"
    return f"user:{user_id}" if user_id is not None else EVERY_USER


async def limits(
    uow: UnitOfWork, *, user_id: str, defaults: BudgetDefaults
) -> tuple[int, int | None]:
    """(the store's monthly limit, the user's or None): a user's own budget, else the one
    for every user, else the default."""
    rows = {
        b.subject: b.monthly_tokens
        for b in await uow.session.scalars(
            select(IntelBudget).where(
                IntelBudget.subject.in_(("store", EVERY_USER, _subject("user", user_id)))
            )
        )
    }
    store = rows.get("store", defaults.store_monthly_tokens)
    user = rows.get(_subject("user", user_id), rows.get(EVERY_USER, defaults.user_monthly_tokens))
    return store, user


async def statuses(
    uow: UnitOfWork, *, user_id: str, now: datetime, defaults: BudgetDefaults | None = None
) -> list[BudgetStatus]:
    """The store's budget status, and the user's when the user has a limit."""
    defaults = defaults or config_of(uow).budget
    start, end = ledger.month_of(now)
    period = ledger.period_of(now)
    store_limit, user_limit = await limits(uow, user_id=user_id, defaults=defaults)
    found = [
        judge(
            used=await ledger.used(uow, start=start, end=end), limit=store_limit,
            scope="store", period=period, warn_percent=defaults.warn_percent, user_id=None,
        )
    ]  # fmt: skip
    if user_limit is not None:
        found.append(
            judge(
                used=await ledger.used(uow, start=start, end=end, user_id=user_id),
                limit=user_limit, scope="user", period=period,
                warn_percent=defaults.warn_percent, user_id=user_id,
            )
        )  # fmt: skip
    return found


async def status(
    uow: UnitOfWork, *, user_id: str, now: datetime, defaults: BudgetDefaults | None = None
) -> BudgetStatus:
    """The binding budget's status for the user this month."""
    return binding(await statuses(uow, user_id=user_id, now=now, defaults=defaults))


async def ensure_deep_allowed(
    uow: UnitOfWork, *, user_id: str, now: datetime, defaults: BudgetDefaults | None = None
) -> None:
    """Refuse Deep mode (429 `intel_budget_exceeded`) once a budget is spent. Quick mode is
    never refused for budget: it does not call this."""
    found = await status(uow, user_id=user_id, now=now, defaults=defaults)
    if found.exceeded:
        whose = "The store" if found.scope == "store" else "You"
        verb = "has" if found.scope == "store" else "have"
        raise DeepModeRefused(
            f"{whose} {verb} used {found.used:,} of {found.limit:,} tokens for {found.period}: "
            "Deep mode is unavailable until next month or a higher budget",
            used=found.used, limit=found.limit, scope=found.scope, period=found.period,
        )  # fmt: skip


def warning_key(found: BudgetStatus) -> str:
    return f"budget_warning:{_subject(found.scope, found.user_id)}:{found.period}"


async def check_warnings(
    uow: UnitOfWork,
    *,
    user_id: str,
    now: datetime,
    defaults: BudgetDefaults | None = None,
    scopes: tuple[Scope, ...] = ("store", "user"),
) -> list[BudgetStatus]:
    """Raise the `budget_warning` alert of every budget at its warning share this month
    that has not had it yet (once per period and budget, acknowledged or not); answers the
    budgets warned now."""
    defaults = defaults or config_of(uow).budget
    warned = []
    for found in await statuses(uow, user_id=user_id, now=now, defaults=defaults):
        key = warning_key(found)
        if found.scope not in scopes or not found.warning:
            continue
        if await alerts.ever_raised(uow, key=key):
            continue
        whose = "The store's" if found.scope == "store" else f"User {found.user_id}'s"
        await alerts.raise_alert(
            uow, kind="budget_warning", severity="high" if found.exceeded else "medium",
            title=f"{whose} token budget for {found.period} is {found.ratio:.0%} used",
            key=key, now=now,
            diagnostics={
                "component": "budget", "scope": found.scope, "user_id": found.user_id,
                "used": found.used, "limit": found.limit, "ratio": round(found.ratio, 4),
                "period": found.period, "warn_percent": defaults.warn_percent,
            },
        )  # fmt: skip
        warned.append(found)
    return warned


async def set_budget(
    uow: UnitOfWork,
    *,
    scope: Scope,
    user_id: str | None,
    monthly_tokens: int | None,
    by: str,
    now: datetime,
) -> IntelBudget | None:
    """Set a monthly budget: the store's, one user's, or every user's (`user_id` None).
    `monthly_tokens` None removes it (back to the default). The store's warning is checked
    at once against the new limit; users' at their next call."""
    if scope == "store" and user_id is not None:
        raise InvalidBudget("The store's budget names no user")
    if monthly_tokens is not None and monthly_tokens < 0:
        raise InvalidBudget("A budget is 0 tokens or more")
    subject = _subject(scope, user_id)
    if monthly_tokens is None:
        if scope == "store":
            raise InvalidBudget("The store's budget can be changed, not removed")
        await uow.session.execute(delete(IntelBudget).where(IntelBudget.subject == subject))
        return None
    tenant = context.current_tenant()
    if tenant is None:
        raise TenantContextMissing()
    row = {
        "id": new_id(), "tenant_id": tenant, "scope": scope, "user_id": user_id,
        "subject": subject, "monthly_tokens": monthly_tokens, "updated_by": by,
        "updated_at": now,
    }  # fmt: skip
    insert = upsert_insert(uow.session)(IntelBudget).values(**row)
    await uow.session.execute(
        insert.on_conflict_do_update(
            index_elements=["tenant_id", "subject"],
            set_={k: insert.excluded[k] for k in ("monthly_tokens", "updated_by", "updated_at")},
        )
    )
    saved = await uow.session.scalar(
        select(IntelBudget)
        .where(IntelBudget.subject == subject)
        .execution_options(populate_existing=True)
    )
    if scope == "store":
        await check_warnings(uow, user_id="", now=now, scopes=("store",))
    elif user_id is not None:
        await check_warnings(uow, user_id=user_id, now=now, scopes=("user",))
    return saved


async def budgets(uow: UnitOfWork) -> list[IntelBudget]:
    """The budgets staff have set (the store's first)."""
    rows = await uow.session.scalars(select(IntelBudget).order_by(IntelBudget.subject))
    return sorted(rows, key=lambda b: b.scope != "store")


async def admit(
    uow: UnitOfWork,
    *,
    mode: Literal["quick", "deep"],
    user_id: str,
    now: datetime,
    defaults: BudgetDefaults | None = None,
) -> BudgetStatus:
    """Whether a question of `mode` may run: Quick always (its status is answered for the
    caller to show), Deep only while no budget binding the user is spent."""
    if mode == "deep":
        await ensure_deep_allowed(uow, user_id=user_id, now=now, defaults=defaults)
    return await status(uow, user_id=user_id, now=now, defaults=defaults)
