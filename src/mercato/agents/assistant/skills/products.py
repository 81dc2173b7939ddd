"""The product skill: finding products (through the search agent, or the catalogue's names
when search is not installed), a product's details and its availability, and which product
a message means ("the second one", "it", "the merino hoodie")."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from mercato.agents.assistant import memory
from mercato.agents.assistant.nlu.found import Entity
from mercato.agents.assistant.nlu.parser import Understanding
from mercato.agents.assistant.reply import Reply, options_text, product_card, variant_label
from mercato.agents.assistant.turn import SHOWN, Turn
from mercato.agents.catalog import service as catalog
from mercato.agents.search import service as search
from mercato.kernel.db import UnitOfWork

ASKING_WORDS = re.compile(
    r"\b(i'?m|i am|looking|look|search(ing)?|for|find|show|me|do|you|have|got|any|some|sell|"
    r"carry|i|want|need|would|like|to|buy|a|an|the|please|pls|can|could|recommend|suggest|"
    r"what|whats|what's|is|are|your|best|good|in|stock|anything|something|items?|products?|"
    r"under|below|over|above|less|more|than|between|and|cheap|cheaper|hey|hi|hello|thanks|"
    r"size|colou?r|of|with|get|got|u|ur|r|plz|ok|so|um)\b",
    re.IGNORECASE,
)
PRONOUN = re.compile(r"\b(it|this|that|this one|that one|them|those|these)\b", re.IGNORECASE)


def query_words(turn: Turn, u: Understanding) -> str:
    """What to search for: the products named (typos corrected) and their colour, else the
    message's own words without the asking."""
    named = [e.value for e in u.entities if e.type == "product"]
    colors = [e.value for e in u.entities if e.type == "color"]
    if named:
        return " ".join(colors + named)
    spans = [(e.start, e.end) for e in u.entities if e.type not in {"color"}]
    text = "".join(" " if any(s <= i < e for s, e in spans) else c for i, c in enumerate(u.text))
    text = re.sub(r"[$€£]?\d+(?:[.,]\d+)?\s*(bucks|euros?|dollars?|pounds?)?", " ", text)
    words = ASKING_WORDS.sub(" ", text)
    return " ".join(re.findall(r"[\w'-]+", words)).strip()


async def find(
    turn: Turn,
    uow: UnitOfWork,
    *,
    q: str,
    category: str | None = None,
    min_price: Decimal | None = None,
    max_price: Decimal | None = None,
    limit: int = 20,
) -> list[dict[str, Any]]:
    """Products for sale matching, best first (catalog summaries)."""
    if "search" in turn.kernel.registry.agents:
        page = await search.search(
            uow,
            # search's service takes a Query but does not re-export it (mypy's strict
            # re-export rule); the assistant may reach search only through that service
            search.Query(q=q or None, min_price=min_price, max_price=max_price, limit=limit),
            category=category,
        )
        return [item["product"] for item in page["items"]]
    return await _by_names(turn, uow, q, limit)


async def _by_names(turn: Turn, uow: UnitOfWork, q: str, limit: int) -> list[dict[str, Any]]:
    """Without search: the products whose names hold the most of the words (typos forgiven)."""
    if turn.gazetteer is None or not q:
        return []
    wanted = {w for w in (turn.gazetteer.lookup(t) for t in q.lower().split()) if w}
    scored = sorted(
        (
            (len(wanted & set(name.split())), product_id)
            for name, product_id in turn.gazetteer.names.items()
        ),
        reverse=True,
    )
    ids = [product_id for score, product_id in scored[:limit] if score > 0]
    found = await catalog.summaries(uow, ids)
    return [found[i] for i in ids if i in found]


def sized(products: list[dict[str, Any]], size: str | None) -> list[dict[str, Any]]:
    """Those with a variant of the size (all of them, if none has it)."""
    if not size:
        return products
    having = [p for p in products if variant_for(p, size=size, color=None) is not None]
    return having or products


def variant_for(
    product: dict[str, Any], *, size: str | None, color: str | None
) -> dict[str, Any] | None:
    """The product's variant with the size and colour named (None: none has them; the only
    variant, when there is one)."""
    variants = product.get("variants", [])
    matching = [v for v in variants if _has(v, size) and _has(v, color)]
    if len(matching) == 1 or (matching and not (size or color)):
        return matching[0] if len(matching) == 1 else None
    if size or color:
        return matching[0] if matching else None
    return None


def _has(variant: dict[str, Any], value: str | None) -> bool:
    if not value:
        return True
    wanted = value.lower()
    return any(str(v).lower() == wanted for v in (variant.get("attributes") or {}).values())


