"""Shoppers: accounts (identity's users with the customer role), guests, and their
addresses, from the word lists with a seeded generator."""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable
from typing import Any

from mercato.agents.knowledge.testdata.formats import Instants
from mercato.agents.knowledge.testdata.words import EMAIL_DOMAINS, LOCALES, Locale

PASSWORD = "Generated-Shopper-2026!"
"""Every generated account's password (for signing in as a generated customer)."""

PASSWORD_HASH = (
    "$argon2id$v=19$m=65536,t=3,p=4$bWVyY2F0by10ZXN0ZGF0YQ"
    "$KOdnY7h3TrdrT5IhHE3c3QzpSbamkNI/h1g0mTKYh+c"
)
"""`PASSWORD` hashed once with Mercato's production Argon2id parameters (a fixed salt, so
the output stays byte-identical): generated accounts can sign in."""

LOCK_FAILURES = 5
DAY = 86_400_000_000


def ascii_word(text: str) -> str:
    """Letters and digits of `text` folded to ASCII, lower-cased (`José` → `jose`)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in folded.lower() if c.isalnum())


class People:
    """Makes customers (JSON records that are also the users rows) and addresses."""

    def __init__(
        self, rng: random.Random, new_id: Callable[[], str], instants: Instants, now: int
    ) -> None:
        self._rng = rng
        self._new_id = new_id
        self._iso = instants.iso
        self._now = now
        self._serial = 0
        self._ascii: dict[str, str] = {}

    def _pick(self, items: tuple[str, ...]) -> str:
        return items[int(self._rng.random() * len(items))]

    def _fold(self, name: str) -> str:
        found = self._ascii.get(name)
        if found is None:
            found = self._ascii[name] = ascii_word(name)
        return found

    def email(self, first: str, last: str) -> str:
        """Unique by construction (a serial number), at a domain reserved for examples."""
        self._serial += 1
        local = ".".join(p for p in (self._fold(first), self._fold(last)) if p) or "customer"
        return f"{local}{self._serial}@{self._pick(EMAIL_DOMAINS)}"

    def address(self, country: str, name: str) -> dict[str, Any]:
        locale = LOCALES[country]
        rng = self._rng
        city, region, prefix = locale.cities[int(rng.random() * len(locale.cities))]
        return {
            "name": name,
            "line1": f"{rng.randrange(1, 2400)} {self._pick(locale.streets)}",
            "line2": f"Apt {rng.randrange(1, 60)}" if rng.random() < 0.2 else None,
            "city": city,
            "region": region,
            "postal_code": prefix + _fill(locale.postal, rng),
            "country": country,
            "phone": f"{locale.phone_prefix} {rng.randrange(1000, 10000)}",
        }

    def person(self, country: str, full_name: str | None = None) -> tuple[str, str, Locale]:
        """(full name, email, locale) of someone of `country`."""
        locale = LOCALES[country]
        if full_name is not None:
            first, _, last = full_name.partition(" ")
            return full_name, self.email(first, last), locale
        first, last = self._pick(locale.first_names), self._pick(locale.last_names)
        return f"{first} {last}", self.email(first, last), locale

    def customer(
        self, country: str, *, status: str = "active", full_name: str | None = None
    ) -> dict[str, Any]:
        """An account with the customer role, made 1-2 years before `now` (before any of
        its orders), its email verified unless the status says otherwise."""
        name, email, _ = self.person(country, full_name)
        rng = self._rng
        created = self._now - 365 * DAY - int(rng.random() * 365 * DAY)
        verified = None if status == "unverified_email" else self._iso(created + 600_000_000)
        locked = status == "locked_account"
        return {
            "id": self._new_id(),
            "email": email,
            "full_name": name,
            "password": PASSWORD,
            "roles": ["customer"],
            "status": "disabled" if status == "disabled" else "active",
            "email_verified_at": verified,
            "failed_logins": LOCK_FAILURES if locked else 0,
            "locked_until": self._iso(self._now + 900_000_000) if locked else None,
            "created_at": self._iso(created),
            "address": self.address(country, name),
        }


def _fill(shape: str, rng: random.Random) -> str:
    out = []
    for char in shape:
        if char == "#":
            out.append(str(int(rng.random() * 10)))
        elif char == "@":
            out.append(chr(65 + int(rng.random() * 26)))
        else:
            out.append(char)
    return "".join(out)
