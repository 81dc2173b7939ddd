"""The load generator of `mixed_load.py`: a share of the shoppers, in a process of its own.

Run as `python bench/mixed_shoppers.py PLAN.json SAMPLES.json`: the plan (written by
`mixed_load.py`) names the servers, this process's shoppers, the catalogue they browse and
the stock they may put in carts; the samples file gets every request's kind, status,
client-side and server-side (`Server-Timing`) milliseconds, and this process's CPU.

Each shopper has its own keep-alive connection to its server (shoppers are spread over the
servers round-robin) and loops: wait 1-3 s (uniform), then one action drawn from the mix:

- browse (60 %): half listing pages (newest, a department, category + price + sort, in stock
  + sort, an attribute, a merchant; now and then the next page of the last listing by its
  cursor), half product pages;
- search (20 %): the listing's `q`, one or two words of a product's name;
- cart change (15 %): add a variant (up to 5 lines), change a line's quantity (1-3) or
  remove a line, in the shopper's own guest cart (the first change makes the guest session
  and the cart);
- checkout (5 %): the cart checked out with a sandbox card of the shopper's own (an empty
  cart gets an item first), then a new cart.

Every unit a cart takes is counted against this process's share of the stock the listing
showed (given back when a line shrinks or goes), so no add or checkout should meet a
shortage: the stock answers that do come are counted apart by `mixed_load.py`.
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import uvloop

from rawhttp import Connection, ConnectionLostError, Response
from shopper_identity import address, card

MIX = (("browse", 0.60), ("search", 0.20), ("cart", 0.15), ("checkout", 0.05))
MAX_LINES = 5
NEXT_PAGE = 0.3  # a listing that follows the last listing's cursor, when there is one
LAG_TICK = 0.1  # seconds between the event loop's lag probes

# request kinds (the rows of the report)
LISTING, PRODUCT, SEARCH = "browse: listing", "browse: product", "search"
SESSION, OPEN, ADD, CHANGE, REMOVE = (
    "cart: new session",
    "cart: open cart",
    "cart: add item",
    "cart: change quantity",
    "cart: remove item",
)
CHECKOUT = "checkout"
KINDS = (LISTING, PRODUCT, SEARCH, SESSION, OPEN, ADD, CHANGE, REMOVE, CHECKOUT)
ACTION_OF = {
    LISTING: "browse",
    PRODUCT: "browse",
    SEARCH: "search",
    SESSION: "cart",
    OPEN: "cart",
    ADD: "cart",
    CHANGE: "cart",
    REMOVE: "cart",
    CHECKOUT: "checkout",
}

Sample = tuple[str, int | str, float, float | None, str, float]
"""kind, status (or the exception's name), client ms, server ms, problem code, seconds in."""


class Stock:
    """The units of each variant this process's carts may still take."""

    def __init__(self, units: dict[str, int], rng: random.Random) -> None:
        self.left = {v: n for v, n in units.items() if n > 0}
        self.ids = list(self.left)
        self.rng = rng

    def take(self, variant: str | None = None, units: int = 1) -> str | None:
        """`units` of `variant` (or of any variant with some left); None if there are none."""
        if variant is None:
            while self.ids:
                index = self.rng.randrange(len(self.ids))
                variant = self.ids[index]
                if self.left.get(variant, 0) >= units:
                    break
                self.ids[index] = self.ids[-1]
                self.ids.pop()
                variant = None
            if variant is None:
                return None
        if self.left.get(variant, 0) < units:
            return None
        self.left[variant] -= units
        return variant

    def give(self, variant: str, units: int) -> None:
        if self.left.get(variant, 0) == 0:
            self.ids.append(variant)
        self.left[variant] = self.left.get(variant, 0) + units


@dataclass
class Recorder:
    started: float
    timeout: float
    samples: list[Sample] = field(default_factory=list)
    problems: dict[str, list[str]] = field(default_factory=dict)
    actions: dict[str, int] = field(default_factory=dict)


@dataclass
class Line:
    item: str
    variant: str
    quantity: int


class Shopper:
    def __init__(
        self, n: int, plan: dict[str, Any], stock: Stock, recorder: Recorder, seed: int
    ) -> None:
        self.n = n
        self.plan = plan
        self.server = plan["servers"][n % len(plan["servers"])]
        self.stock = stock
        self.recorder = recorder
        self.rng = random.Random(seed * 1_000_003 + n)
        self.conn: Connection | None = None
        self.token: str | None = None
        self.cart: str | None = None
        self.lines: list[Line] = []
        self.last_listing: tuple[str, str] | None = None  # (path, next cursor)

    # -- the transport --------------------------------------------------------------------

    async def call(
        self, kind: str, method: str, path: str, body: dict[str, Any] | None = None
    ) -> Response | None:
        """The answer if it is a 2xx (every request is recorded); None otherwise."""
        headers = {"X-Tenant": "default", "X-Forwarded-For": address(self.n)}
        if self.token:
            headers["X-Session-Token"] = self.token
        if kind == CHECKOUT:
            headers["Idempotency-Key"] = f"mixed-{uuid.uuid4().hex}"
        payload = json.dumps(body).encode() if body is not None else b""
        started = time.perf_counter()
        try:
            conn = self.conn
            keepalive = self.plan["keepalive"]
            if conn is None or conn.closed or time.monotonic() - conn.idle_since > keepalive:
                if conn is not None:
                    conn.close()
                conn = self.conn = await Connection.open(*self.server)
            async with asyncio.timeout(self.recorder.timeout):
                answer = await conn.request(method, path, headers, payload)
        except (ConnectionLostError, OSError, TimeoutError) as exc:
            self.conn = None
            name = type(exc).__name__
            self._record(kind, name, started, None, "", repr(exc))
            return None
        code = ""
        if not 200 <= answer.status < 300:
            code = _problem_code(answer.body)
        self._record(kind, answer.status, started, answer.server_ms(), code, answer.body)
        return answer if 200 <= answer.status < 300 else None

    def _record(
        self,
        kind: str,
        status: int | str,
        started: float,
        server: float | None,
        code: str,
        body: bytes | str,
    ) -> None:
        now = time.perf_counter()
        at = started - self.recorder.started
        self.recorder.samples.append((kind, status, (now - started) * 1000, server, code, at))
        if isinstance(status, int) and 200 <= status < 300:
            return
        seen = self.recorder.problems.setdefault(f"{kind} {status}", [])
        if len(seen) < 3:
            text = body.decode(errors="replace") if isinstance(body, bytes) else body
            seen.append(text[:600])

    # -- the loop -------------------------------------------------------------------------

    async def run(self, deadline: float) -> None:
        low, high = self.plan["think"]
        names = [name for name, _ in MIX]
        weights = [weight for _, weight in MIX]
        try:
            while True:
                await asyncio.sleep(self.rng.uniform(low, high))
                if time.perf_counter() >= deadline:
                    return
                action = self.rng.choices(names, weights)[0]
                actions = self.recorder.actions
                actions[action] = actions.get(action, 0) + 1
                if action == "browse":
                    await (self.listing() if self.rng.random() < 0.5 else self.product())
                elif action == "search":
                    await self.search()
                elif action == "cart":
                    await self.change_cart()
                else:
                    await self.checkout()
        finally:
            if self.conn is not None:
                self.conn.close()

    # -- browsing -------------------------------------------------------------------------

    async def listing(self) -> None:
        if self.last_listing and self.rng.random() < NEXT_PAGE:
            base, cursor = self.last_listing
            path = f"{base}&cursor={cursor}"
        else:
            base = path = self.rng.choice(self.plan["listings"])
        answer = await self.call(LISTING, "GET", path)
        following = json.loads(answer.body).get("next_cursor") if answer else None
        self.last_listing = (base, following) if following else None

    async def product(self) -> None:
        await self.call(PRODUCT, "GET", f"/v1/products/{self.rng.choice(self.plan['products'])}")

    async def search(self) -> None:
        words = quote(self.rng.choice(self.plan["searches"]))
        await self.call(SEARCH, "GET", f"/v1/products?q={words}&limit=20")

    # -- the cart -------------------------------------------------------------------------

    async def has_cart(self) -> bool:
        """The shopper's guest session and cart, made now if they have none yet."""
        if self.token is None:
            session = await self.call(SESSION, "POST", "/v1/sessions", {})
            if session is None:
                return False
            self.token = json.loads(session.body)["session_token"]
        if self.cart is None:
            cart = await self.call(OPEN, "POST", "/v1/carts")
            if cart is None:
                return False
            self.cart = json.loads(cart.body)["id"]
            self.lines = []
        return True

    def _forget(self) -> None:
        """After an answer that leaves the cart in doubt: start again with a new session
        (the units its lines took stay counted as taken)."""
        self.token = self.cart = None
        self.lines = []

    async def change_cart(self) -> None:
        if not await self.has_cart():
            return
        roll = self.rng.random()
        if not self.lines or (len(self.lines) < MAX_LINES and roll < 0.5):
            await self.add()
        elif roll < 0.8:
            await self.change()
        else:
            await self.remove()

    async def add(self) -> None:
        held = {line.variant for line in self.lines}
        variant = None
        for _ in range(5):
            variant = self.stock.take()
            if variant is None or variant not in held:
                break
            self.stock.give(variant, 1)
            variant = None
        if variant is None:
            return
        body = {"variant_id": variant, "quantity": 1}
        answer = await self.call(ADD, "POST", f"/v1/carts/{self.cart}/items", body)
        if answer is None:
            self._forget()
            return
        for item in json.loads(answer.body)["items"]:
            if item["variant_id"] == variant:
                self.lines.append(Line(item["id"], variant, item["quantity"]))

    async def change(self) -> None:
        line = self.rng.choice(self.lines)
        quantity = self.rng.choice([q for q in (1, 2, 3) if q != line.quantity])
        more = quantity - line.quantity
        if more > 0 and self.stock.take(line.variant, more) is None:
            return
        path = f"/v1/carts/{self.cart}/items/{line.item}"
        answer = await self.call(CHANGE, "PATCH", path, {"quantity": quantity})
        if answer is None:
            self._forget()
            return
        if more < 0:
            self.stock.give(line.variant, -more)
        line.quantity = quantity

    async def remove(self) -> None:
        line = self.rng.choice(self.lines)
        answer = await self.call(REMOVE, "DELETE", f"/v1/carts/{self.cart}/items/{line.item}")
        if answer is None:
            self._forget()
            return
        self.lines.remove(line)
        self.stock.give(line.variant, line.quantity)

    async def checkout(self) -> None:
        if not await self.has_cart():
            return
        if not self.lines:
            await self.add()
            if not self.lines:
                return
        body = {
            "cart_id": self.cart,
            "email": f"shopper-{uuid.uuid4().hex[:12]}@example.com",
            "shipping_address": self.plan["address"],
            "billing_address": self.plan["address"],
            "payment": {"provider": "sandbox", "card": card(self.n)},
        }
        answer = await self.call(CHECKOUT, "POST", "/v1/checkout", body)
        if answer is None:
            self._forget()
            return
        self.cart, self.lines = None, []  # its units are sold
        await self.has_cart()  # a new cart for the next visit


def _problem_code(body: bytes) -> str:
    """A problem's `code`, with the codes of the cart problems it lists (`a:b,c`)."""
    try:
        found = json.loads(body)
    except ValueError:
        return ""
    if not isinstance(found, dict):
        return ""
    code = str(found.get("code", ""))
    listed = found.get("problems")
    if isinstance(listed, list):
        code += ":" + ",".join(sorted({str(p.get("code")) for p in listed if isinstance(p, dict)}))
    return code


async def lag_probe(deadline: float, lags: list[float]) -> None:
    """How late the event loop wakes up: when it is, client-side latency includes it."""
    while time.perf_counter() < deadline:
        due = time.perf_counter() + LAG_TICK
        await asyncio.sleep(LAG_TICK)
        lags.append((time.perf_counter() - due) * 1000)


async def main(plan: dict[str, Any]) -> dict[str, Any]:
    await asyncio.sleep(max(0.0, plan["start_at"] - time.time()))  # all generators at once
    started = time.perf_counter()
    cpu_at_start = time.process_time()
    deadline = started + plan["seconds"]
    recorder = Recorder(started, plan["timeout"])
    stock = Stock(plan["stock"], random.Random(plan["seed"]))
    shoppers = [
        Shopper(n, plan, stock, recorder, plan["seed"])
        for n in range(plan["first"], plan["first"] + plan["count"])
    ]
    lags: list[float] = []
    await asyncio.gather(lag_probe(deadline, lags), *(s.run(deadline) for s in shoppers))
    return {
        "shoppers": len(shoppers),
        "wall_seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time() - cpu_at_start,
        "samples": recorder.samples,
        "problems": recorder.problems,
        "actions": recorder.actions,
        "loop_lag_ms": lags,
        "stock_units_left": sum(stock.left.values()),
    }


if __name__ == "__main__":
    plan_path, out_path = Path(sys.argv[1]), Path(sys.argv[2])
    result = uvloop.run(main(json.loads(plan_path.read_text())))
    out_path.write_text(json.dumps(result))
