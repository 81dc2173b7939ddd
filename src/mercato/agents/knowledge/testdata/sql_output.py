"""The generated records as SQL: INSERT statements for Mercato's own tables, in foreign-key
order, that load into a freshly migrated database, SQLite or PostgreSQL alike.

The document is one statement per line (a line starting with `--` is a comment), so it can
be run by `psql -f`, `sqlite3 db < file`, or statement by statement (`statements()`). It uses
only what both databases read the same way: multi-row `INSERT … VALUES`, standard string
literals ('' for a quote; no backslash escapes), TRUE/FALSE, integers for amounts (the
`Amount` columns hold 1/10,000 units), JSON as a string literal (as SQLAlchemy writes it),
and `INSERT … ON CONFLICT (id) DO NOTHING` for the store's row, so loading into a store that
exists already keeps it as it is. Timestamps: `portable` writes ISO 8601 with its +00:00
offset (PostgreSQL reads the instant whatever the session's time zone; SQLite keeps the text,
which Mercato reads back as the same UTC instant); `sqlite` writes exactly the text SQLAlchemy
stores there (`2026-10-03 14:22:05.123456`), so stored instants compare equal, not only in
order, with those Mercato writes.

Edge-case records that break a rule are what a client would send and the store refuses:
their rows are written commented out (the database's own constraints would refuse several of
them too), after a comment naming the edge case and the rule."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from mercato.agents.catalog.service import attribute_pairs, search_text
from mercato.agents.knowledge.testdata.catalog import Catalog, Product, Variant
from mercato.agents.knowledge.testdata.formats import micros_of, stored_amount
from mercato.agents.knowledge.testdata.makers import Item
from mercato.agents.knowledge.testdata.people import PASSWORD_HASH
from mercato.agents.knowledge.testdata.related import timeline
from mercato.agents.knowledge.testdata.sql_columns import TABLES
from mercato.agents.knowledge.testdata.tools import MINUTE, Tools

BATCH = 500
NULL = "NULL"
TRUE, FALSE = "TRUE", "FALSE"
RESERVATION_TTL = 15 * MINUTE


def q(value: str | None) -> str:
    """A string literal (standard SQL: a quote doubled)."""
    return NULL if value is None else "'" + value.replace("'", "''") + "'"


def sq(value: str | None) -> str:
    """A string literal of text known to hold no quote (ids, codes, statuses)."""
    return NULL if value is None else f"'{value}'"


def js(value: Any) -> str:
    return q(json.dumps(value))


_EMPTY = "'[]'"


def statements(document: str) -> list[str]:
    """The statements of a generated SQL document, one per line, comments left out."""
    return [line for line in document.splitlines() if line and not line.startswith("--")]


class _Attrs:
    """Just what `catalog.derived` reads of a product or variant."""

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)


class SqlWriter:
    def __init__(self, tools: Tools, dialect: str) -> None:
        self.tools = tools
        self.tenant = q(tools.tenant_id)
        self.rows: dict[str, list[str]] = {table: [] for table in TABLES}
        cut = self._cut = 26 if dialect == "sqlite" else None
        """Where an ISO instant is cut: before its offset for SQLite's stored text."""
        self.ts: Callable[[str], str] = lambda iso: f"'{iso[:10]} {iso[11:cut]}'"
        self._hash = q(PASSWORD_HASH)
        self._users: set[str] = set()
        self._stored: dict[str, Callable[[str], str]] = {}
        self._new_event = tools.ids()
        self._new_reservation = tools.ids()
        self._new_movement = tools.ids()
        self._stock: dict[str, str] = {}
        self._variants: dict[str, Variant] = {}
        self._json: dict[int, tuple[dict[str, Any], str]] = {}
        self.refused = False

    def json_of(self, value: dict[str, Any]) -> str:
        """A JSON literal, made once per object (an address is shared by a customer's
        orders, and by an order's shipping and billing)."""
        key = id(value)
        found = self._json.get(key)
        if found is None or found[0] is not value:
            found = self._json[key] = (value, js(value))
        return found[1]

    def tsn(self, iso: str | None) -> str:
        return NULL if iso is None else self.ts(iso)

    def stored(self, currency: str) -> Callable[[str], str]:
        """Amount strings of `currency` → what its `Amount` columns hold."""
        found = self._stored.get(currency)
        if found is None:
            found = self._stored[currency] = stored_amount(currency)
        return found

    def amount(self, text: str, currency: str) -> str:
        return self.stored(currency)(text)

    def add(self, table: str, *values: str) -> None:
        self.rows[table].append("(" + ",".join(values) + ")")

    # -- the store and its catalog ----------------------------------------------------------

    def store(self, created_at: str) -> None:
        name = "Default store" if self.tools.tenant_id == "default" else self.tools.tenant_id
        self.add("tenants", self.tenant, q(name), "'[]'", self.ts(created_at))

    def catalog(self, catalog: Catalog, products: Iterable[Product]) -> None:
        t, ts = self.tenant, self.ts
        created = ts(catalog.created_at)
        for category in catalog.categories.values():
            self.add(
                "categories", q(category.id), t, q(category.parent_id), q(category.name),
                q(category.slug), q(category.path), str(category.position), created,
            )  # fmt: skip
        location = q(catalog.location_id)
        self.add(
            "inventory_locations", location, t, q(f"TESTDATA-{catalog.location_id[:8]}"),
            "'Test data warehouse'", "'warehouse'", "100", TRUE, created,
        )  # fmt: skip
        for product in products:
            self.product(product, catalog, created, location)
            for variant in product.variants:
                self._variants[variant.id] = variant

    def product(self, product: Product, catalog: Catalog, created: str, location: str) -> None:
        t, cur = self.tenant, product.currency
        variants = product.variants
        attrs = [_Attrs(status="active", sku=v.sku, title=v.title, attributes=v.attributes)
                 for v in variants]  # fmt: skip
        shown = _Attrs(name=product.name, description=product.description, attributes={})
        pid = q(product.id)
        price = min(v.price for v in variants)
        self.add(
            "products", pid, t, NULL, q(product.name), q(product.slug), q(product.description),
            q(product.status), q(product.category_id), q(product.category_path),
            "'{}'", "'[]'", "'[]'",  # attributes, images, pictures
            self.amount(self.tools.money(cur)(price), cur), NULL, q(cur),
            TRUE if product.is_free else FALSE, TRUE if product.requires_shipping else FALSE,
            TRUE if any(v.available > 0 for v in variants) else FALSE,
            q(search_text(shown, attrs)), created, created,  # type: ignore[arg-type]
        )  # fmt: skip
        for name, value in sorted(attribute_pairs(shown, attrs)):  # type: ignore[arg-type]
            self.add("product_attribute_values", t, pid, q(name), q(value))
        money = self.tools.money(cur)
        for v in variants:
            vid = q(v.id)
            self.add(
                "product_variants", vid, t, pid, q(v.sku), q(v.title),
                self.amount(money(v.price), cur), NULL, js(v.attributes), str(v.position),
                "'active'", str(v.available), created, created, NULL, NULL, NULL, NULL,
            )  # fmt: skip
            stock_id = catalog.stock_ids()
            self._stock[v.id] = stock_id
            self.add(
                "stock_levels", q(stock_id), t, vid, q(v.sku), location, str(v.on_hand),
                str(v.reserved), NULL, FALSE, created,
            )  # fmt: skip
            opening = (("receipt", v.on_hand, 0, "received"), ("reservation", 0, v.reserved, None))
            for kind, on_hand, reserved, reason in opening:
                if on_hand or reserved:
                    self.add(
                        "stock_movements", q(self._new_movement()), t, vid, q(v.sku), location,
                        q(kind), str(on_hand), str(reserved), q(reason), "'testdata'",
                        "'opening balance of generated test data'", "'testdata'", created,
                    )  # fmt: skip

    # -- shoppers, carts, orders, payments --------------------------------------------------

    def user(self, customer: dict[str, Any]) -> None:
        if customer["id"] in self._users:
            return
        self._users.add(customer["id"])
        ts, tsn = self.ts, self.tsn
        password = self._hash if customer.get("password") else NULL
        created = ts(customer["created_at"])
        self.rows["users"].append(
            f"('{customer['id']}',{self.tenant},{q(customer['email'].lower())},"
            f"{q(customer['full_name'])},{password},'[\"customer\"]',NULL,"
            f"'{customer['status']}',{tsn(customer['email_verified_at'])},"
            f"{customer['failed_logins']},{tsn(customer['locked_until'])},0,{created},{created})"
        )

    def cart(self, cart: dict[str, Any]) -> None:
        t, ts, cut = self.tenant, self.ts, self._cut
        cid, cur = cart["id"], cart["currency"]
        stored = self.stored(cur)
        variants, items = self._variants, self.rows["cart_items"].append
        last, abandoned = cart["last_activity_at"], cart["abandoned_at"]
        self.rows["carts"].append(
            f"('{cid}',{t},{sq(cart['user_id'])},{sq(cart['session_id'])},'{cart['status']}',"
            f"'{cur}',{sq(cart['country'])},{sq(cart['region'])},NULL,1,{ts(last)},"
            f"{self.tsn(abandoned)},{ts(cart['created_at'])},{ts(abandoned or last)},NULL)"
        )
        for item in cart["items"]:
            product = variants[item["variant_id"]].product
            added = item["added_at"]
            items(
                f"('{item['id']}',{t},'{cid}','{item['variant_id']}','{product.id}',"
                f"'{item['sku']}',{q(product.name)},{item['quantity']},"
                f"{stored(item['unit_price'])},'{added[:10]} {added[11:cut]}')"
            )

    def shadow(self) -> SqlWriter:
        """A writer of its own rows (for one refused record), sharing ids and stock rows."""
        other = copy.copy(self)
        other.rows = {table: [] for table in TABLES}
        other.refused = True
        return other

    def order(self, order: dict[str, Any], location: str) -> None:
        t, ts, tsn = self.tenant, self.ts, self.tsn
        customer = order["customer"]
        if customer is not None:
            self.user(customer)
        cart = order["cart"]
        self.cart(cart)
        oid, cur = order["id"], order["currency"]
        stored = self.stored(cur)
        address = order["shipping_address"]
        placed = ts(order["placed_at"])
        updated = (order["cancelled_at"] or order["delivered_at"] or order["shipped_at"]
                   or order["confirmed_at"])  # fmt: skip
        self.rows["orders"].append(
            f"('{oid}',{t},'{order['number']}','{order['status']}',"
            f"'{order['payment_status']}',{sq(order['review'])},{sq(order['customer_id'])},"
            f"{sq(order['session_id'])},{q(order['email'])},'{cur}',"
            f"{stored(order['subtotal'])},{stored(order['discount'])},{stored(order['tax'])},"
            f"{stored(order['shipping'])},{stored(order['total'])},NULL,"
            f"{sq(cart['country'])},{sq(cart['region'])},"
            f"{self.json_of(address) if address else NULL},"
            f"{self.json_of(order['billing_address'])},'{order['checkout_id']}',"
            f"{sq(order['carrier'])},{sq(order['tracking_number'])},{placed},"
            f"{tsn(order['confirmed_at'])},{tsn(order['shipped_at'])},"
            f"{tsn(order['delivered_at'])},{tsn(order['cancelled_at'])},"
            f"{sq(order['cancel_reason'])},1,{placed},{ts(updated) if updated else placed},"
            f"{stored('0')},NULL,NULL)"
        )
        lines = self.rows["order_lines"].append
        for position, line in enumerate(order["lines"]):
            units = line["quantity"]  # a shipped order shipped every unit in one go
            lines(
                f"('{line['id']}',{t},'{oid}','{line['variant_id']}','{line['product_id']}',"
                f"NULL,'{line['sku']}',{q(line['name'])},{units},"
                f"{stored(line['unit_price'])},{stored(line['line_total'])},"
                f"{TRUE if line['requires_shipping'] else FALSE},{position},"
                f"{units if order['shipped_at'] else 0},"
                f"{units if order['delivered_at'] else 0},0)"
            )
        if not self.refused:  # the store never reserved stock for a record it refused
            self.reservations(order, location)
        self.events(order)
        payment = order["payment"]
        if payment is not None:
            self.payment(order, payment)

    def reservations(self, order: dict[str, Any], location: str) -> None:
        status, ended = "allocated", None
        if order["shipped_at"]:
            status, ended = "committed", order["shipped_at"]
        elif order["cancel_reason"] == "reservation_expired":
            status, ended = "expired", order["cancelled_at"]
        elif order["cancelled_at"]:
            status, ended = "released", order["cancelled_at"]
        placed = order["placed_at"]
        at, end = self.ts(placed), self.tsn(ended)
        expires = self.ts(self.tools.iso(_micros(placed) + RESERVATION_TTL))
        head = f",{self.tenant},'{order['id']}',"
        new_id, stock, add = self._new_reservation, self._stock, self.rows["stock_reservations"]
        for line in order["lines"]:
            variant = line["variant_id"]
            add.append(
                f"('{new_id()}'{head}'{variant}',{location},'{stock[variant]}',"
                f"{line['quantity']},'{status}',{expires},{at},{end})"
            )

    def events(self, order: dict[str, Any]) -> None:
        """The order's timeline, as the orders agent writes it."""
        head, cut = f",{self.tenant},'{order['id']}',", self._cut
        new_id, add = self._new_event, self.rows["order_events"].append
        for at, kind, actor, detail in timeline(order):
            add(f"('{new_id()}'{head}'{at[:10]} {at[11:cut]}','{kind}','{actor}','{detail}')")

    def payment(self, order: dict[str, Any], payment: dict[str, Any]) -> None:
        t, ts, cur = self.tenant, self.ts, payment["currency"]
        stored = self.stored(cur)
        pid, card = payment["id"], payment["card"]
        key = order["customer_id"] or f"guest:{order['email'].lower()}"
        reasons = payment["review_reasons"]
        self.rows["payments"].append(
            f"('{pid}',{t},'{order['id']}','sandbox','{payment['status']}',"
            f"{stored(payment['amount'])},'{cur}',{stored(payment['captured_amount'])},"
            f"{stored(payment['refunded_amount'])},{sq(payment['provider_ref'])},"
            f"'{payment['token']}','{card['brand']}','{card['last4']}',"
            f"'{payment['card_fingerprint']}',{sq(order['customer_id'])},{q(key)},"
            f"{q(order['email'])},'{payment['ip']}',{sq(payment['failure_code'])},"
            f"{sq(payment['review'])},{js(reasons) if reasons else _EMPTY},"
            f"'{payment['idempotency_key']}',{ts(payment['created_at'])},"
            f"{ts(payment['updated_at'])},{card.get('exp_month') or NULL},"
            f"{card.get('exp_year') or NULL})"
        )
        add = self.rows["payment_transactions"].append
        for op in payment["transactions"]:
            add(
                f"('{op['id']}',{t},'{pid}','{op['kind']}','{op['status']}',"
                f"{stored(op['amount'])},'{cur}',{sq(op['provider_ref'])},"
                f"'{op['idempotency_key']}',{sq(op['failure_code'])},{ts(op['created_at'])})"
            )

    def item(self, item: Item, location: str) -> None:
        if item.kind in ("order", "payment"):
            self.order(item.graph, location)
        elif item.kind == "cart":
            if item.graph["customer"] is not None:
                self.user(item.graph["customer"])
            self.cart(item.graph)
        elif item.kind == "customer":
            self.user(item.graph)

    # -- the document -----------------------------------------------------------------------

    def lines(self, *, batch: int = BATCH, upsert_store: bool = True) -> list[str]:
        out: list[str] = []
        for table, columns in TABLES.items():
            rows = self.rows[table]
            head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
            for start in range(0, len(rows), batch):
                tail = (
                    " ON CONFLICT (id) DO NOTHING;" if table == "tenants" and upsert_store else ";"
                )
                out.append(head + ",".join(rows[start : start + batch]) + tail)
        return out

    def counts(self) -> dict[str, int]:
        return {table: len(rows) for table, rows in self.rows.items() if rows}


def _micros(iso: str) -> int:
    return micros_of(datetime.fromisoformat(iso))
