"""The support skill: questions answered from the store's FAQ (returns, shipping, payments,
accounts…), complaints and feedback heard, and the hand-off to a person: a support ticket
with the conversation's transcript, whose staff answers come back into the chat."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from mercato.agents.assistant import conversations
from mercato.agents.assistant.nlu.parser import Understanding
from mercato.agents.assistant.reply import Reply, order_card
from mercato.agents.assistant.skills import orders as order_skill
from mercato.agents.assistant.turn import Turn
from mercato.agents.notifications import service as notifications
from mercato.agents.support import service as support
from mercato.kernel.errors import Problem

ANSWERED = 0.45
"""A FAQ article scoring this much answers the question; below it, the assistant offers the
closest articles and a person instead of pretending."""
TRANSCRIPT = 30
TOPICS = {
    "return_refund": "returns",
    "payment_issue": "payments",
    "account_help": "account",
    "newsletter": "account",
    "invoice": "orders",
}


def _installed(turn: Turn) -> bool:
    return "support" in turn.kernel.registry.agents


PARTICULARS = {"order_ref", "email", "discount_code", "street", "postal_code"}
"""What makes a question the shopper's own and tells the FAQ nothing: an order's number, an
email, a code, an address."""


def question_of(u: Understanding) -> str:
    """The message without its particulars (what the FAQ is asked)."""
    spans = sorted((e.start, e.end) for e in u.entities if e.type in PARTICULARS)
    text, last = [], 0
    for start, end in spans:
        text.append(u.text[last:start])
        last = end
    text.append(u.text[last:])
    return " ".join("".join(text).split()) or u.text


async def answer_from_faq(turn: Turn, u: Understanding, *, lead: str = "") -> Reply:
    if not _installed(turn):
        return Reply(
            f"{lead}I can't look that up here; our team can help.".strip(),
            quick_replies=["Talk to a person"],
        )
    async with turn.read() as uow:
        matches = await support.find_faq(uow, text=question_of(u), limit=3)
    if matches and matches[0].score >= ANSWERED:
        best = matches[0]
        return Reply(
            f"{lead}{best.answer}".strip(),
            cards=[
                {
                    "type": "faq",
                    "article_id": best.article_id,
                    "question": best.question,
                    "answer": best.answer,
                    "topic": best.topic,
                    "score": round(best.score, 3),
                }
            ],
            quick_replies=[m.question for m in matches[1:3]] + ["Talk to a person"],
        )
    if matches:
        return Reply(
            f"{lead}I'm not sure I have the exact answer. Is it one of these?".strip(),
            cards=[
                {
                    "type": "faq",
                    "article_id": m.article_id,
                    "question": m.question,
                    "answer": m.answer,
                    "topic": m.topic,
                    "score": round(m.score, 3),
                }
                for m in matches
            ],
            quick_replies=[m.question for m in matches] + ["Talk to a person"],
        )
    return Reply(
        f"{lead}I don't have an answer to that one; a person from our team can help.".strip(),
        quick_replies=["Talk to a person"],
    )


async def faq(turn: Turn, u: Understanding) -> Reply:
    return await answer_from_faq(turn, u)


async def return_refund(turn: Turn, u: Understanding) -> Reply:
    """The returns policy from the FAQ, with the order's own return window when one is named."""
    lead = ""
    cards: list[dict[str, Any]] = []
    if u.first("order_ref") is not None or turn.state.get("order_id"):
        order, _ = await order_skill.resolve(turn, u, "return_refund", {})
        if order is not None:
            cards.append(order_card(order))
            days = turn.kernel.settings.return_window_days  # BR009, as the returns agent
            if order.status == "delivered" and order.delivered_at:
                last_day = order.delivered_at + timedelta(days=days)
                if turn.now <= last_day:
                    lead = f"Order {order.number} can be returned until {last_day:%d %B %Y}. "
                else:
                    lead = (
                        f"Order {order.number} was delivered more than {days} days ago, "
                        "so it's past the return window; a person can look at exceptions. "
                    )
            elif order.status in order_skill.OPEN_STATUSES:
                lead = (
                    f"Order {order.number} hasn't shipped yet, "
                    "so you can simply cancel it instead of returning it. "
                )
    reply = await answer_from_faq(turn, u, lead=lead)
    reply.cards = cards + reply.cards
    return reply


