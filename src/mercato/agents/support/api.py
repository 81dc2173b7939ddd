"""The support agent's routes: parse → service → schema. Tickets need `support:use` (the
service scopes them: a shopper's own, by account or guest session; every ticket for staff,
who hold `support:manage`); changing a ticket and writing the FAQ need `support:manage`;
reading the FAQ is public. Ticket answers carry `ETag: "<version>"`; `PATCH` honours
`If-Match`."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Query, Response

from mercato.agents.support import service
from mercato.agents.support.access import MANAGE, USE, is_staff
from mercato.agents.support.schemas import (
    ArticleChange,
    ArticleIn,
    ArticleOut,
    ArticlesPageOut,
    CategoryName,
    MessageIn,
    MessageOut,
    MessagesPageOut,
    PriorityName,
    StatusName,
    TicketChange,
    TicketDetailOut,
    TicketIn,
    TicketOut,
    TicketsPageOut,
    article_out,
    detail_out,
    match_out,
    message_out,
    ticket_out,
)
from mercato.agents.support.service import (
    ArticleNotFound,
    ArticleSpec,
    InvalidArticle,
    InvalidTicket,
    StaffOnly,
    TicketChanges,
    TicketFilters,
    TicketNotFound,
    TicketTransitionInvalid,
    TicketVersionConflict,
)
from mercato.kernel.auth import Principal, public, require
from mercato.kernel.openapi import problems
from mercato.kernel.paging import InvalidCursor
from mercato.kernel.routes import KernelDep

router = APIRouter(prefix="/support", tags=["support"])

User = Annotated[Principal, Depends(require(USE))]
Staff = Annotated[Principal, Depends(require(MANAGE))]
Anyone = Annotated[Principal, Depends(public())]
IfMatch = Annotated[str | None, Header(alias="If-Match")]
TicketRef = Annotated[
    str, Path(max_length=64, description="The ticket's id or its number (`TCK-000042`)")
]
ArticleId = Annotated[str, Path(max_length=64)]
Cursor = Annotated[str | None, Query(max_length=300)]
_VERSION_TAG = re.compile(r"[0-9]{1,18}")


def _version(value: str | None) -> int | None:
    """The version an `If-Match` names (`"3"`, `W/"3"`); None when absent or `*`; -1 (never
    current) for a tag this API did not issue."""
    if value is None or value.strip() == "*":
        return None
    tag = value.split(",")[0].strip().removeprefix("W/").strip('"')
    return int(tag) if _VERSION_TAG.fullmatch(tag) else -1


@router.get("/tickets", response_model=TicketsPageOut, responses=problems(InvalidCursor))
async def list_tickets(
    kernel: KernelDep,
    principal: User,
    status: StatusName | None = None,
    priority: PriorityName | None = None,
    category: CategoryName | None = None,
    assignee: Annotated[
        str | None, Query(max_length=64, description="A user id, `me`, or `none`")
    ] = None,
    breached: Annotated[bool | None, Query(description="Late on its SLA now")] = None,
    sort: Annotated[
        str, Query(pattern="^(newest|due)$", description="`newest` or `due` (soonest first)")
    ] = "newest",
    cursor: Cursor = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> TicketsPageOut:
    """Tickets: a shopper's own (signed in, or a guest by `X-Session-Token`), or every ticket
    of the store for staff, newest first or the soonest due first."""
    filters = TicketFilters(
        status=status, priority=priority, category=category, assignee=assignee,
        breached=breached, sort=sort,
    )  # fmt: skip
    async with kernel.uow(writes=False) as uow:
        page = await service.list_tickets(
            uow, principal=principal, filters=filters, cursor=cursor, limit=limit
        )
    return TicketsPageOut(items=[ticket_out(t) for t in page.items], next_cursor=page.next_cursor)


@router.post(
    "/tickets", status_code=201, response_model=TicketDetailOut, responses=problems(InvalidTicket)
)
async def open_ticket(
    body: TicketIn, kernel: KernelDep, principal: User, response: Response
) -> TicketDetailOut:
    """A shopper asks for help: a ticket with its first message (SLA due times from its
    priority, normal)."""
    async with kernel.uow() as uow:
        view = await service.open_ticket(
            uow,
            principal=principal,
            subject=body.subject,
            body=body.body,
            category=body.category,
            email=body.email,
            channel="web",
            now=kernel.clock.now(),
        )
        messages = await service.list_messages(uow, ticket_id=view.id, principal=principal)
        await uow.commit()
    response.headers["ETag"] = f'"{view.version}"'
    return detail_out(view, messages.items)


@router.get(
    "/tickets/{ticket_ref}", response_model=TicketDetailOut, responses=problems(TicketNotFound)
)
async def get_ticket(
    ticket_ref: TicketRef, kernel: KernelDep, principal: User, response: Response
) -> TicketDetailOut:
    """The ticket, its transcript (handed off from the assistant) and messages; another
    shopper's is a 404."""
    async with kernel.uow(writes=False) as uow:
        ticket_id = await service.ticket_id_of(uow, reference=ticket_ref)
        view = await service.get_ticket(uow, ticket_id=ticket_id, principal=principal)
        messages = await service.list_messages(
            uow, ticket_id=ticket_id, principal=principal, limit=200
        )
    response.headers["ETag"] = f'"{view.version}"'
    return detail_out(view, messages.items)