async def summary(uow: UnitOfWork, product_id: str) -> dict[str, Any] | None:
    found = await catalog.summaries(uow, [product_id])
    return found.get(product_id)


async def resolve(turn: Turn, uow: UnitOfWork, u: Understanding) -> dict[str, Any] | None:
    """The product a message means: one of those listed ("the second one"), one it names,
    or the one the conversation is about ("it")."""
    ordinal = u.first("ordinal")
    shown = turn.shown
    if ordinal is not None and shown:
        index = int(ordinal.value)
        picked = shown[-1] if index == -1 else shown[index - 1] if 0 < index <= len(shown) else None
        if picked is not None:
            return await summary(uow, picked["product_id"])
    named = u.first("product")
    if named is not None:
        if named.extra.get("product_id"):
            return await summary(uow, named.extra["product_id"])
        for entry in shown:  # "the hoodie" among those just listed
            if all(w in entry["name"].lower() for w in named.value.split()):
                return await summary(uow, entry["product_id"])
        hits = await find(turn, uow, q=named.value, limit=1)
        if hits:
            return hits[0]
    focus = turn.focused
    if focus is not None:
        return await summary(uow, focus["product_id"])
    return None


def listing(products: list[dict[str, Any]]) -> str:
    return "; ".join(
        f"{i}. {p['name']} ({p['price']} {p.get('currency', '')})".replace(" )", ")")
        for i, p in enumerate(products, 1)
    )


SIMILAR = re.compile(
    r"\b(similar|alternatives?|more like (this|that|it)|something like (this|that|it)|"
    r"like (this|that) one)\b",
    re.IGNORECASE,
)
CHEAPER = re.compile(r"\b(cheaper|less expensive|lower price|more affordable)\b", re.IGNORECASE)
FOR_ME = re.compile(
    r"\b(for me|i'?d like|i might like|recommend|suggest|surprise me|what should i (buy|get))\b",
    re.IGNORECASE,
)


async def search_products(turn: Turn, u: Understanding) -> Reply:
    q = query_words(turn, u)
    category = u.first("category")
    low, high = u.first("price_min"), u.first("price_max")
    asked_nothing = not q and category is None and low is None and high is None
    if not u.first("product") and SIMILAR.search(u.text) and turn.focused:
        return await _similar(turn, turn.focused)
    last = turn.state.get("last_search")
    if CHEAPER.search(u.text) and last and not u.first("product"):
        q, first = last["q"], last.get("first_price")
        high_price = Decimal(first) - Decimal("0.01") if first else None
        return await _found(turn, u, q=q, category=None, low=None, high=high_price)
    if asked_nothing and (FOR_ME.search(u.text) or turn.remembered.affinities):
        return await _for_you(turn)
    if asked_nothing:
        turn.ask("search_products", "product", {})
        return Reply(
            "What are you looking for? A product, a category, a price range…",
            quick_replies=["Hoodies", "Headphones under 100", "Gift ideas"],
        )
    budget = turn.remembered.first("max_price")
    return await _found(
        turn,
        u,
        q=q,
        category=category,
        low=Decimal(low.value) if low else None,
        high=Decimal(high.value) if high else (Decimal(budget) if budget and not q else None),
    )


async def _found(
    turn: Turn,
    u: Understanding,
    *,
    q: str,
    category: Entity | None,
    low: Decimal | None,
    high: Decimal | None,
) -> Reply:
    async with turn.read() as uow:
        found = await find(
            turn,
            uow,
            q=q,
            category=category.extra.get("category_id") if category else None,
            min_price=low,
            max_price=high,
        )
    size = u.first("size")
    ranked = turn.remembered.rank(
        sized(found, size.value if size else turn.remembered.first("size"))
    )
    what = q or (category.value if category else "products")
    if high is not None and not u.first("price_max"):
        what += f" under {high + Decimal('0.01')}"
    left_out = [x for x in turn.remembered.excluded] if len(ranked) < len(found) else []
    return _listed(turn, ranked, what, left_out, q=q)


def _listed(
    turn: Turn, ranked: list[dict[str, Any]], what: str, left_out: list[str], *, q: str = ""
) -> Reply:
    shown = ranked[:SHOWN]
    if not shown:
        turn.show([])
        return Reply(
            f"I couldn't find {what} right now. Try other words, or a wider price range?",
            quick_replies=["Show me something I'd like", "Talk to a person"],
        )
    turn.show(shown)
    if len(shown) == 1:
        turn.focus(shown[0]["id"], shown[0]["name"])
    turn.state["last_search"] = {"q": q, "first_price": str(shown[0]["price"])}
    note = f" (leaving out {', '.join(left_out)}, as you asked)" if left_out else ""
    return Reply(
        f"Here {'is' if len(shown) == 1 else 'are'} {len(shown)} for “{what}”{note}: "
        f"{listing(shown)}.",
        cards=[product_card(p, i) for i, p in enumerate(shown, 1)],
        quick_replies=[
            "Tell me about the first one",
            "Add the first one to my cart",
            "Something cheaper",
        ],
    )


