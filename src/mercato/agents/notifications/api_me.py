"""A shopper's own notifications: the in-app inbox, preferences, contact details, devices."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from mercato.agents.notifications import inbox, preferences
from mercato.agents.notifications.problems import (
    DeviceNotFound,
    InvalidPreference,
    InvalidProfile,
    MessageNotFound,
)
from mercato.agents.notifications.schemas import (
    ChoiceOut,
    ChoicesIn,
    DeviceIn,
    DeviceOut,
    InboxItemOut,
    InboxPageOut,
    PreferencesOut,
    ProfileIn,
    ProfileOut,
)
from mercato.kernel.auth import Principal, require
from mercato.kernel.openapi import problems
from mercato.kernel.paging import InvalidCursor
from mercato.kernel.routes import KernelDep

router = APIRouter(prefix="/me/notifications", tags=["notifications"])
Reader = Annotated[Principal, Depends(require("me:read"))]
Writer = Annotated[Principal, Depends(require("me:write"))]


def item_out(row: Any) -> InboxItemOut:
    return InboxItemOut(
        id=row.id,
        kind=row.kind,
        title=row.subject,
        body=row.body_text,
        data=row.data or {},
        created_at=row.created_at,
        read_at=row.read_at,
    )


def preferences_out(view: preferences.PreferencesView) -> PreferencesOut:
    return PreferencesOut(
        choices=[
            ChoiceOut(
                kind=c.kind,
                channel=c.channel,
                enabled=c.enabled,
                locked=c.locked,
            )
            for c in view.choices
        ],
        profile=ProfileOut(**view.profile.__dict__),
        devices=[
            DeviceOut(id=d.id, platform=d.platform, label=d.label, created_at=d.created_at)
            for d in view.devices
        ],
    )


@router.get("", response_model=InboxPageOut, responses=problems(InvalidCursor))
async def list_inbox(
    kernel: KernelDep,
    who: Reader,
    unread: bool = False,
    cursor: Annotated[str | None, Query(max_length=300)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> InboxPageOut:
    """Your in-app notifications, newest first, and how many are unread."""
    async with kernel.uow(writes=False) as uow:
        page = await inbox.inbox(
            uow, user_id=who.id, unread_only=unread, cursor=cursor, limit=limit
        )
    return InboxPageOut(
        items=[item_out(r) for r in page.items], next_cursor=page.next_cursor, unread=page.unread
    )


@router.post("/{message_id}/read", response_model=InboxItemOut, responses=problems(MessageNotFound))
async def read_one(message_id: str, kernel: KernelDep, who: Writer) -> InboxItemOut:
    """Mark one notification read (again: no change)."""
    async with kernel.uow() as uow:
        row = await inbox.mark_read(
            uow, user_id=who.id, message_id=message_id, now=kernel.clock.now()
        )
        out = item_out(row)
        await uow.commit()
    return out


@router.post("/read-all", response_model=dict[str, int])
async def read_all(kernel: KernelDep, who: Writer) -> dict[str, int]:
    """Mark every notification read; answers how many were unread."""
    async with kernel.uow() as uow:
        count = await inbox.mark_all_read(uow, user_id=who.id, now=kernel.clock.now())
        await uow.commit()
    return {"marked": count}


@router.get("/preferences", response_model=PreferencesOut)
async def get_preferences(kernel: KernelDep, who: Reader) -> PreferencesOut:
    """What reaches you on which channel, your phone, time zone and quiet hours, your
    devices. Transactional email is `locked`: it always goes."""
    async with kernel.uow(writes=False) as uow:
        view = await preferences.preferences(
            uow, kernel.settings, user_id=who.id, staff=who.can("notifications:read")
        )
    return preferences_out(view)


@router.put(
    "/preferences",
    response_model=PreferencesOut,
    responses=problems(InvalidPreference, "BR022"),
)
async def put_preferences(body: ChoicesIn, kernel: KernelDep, who: Writer) -> PreferencesOut:
    """Switch kinds on or off per channel (`kind: "*"` for every kind); all or nothing."""
    async with kernel.uow() as uow:
        await preferences.set_choices(
            uow,
            user_id=who.id,
            now=kernel.clock.now(),
            choices=[(c.kind, c.channel, c.enabled) for c in body.choices],
        )
        view = await preferences.preferences(
            uow, kernel.settings, user_id=who.id, staff=who.can("notifications:read")
        )
        await uow.commit()
    return preferences_out(view)


@router.patch("/profile", response_model=ProfileOut, responses=problems(InvalidProfile))
async def patch_profile(body: ProfileIn, kernel: KernelDep, who: Writer) -> ProfileOut:
    """Your phone (E.164, for SMS), time zone, quiet hours (SMS and push wait until they
    end) and language."""
    given = body.model_dump(exclude_unset=True)
    change = preferences.ProfileChange(
        **{k: v for k, v in given.items() if v is not None},
        unset=frozenset(k for k, v in given.items() if v is None),
    )
    async with kernel.uow() as uow:
        view = await preferences.change_profile(
            uow, kernel.settings, user_id=who.id, change=change, now=kernel.clock.now()
        )
        await uow.commit()
    return ProfileOut(**view.__dict__)


@router.post("/devices", status_code=201, response_model=DeviceOut)
async def add_device(body: DeviceIn, kernel: KernelDep, who: Writer) -> DeviceOut:
    """Register your app's push token (FCM's registration token)."""
    async with kernel.uow() as uow:
        row = await preferences.register_device(
            uow,
            user_id=who.id,
            token=body.token,
            platform=body.platform,
            label=body.label,
            now=kernel.clock.now(),
        )
        out = DeviceOut(
            id=row.id, platform=row.platform, label=row.label, created_at=row.created_at
        )
        await uow.commit()
    return out


@router.delete("/devices/{device_id}", status_code=204, responses=problems(DeviceNotFound))
async def delete_device(device_id: str, kernel: KernelDep, who: Writer) -> None:
    """Stop pushing to a device (signed out, uninstalled)."""
    async with kernel.uow() as uow:
        await preferences.remove_device(uow, user_id=who.id, device_id=device_id)
        await uow.commit()