@router.patch(
    "/tickets/{ticket_ref}",
    response_model=TicketOut,
    responses=problems(
        TicketNotFound, InvalidTicket, TicketTransitionInvalid, TicketVersionConflict
    ),
)
async def change_ticket(
    ticket_ref: TicketRef,
    body: TicketChange,
    kernel: KernelDep,
    principal: Staff,
    response: Response,
    if_match: IfMatch = None,
) -> TicketOut:
    """Staff move a ticket along: status, priority (its SLA counted again), category,
    assignee (`null` unassigns)."""
    given = body.model_fields_set
    changes = TicketChanges(
        status=body.status,
        priority=body.priority,
        category=body.category,
        assignee_id=body.assignee_id if "assignee_id" in given else service.UNSET,
    )
    async with kernel.uow() as uow:
        ticket_id = await service.ticket_id_of(uow, reference=ticket_ref)
        view = await service.change_ticket(
            uow,
            ticket_id=ticket_id,
            principal=principal,
            changes=changes,
            expected_version=_version(if_match),
            now=kernel.clock.now(),
        )
        await uow.commit()
    response.headers["ETag"] = f'"{view.version}"'
    return ticket_out(view)


@router.get(
    "/tickets/{ticket_ref}/messages",
    response_model=MessagesPageOut,
    responses=problems(TicketNotFound, InvalidCursor),
)
async def list_messages(
    ticket_ref: TicketRef,
    kernel: KernelDep,
    principal: User,
    cursor: Cursor = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 100,
) -> MessagesPageOut:
    """The ticket's messages, oldest first; internal notes for staff only."""
    async with kernel.uow(writes=False) as uow:
        ticket_id = await service.ticket_id_of(uow, reference=ticket_ref)
        page = await service.list_messages(
            uow, ticket_id=ticket_id, principal=principal, cursor=cursor, limit=limit
        )
    return MessagesPageOut(items=[message_out(m) for m in page.items], next_cursor=page.next_cursor)


@router.post(
    "/tickets/{ticket_ref}/messages",
    status_code=201,
    response_model=MessageOut,
    responses=problems(TicketNotFound, InvalidTicket, StaffOnly),
)
async def add_message(
    ticket_ref: TicketRef, body: MessageIn, kernel: KernelDep, principal: User
) -> MessageOut:
    """A message on the ticket: the shopper's (a solved or waiting ticket opens again), or
    staff's (a reply waits on the customer; `internal` notes are staff's only, 403 else)."""
    async with kernel.uow() as uow:
        ticket_id = await service.ticket_id_of(uow, reference=ticket_ref)
        view = await service.add_message(
            uow,
            ticket_id=ticket_id,
            principal=principal,
            body=body.body,
            internal=body.internal,
            now=kernel.clock.now(),
        )
        await uow.commit()
    return message_out(view)


@router.get("/faq", response_model=ArticlesPageOut)
async def list_faq(
    kernel: KernelDep,
    principal: Anyone,
    topic: Annotated[str | None, Query(max_length=32)] = None,
    q: Annotated[
        str | None, Query(max_length=500, description="A question: the best articles, scored")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=20, description="With `q`: how many")] = 5,
    drafts: Annotated[bool, Query(description="Staff: the unpublished articles too")] = False,
) -> ArticlesPageOut:
    """The store's published FAQ, in its order (of one `topic`); with `q`, the articles that
    best answer the question, best first, each with its `score`."""
    async with kernel.uow(writes=False) as uow:
        if q is not None and q.strip():
            matches = await service.find_faq(uow, text=q, limit=limit)
            published = {a.id: a for a in await service.list_faq(uow)}
            items = [
                match_out(m, published[m.article_id])
                for m in matches
                if m.article_id in published and (topic is None or m.topic == topic)
            ]
            return ArticlesPageOut(items=items, next_cursor=None)
        articles = await service.list_articles(
            uow, topic=topic, drafts=drafts and is_staff(principal)
        )
    return ArticlesPageOut(items=[article_out(a) for a in articles], next_cursor=None)


@router.post("/faq", status_code=201, response_model=ArticleOut, responses=problems(InvalidArticle))
async def create_article(body: ArticleIn, kernel: KernelDep, _: Staff) -> ArticleOut:
    """A new FAQ article (last of the store's order unless a `position` is given)."""
    async with kernel.uow() as uow:
        view = await service.create_article(
            uow,
            spec=ArticleSpec(
                question=body.question,
                answer=body.answer,
                topic=body.topic,
                keywords=body.keywords,
                published=body.published,
                position=body.position,
            ),
            now=kernel.clock.now(),
        )
        await uow.commit()
    return article_out(view)


@router.patch(
    "/faq/{article_id}",
    response_model=ArticleOut,
    responses=problems(ArticleNotFound, InvalidArticle),
)
async def update_article(
    article_id: ArticleId, body: ArticleChange, kernel: KernelDep, _: Staff
) -> ArticleOut:
    """Change an article: only the fields given (matching uses it at once, in every
    process)."""
    async with kernel.uow() as uow:
        view = await service.update_article(
            uow,
            article_id=article_id,
            spec=ArticleSpec(**body.model_dump(exclude_unset=True, exclude_none=True)),
            now=kernel.clock.now(),
        )
        await uow.commit()
    return article_out(view)


@router.delete("/faq/{article_id}", status_code=204, responses=problems(ArticleNotFound))
async def delete_article(article_id: ArticleId, kernel: KernelDep, _: Staff) -> None:
    async with kernel.uow() as uow:
        await service.delete_article(uow, article_id=article_id)
        await uow.commit()