async def _similar(turn: Turn, focus: dict[str, Any]) -> Reply:
    """Products like the one in focus: the search agent's recommendations (by meaning and
    attributes), or the catalogue's names without it."""
    async with turn.read() as uow:
        if "search" in turn.kernel.registry.agents:
            answer = await search.recommendations(
                uow, product_id=focus["product_id"], kind="similar", limit=10
            )
            items = list(answer["items"]) if answer else []
        else:
            items = await _by_names(turn, uow, focus["name"], 10)
            items = [p for p in items if p["id"] != focus["product_id"]]
    return _listed(turn, turn.remembered.rank(items), f"products like {focus['name']}", [])


async def _for_you(turn: Turn) -> Reply:
    """Suggestions from what the shopper showed interest in (the search agent's for-you),
    ordered by what the assistant remembers of them."""
    shopper = None
    if turn.principal.kind == "user":
        shopper = f"user:{turn.principal.id}"
    elif turn.principal.session_id:
        shopper = f"session:{turn.principal.session_id}"
    async with turn.read() as uow:
        if "search" in turn.kernel.registry.agents:
            items = list((await search.for_you(uow, shopper=shopper, limit=20))["items"])
        else:
            items = []
    return _listed(turn, turn.remembered.rank(items), "you", [])


async def product_details(turn: Turn, u: Understanding) -> Reply:
    async with turn.read() as uow:
        product = await resolve(turn, uow, u)
    if product is None:
        turn.ask("product_details", "product", {})
        return Reply("Which product would you like to know about?")
    turn.focus(product["id"], product["name"])
    await _viewed(turn, product)
    options = options_text(product)
    described = _opening(product.get("description") or "")
    stock = "in stock" if product.get("in_stock") else "out of stock right now"
    text = f"{product['name']}: {product['price']} {product.get('currency', '')}, {stock}."
    if described:
        text += f" {described}"
    if options:
        text += f" Options — {options}."
    return Reply(
        text,
        cards=[product_card(product)],
        quick_replies=["Add it to my cart", "Is it in stock?", "Show me similar"],
    )


async def check_availability(turn: Turn, u: Understanding) -> Reply:
    async with turn.read() as uow:
        product = await resolve(turn, uow, u)
    if product is None:
        turn.ask("check_availability", "product", {})
        return Reply("Which product should I check?")
    turn.focus(product["id"], product["name"])
    size, color = u.first("size"), u.first("color")
    if size or color:
        variant = variant_for(
            product, size=size.value if size else None, color=color.value if color else None
        )
        wanted = " ".join(e.value for e in (color, size) if e is not None)
        if variant is None:
            options = options_text(product) or "one option"
            return Reply(
                f"{product['name']} doesn't come in {wanted}. It comes in {options}.",
                cards=[product_card(product)],
            )
        count = int(variant.get("available") or 0)
        state = (
            f"Yes, {product['name']} in {wanted} is in stock ({count} left)."
            if count > 0
            else f"Sorry, {product['name']} in {wanted} is sold out right now."
        )
        return Reply(
            state,
            cards=[product_card(product)],
            quick_replies=["Add it to my cart"] if count > 0 else ["Show me similar"],
        )
    variants = product.get("variants", [])
    available = [v for v in variants if int(v.get("available") or 0) > 0]
    if not available:
        return Reply(
            f"Sorry, {product['name']} is sold out right now.",
            cards=[product_card(product)],
            quick_replies=["Show me similar"],
        )
    labels = ", ".join(variant_label(v) for v in available if variant_label(v)) or "yes"
    return Reply(
        f"{product['name']} is in stock" + (f": {labels}." if labels != "yes" else "."),
        cards=[product_card(product)],
        quick_replies=["Add it to my cart"],
    )


def _opening(description: str) -> str:
    sentences = re.split(r"(?<=[.!?])\s+", description.strip())
    return " ".join(sentences[:2])[:300]


async def _viewed(turn: Turn, product: dict[str, Any]) -> None:
    if turn.owner is None:
        return
    async with turn.write() as uow:
        await memory.note_products(uow, turn.owner, [product], signal="view", now=turn.now)
