"""The dialogue: what a message means where the conversation stands, and which skill answers.

In order: a pending confirmation takes a yes (do it) or a no (drop it), and anything else
drops it unasked-for; a pending question (a slot: which size, which order, the address)
takes the answer that fills it, a "never mind" that cancels the flow, or another request,
which is answered before the question is asked again (a context switch and back); a
correction ("no, I meant L") changes the last cart line; preferences stated ("I'm a size M")
are remembered. Then the intent's skill answers. An unsure classification never acts."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from mercato.agents.assistant.memory import stated
from mercato.agents.assistant.nlu.found import Entity
from mercato.agents.assistant.nlu.intents import ACTING, OUT_OF_SCOPE
from mercato.agents.assistant.nlu.parser import Understanding
from mercato.agents.assistant.reply import Reply
from mercato.agents.assistant.skills import (
    cart,
    cart_lines,
    checkout,
    orders,
    products,
    support,
    talk,
)
from mercato.agents.assistant.turn import Turn
from mercato.kernel import rules

Skill = Callable[[Turn, Understanding], Awaitable[Reply]]
Resumable = Callable[[Turn, Understanding, dict[str, Any]], Awaitable[Reply]]

SKILLS: dict[str, Skill] = {
    "greeting": talk.greeting,
    "goodbye": talk.goodbye,
    "thanks": talk.thanks,
    "out_of_scope": talk.out_of_scope,
    "search_products": products.search_products,
    "product_details": products.product_details,
    "check_availability": products.check_availability,
    "add_to_cart": cart.add_to_cart,
    "update_cart_item": cart_lines.update_cart_item,
    "remove_from_cart": cart_lines.remove_from_cart,
    "view_cart": cart.view_cart,
    "apply_discount": cart.apply_discount,
    "checkout": checkout.checkout,
    "order_status": orders.order_status,
    "cancel_order": orders.cancel_order,
    "change_order": orders.change_order,
    "change_shipping_address": orders.change_shipping_address,
    "return_refund": support.return_refund,
    "invoice": support.invoice,
    "payment_issue": support.payment_issue,
    "faq": support.faq,
    "account_help": support.account_help,
    "newsletter": support.newsletter,
    "feedback": support.feedback,
    "complaint": support.complaint,
    "human_handoff": support.human_handoff,
}
RESUMABLE: dict[str, Resumable] = {
    "add_to_cart": cart.add_to_cart,
    "apply_discount": cart.apply_discount,
    "checkout": checkout.checkout,
    "order_status": orders.order_status,
    "cancel_order": orders.cancel_order,
    "change_order": orders.change_order,
    "change_shipping_address": orders.change_shipping_address,
}
"""Skills that take the arguments gathered so far when a question they asked is answered."""
CONFIRMED: dict[str, Callable[[Turn, dict[str, Any]], Awaitable[Reply]]] = {
    "checkout": checkout.do_checkout,
    "cancel_order": orders.do_cancel,
    "change_shipping_address": orders.do_change_address,
    "change_order": orders.do_change_order,
}
SURE = 0.5
"""An acting intent needs this much confidence; below it the assistant asks instead."""
SWITCH = 0.6
"""A message that does not answer a pending question is another request at this confidence."""

_YES = {"y", "ya", "yes", "yeah", "yea", "yep", "yup", "sure", "ok", "okay", "k", "confirm",
        "confirmed", "absolutely", "correct", "right", "perfect", "go", "do", "place",
        "definitely"}  # fmt: skip
_NO = {
    "n",
    "no",
    "nope",
    "nah",
    "cancel",
    "stop",
    "nvm",
    "never",
    "dont",
    "don't",
    "not",
    "forget",
    "keep",
    "leave",
}
_AGREEING = _YES | {
    "please", "pls", "thanks", "thank", "you", "it", "ahead", "the", "order", "change", "that's",
    "thats", "of", "course", "sounds", "good", "for", "now", "cancel", "do", "go", "that",
}  # fmt: skip
_DECLINING = _NO | {
    "thanks",
    "thank",
    "you",
    "it",
    "that",
    "yet",
    "now",
    "mind",
    "keep",
    "leave",
    "don't",
    "do",
    "please",
    "pls",
    "not",
}
_CORRECTION = re.compile(
    r"^\s*(no[,!.]?\s|actually|sorry[,]?\s|i meant|wait[,]?\s|oops)", re.IGNORECASE
)
_QUESTIONS = {
    "product": "Which product?",
    "option": "Which one would you like?",
    "order": "Which order?",
    "code": "What's the code?",
    "email": "Which email should I use?",
    "address": "What's the address?",
}


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


def affirms(text: str) -> bool:
    """A plain yes ("yes", "ok, go ahead", "yes, cancel it"), and nothing more in it."""
    words = _words(text)
    return (
        bool(words) and words[0] in _YES and all(w in _AGREEING for w in words) and len(words) <= 8
    )


def denies(text: str) -> bool:
    """A plain no ("no", "not yet", "never mind", "no, keep it")."""
    words = _words(text)
    return (
        bool(words) and words[0] in _NO and all(w in _DECLINING for w in words) and len(words) <= 8
    )


async def respond(turn: Turn, u: Understanding) -> tuple[Reply, str]:
    """The reply, and the intent it answered (a yes to a confirmation answers its intent)."""
    if u.steering:  # never acted on: not even as a yes to what waits for one
        turn.settle()
        turn.unpark()
        return await talk.out_of_scope(turn, u), OUT_OF_SCOPE
    for key, value in stated(u.text):
        turn.learned.append(("preference", key, value))
    pending = turn.pending
    if pending is not None and pending["kind"] == "confirm":
        return await _confirmation(turn, u, pending)
    if pending is not None and pending["kind"] == "slot":
        answered = await _slot(turn, u, pending)
        if answered is not None:
            return answered
    if (
        pending is None
        and turn.state.get("last_line")
        and _CORRECTION.match(u.text)
        and (u.first("size") or u.first("color") or u.first("quantity"))
    ):
        return await cart_lines.update_cart_item(turn, u), "update_cart_item"
    reply, intent = await _route(turn, u)
    return await _back_to_parked(turn, reply), intent


async def _route(turn: Turn, u: Understanding) -> tuple[Reply, str]:
    intent = u.intent
    if turn.learned and (intent in {OUT_OF_SCOPE, "feedback", "faq"} or u.confidence < SURE):
        return _noted(turn), "preference"
    if intent in ACTING and u.confidence < SURE:
        return await talk.unsure(turn, u), intent
    reply = await SKILLS[intent](turn, u)
    if turn.learned and intent != "newsletter":
        reply.then(f"(Noted: {_learned(turn)}.)")
    return reply, intent


def _learned(turn: Turn) -> str:
    words = {
        "size": "you're a size {}",
        "exclude": "no {}",
        "color": "you like {}",
        "max_price": "a budget of {}",
    }
    return ", ".join(words.get(k, k + " {}").format(v) for _, k, v in turn.learned)


def _noted(turn: Turn) -> Reply:
    return Reply(
        f"Noted: {_learned(turn)}. I'll keep it in mind when I suggest things.",
        quick_replies=["Show me something I'd like"],
    )


async def _confirmation(turn: Turn, u: Understanding, pending: dict[str, Any]) -> tuple[Reply, str]:
    intent = pending["intent"]
    if affirms(u.text):
        turn.settle()
        await rules.enforce(
            "BR021", asked=pending["kind"] == "confirm", plain_yes=True, steering=u.steering
        )
        return await CONFIRMED[intent](turn, pending["args"]), intent
    turn.settle()
    if denies(u.text):
        return Reply("OK, I haven't done it. Anything else?"), intent
    reply, answered = await _route(turn, u)  # another request: the confirmation lapses
    return reply.then("(I didn't go ahead with the earlier request.)"), answered


async def _slot(turn: Turn, u: Understanding, pending: dict[str, Any]) -> tuple[Reply, str] | None:
    intent, slot, args = pending["intent"], pending["slot"], dict(pending.get("args") or {})
    if denies(u.text) and not _fills(u, slot, pending):
        turn.settle()
        turn.unpark()
        return Reply("OK, I've stopped there. What else can I do?"), intent
    filled = _fill(u, slot, pending, args)
    if filled is None:
        if u.intent != intent and u.confidence >= SWITCH and u.intent != OUT_OF_SCOPE:
            turn.park()
            return None
        return Reply(
            f"Sorry, I didn't catch that. {_QUESTIONS.get(slot, '')}".strip(),
            quick_replies=pending.get("options") or [],
        ), intent
    u, args = filled
    turn.settle()
    if intent in RESUMABLE:
        return await RESUMABLE[intent](turn, u, args), intent
    return await SKILLS[intent](turn, u), intent


def _fills(u: Understanding, slot: str, pending: dict[str, Any]) -> bool:
    return _fill(u, slot, pending, dict(pending.get("args") or {})) is not None


def _fill(
    u: Understanding, slot: str, pending: dict[str, Any], args: dict[str, Any]
) -> tuple[Understanding, dict[str, Any]] | None:
    text = u.text.strip()
    if slot == "option":
        options = [str(o) for o in pending.get("options") or []]
        chosen = next((o for o in options if o.lower() == text.lower().rstrip(".! ")), None)
        if chosen is None:
            chosen = next(
                (o for o in options if re.search(rf"\b{re.escape(o.lower())}\b", text.lower())),
                None,
            )
        if chosen is None:
            size, color = u.first("size"), u.first("color")
            either = size or color
            chosen = either.value if either else None
        if chosen is None:
            return None
        key = "color" if str(args.get("option", "")).lower() in {"colour", "color"} else "size"
        args[key] = chosen
        return replace(u, entities=[e for e in u.entities if e.type not in {"size", "color"}]), args
    if slot == "product":
        if u.first("product") or u.first("ordinal") or u.first("category"):
            return u, args
        if u.intent in {"search_products", OUT_OF_SCOPE} or len(text.split()) <= 4:
            return replace(
                u, entities=[*u.entities, Entity("product", text.lower(), 0, len(text))]
            ), args
        return None
    if slot == "order":
        if u.first("order_ref"):
            return u, args
        options = [str(o) for o in pending.get("options") or []]
        chosen = next((o for o in options if o.lower() in text.lower()), None)
        if chosen is None:
            return None
        return replace(u, entities=[*u.entities, Entity("order_ref", chosen, 0, len(text))]), args
    if slot == "code":
        if u.first("discount_code"):
            return u, args
        if re.fullmatch(r"[A-Za-z0-9_-]{3,24}", text):
            return replace(u, entities=[Entity("discount_code", text.upper(), 0, len(text))]), args
        return None
    if slot == "email":
        return (u, args) if u.first("email") else None
    if slot == "address":
        return (u, args) if any(u.first(p) for p in orders.ADDRESS_PARTS) else None
    return None


async def _back_to_parked(turn: Turn, reply: Reply) -> Reply:
    """After answering another request in the middle of a flow, ask its question again."""
    parked = turn.unpark()
    if parked is None:
        return reply
    if turn.pending is not None:  # the new request asks something itself: the old flow is dropped
        return reply
    turn.state["pending"] = parked
    question = _QUESTIONS.get(parked["slot"], "")
    options = [str(o) for o in parked.get("options") or []]
    about = parked.get("args", {}).get("product_id")
    name = (
        turn.focused["name"]
        if about and turn.focused and turn.focused["product_id"] == about
        else None
    )
    back = f"Back to {name}: " if name else "Back to what we were doing: "
    if parked["slot"] == "option" and options:
        question = f"which {parked['args'].get('option', 'option')}? {', '.join(options)}."
    reply.then(f"{back}{question}")
    reply.quick_replies = options[:8] or reply.quick_replies
    return reply
