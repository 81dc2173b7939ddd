"""Who may see and do what with tickets and the FAQ.

- `support:use` (guests, customers, merchants; staff too, so the shared routes admit them):
  open tickets, read and write the messages of one's own. A customer's tickets are their
  account's; a guest's are their session's, and become the account's when the guest signs
  in (`session.promoted`).
- `support:manage` (support staff, integrations' system keys, admins): every ticket of the
  store, internal notes, status, priority, assignee and category; the FAQ's articles.

Another shopper's ticket is a 404, exactly like a missing one.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, false

from mercato.agents.support.models import SupportTicket
from mercato.kernel.auth import Principal

USE = "support:use"
MANAGE = "support:manage"


def is_staff(principal: Principal) -> bool:
    return principal.can(MANAGE)


def owns(principal: Principal, ticket: SupportTicket) -> bool:
    if principal.kind == "user":
        return ticket.requester_user_id == principal.id
    if principal.kind == "guest" and principal.session_id:
        return (
            ticket.requester_user_id is None and ticket.requester_session_id == principal.session_id
        )
    return False


def may_see(principal: Principal, ticket: SupportTicket) -> bool:
    return is_staff(principal) or owns(principal, ticket)


def own_tickets(principal: Principal) -> ColumnElement[bool]:
    """The tickets a shopper may list: their account's, or their guest session's."""
    if principal.kind == "user":
        return SupportTicket.requester_user_id == principal.id
    if principal.kind == "guest" and principal.session_id:
        return and_(
            SupportTicket.requester_session_id == principal.session_id,
            SupportTicket.requester_user_id.is_(None),
        )
    return false()