async def hand_off(
    turn: Turn,
    u: Understanding,
    *,
    priority: str = "normal",
    subject: str | None = None,
    lead: str = "",
) -> Reply:
    """A ticket with the transcript; the shopper stays in the chat for the answer."""
    if not _installed(turn):
        return Reply(
            f"{lead}Our team can't be reached from the chat here; please email the store.".strip()
        )
    existing = turn.state.get("ticket")
    if existing:
        return Reply(
            (
                f"{lead}Your request {existing['number']} is with our team already; "
                "their answer will appear here. Anything to add? Just write it."
            ).strip()
        )
    if turn.principal.kind not in {"user", "guest"}:
        return Reply("Sign in or start a guest session, and I can pass this to our team.")
    async with turn.read() as uow:
        said = await conversations.history(
            uow, conversation_id=turn.conversation_id, limit=TRANSCRIPT
        )
    transcript = [{"role": m.role, "text": m.text, "at": m.created_at.isoformat()} for m in said]
    transcript.append({"role": "shopper", "text": u.text, "at": turn.now.isoformat()})
    email = u.first("email")
    try:
        async with turn.write() as uow:
            ticket = await support.open_ticket(
                uow,
                principal=turn.principal,
                subject=(subject or u.text)[:200],
                body=u.text[:4000],
                priority=priority,
                channel="chat",
                email=email.value if email else None,
                conversation_id=turn.conversation_id,
                transcript=transcript,
                now=turn.now,
            )
    except Problem as problem:
        return Reply(
            f"I couldn't reach our team just now ({problem.detail or problem.title}). "
            "Please try again in a moment."
        )
    turn.state["ticket"] = {"id": ticket.id, "number": ticket.number}
    due = ticket.first_response_due
    return Reply(
        (
            f"{lead}I've passed this to our team as request {ticket.number}, "
            "with our conversation so far. Someone will answer here, "
            f"usually by {due:%H:%M} UTC"
            f"{'' if due.date() == turn.now.date() else f' on {due:%d %B}'}."
        ).strip(),
        actions=[
            {"type": "support.ticket_opened", "ticket_id": ticket.id, "number": ticket.number}
        ],
        cards=[
            {
                "type": "ticket",
                "ticket_id": ticket.id,
                "number": ticket.number,
                "status": ticket.status,
                "priority": ticket.priority,
                "first_response_due": due.isoformat(),
            }
        ],
    )


async def human_handoff(turn: Turn, u: Understanding) -> Reply:
    return await hand_off(turn, u, subject="Shopper asked for a person")


async def complaint(turn: Turn, u: Understanding) -> Reply:
    """Sorry first; an order named is looked at, and the complaint goes to a person at high
    priority; without one, the shopper is asked what went wrong (abuse alone opens nothing)."""
    complaints = int(turn.state.get("complaints", 0)) + 1
    turn.state["complaints"] = complaints
    lead = "I'm sorry about this. "
    cards: list[dict[str, Any]] = []
    if u.first("order_ref") is not None:
        order, _ = await order_skill.resolve(turn, u, "complaint", {})
        if order is not None:
            lead += order_skill.describe(order) + " "
            cards.append(order_card(order))
    if cards:
        reply = await hand_off(
            turn, u, priority="high", subject=f"Complaint: {u.text[:150]}", lead=lead
        )
        reply.cards = cards + reply.cards
        return reply
    return Reply(
        f"{lead}Tell me what went wrong (an order number helps), "
        "and I'll sort it out or pass it to a person right away.",
        cards=cards,
        quick_replies=["Talk to a person", "Where is my order?", "Return an item"],
    )


async def feedback(turn: Turn, u: Understanding) -> Reply:
    """Thanks, and the feedback kept for the team (a low-priority request)."""
    if _installed(turn) and turn.principal.kind in {"user", "guest"}:
        async with turn.write() as uow:
            await support.open_ticket(
                uow,
                principal=turn.principal,
                subject=f"Feedback: {u.text[:150]}",
                body=u.text[:4000],
                category="other",
                priority="low",
                channel="chat",
                conversation_id=turn.conversation_id,
                now=turn.now,
            )
    return Reply(
        "Thank you, that's really helpful. I've passed it on to the team.",
        quick_replies=["Keep shopping"],
    )


async def newsletter(turn: Turn, u: Understanding) -> Reply:
    """The shopper's wish about emails, remembered (and shown in their memory)."""
    lowered = u.text.lower()
    leaving = any(
        w in lowered
        for w in (
            "unsub",
            "stop",
            "remove me",
            "take me off",
            "opt out",
            "opt-out",
            "no more",
            "fewer",
            "less",
            "too many",
        )
    )
    turn.learned.append(("preference", "newsletter", "unsubscribed" if leaving else "subscribed"))
    if turn.principal.kind == "user":  # a guest's emails are stopped by their own links
        async with turn.write() as uow:
            await notifications.set_marketing(
                uow, user_id=turn.principal.id, enabled=not leaving, now=turn.now
            )
    if leaving:
        return Reply(
            "Done: no more marketing emails to you. "
            "Order and delivery emails still come, as they're about your orders."
        )
    return Reply(
        "You're on the list: new arrivals and offers by email. "
        "You can stop them any time, here or from any email."
    )


async def account_help(turn: Turn, u: Understanding) -> Reply:
    reply = await answer_from_faq(turn, u)
    reply.quick_replies = ["Reset my password", "Talk to a person"]
    reply.cards.append(
        {"type": "link", "label": "Sign in or reset your password", "href": "/shop/sign-in"}
    )
    return reply


async def invoice(turn: Turn, u: Understanding) -> Reply:
    order, asking = await order_skill.resolve(turn, u, "invoice", {})
    if order is None:
        return asking or Reply("Which order is it for?")
    return Reply(
        f"The receipt for order {order.number} is on its page: it lists every line, the tax "
        f"and the total ({order.total} {order.currency}), and prints as an invoice.",
        cards=[
            order_card(order),
            {
                "type": "link",
                "label": f"Receipt for {order.number}",
                "href": f"/account/orders/{order.id}",
            },
        ],
    )


async def payment_issue(turn: Turn, u: Understanding) -> Reply:
    reply = await answer_from_faq(turn, u, lead="Sorry about the trouble with the payment. ")
    if "Talk to a person" not in reply.quick_replies:
        reply.quick_replies.append("Talk to a person")
    return reply
