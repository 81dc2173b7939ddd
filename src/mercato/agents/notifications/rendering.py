"""Turning a kind's template and a context into a message's subject, text and HTML.

The shipped templates are one file per kind and locale (`templates/<locale>/<kind>.jinja`)
with four blocks: `subject` (an email's subject, a push or in-app title), `text` (an
email's plain text), `html` (an email's HTML body, set in `layout.html`) and `short` (an SMS,
a push's or in-app message's body). A store's admins may replace any channel's wording; what
they write is rendered in Jinja's sandbox (no attribute tricks reach Python), and escaped in
HTML like the shipped templates are.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, Template, TemplateSyntaxError, Undefined
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from mercato.agents.notifications.statuses import Channel
from mercato.kernel.errors import Problem
from mercato.kernel.money import round_money

TEMPLATES = Path(__file__).parent / "templates"
_BLOCK = re.compile(r"{%-?\s*block\s+(\w+)\s*-?%}(.*?){%-?\s*endblock\s*-?%}", re.S)
_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CAD": "CA$", "AUD": "A$"}


class TemplateInvalid(Problem):
    status, code, title = 422, "template_invalid", "The template cannot be rendered"


@dataclass(frozen=True)
class Wording:
    """One channel's template sources: what an admin edits."""

    subject: str
    text: str
    html: str | None = None


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str | None = None


def money(amount: Any, currency: str = "USD") -> str:
    """`12.5, "USD"` → `$12.50`; a currency without a symbol here is written after."""
    try:
        value = round_money(Decimal(str(amount)), currency)
    except (InvalidOperation, KeyError, ValueError):
        return str(amount)
    symbol = _SYMBOLS.get(currency)
    sign, digits = ("-", -value) if value < 0 else ("", value)
    return f"{sign}{symbol}{digits:,}" if symbol else f"{sign}{digits:,} {currency}"


def _environment(*, html: bool, strict: bool) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=html,
        undefined=StrictUndefined if strict else Undefined,
        keep_trailing_newline=False,
        trim_blocks=True,
    )
    env.filters["money"] = money
    return env


_TEXT, _HTML = _environment(html=False, strict=False), _environment(html=True, strict=False)
_STRICT_TEXT, _STRICT_HTML = (
    _environment(html=False, strict=True),
    _environment(html=True, strict=True),
)


def locales_for(locale: str | None, default: str) -> list[str]:
    """`es-MX` → es-mx, es, the store's default, en: the first that has the kind wins."""
    wanted: list[str] = []
    if locale:
        tag = locale.strip().lower().replace("_", "-")
        wanted += [tag, tag.split("-", 1)[0]]
    wanted += [default.lower(), "en"]
    return list(dict.fromkeys(w for w in wanted if re.fullmatch(r"[a-z]{2,3}(-[a-z0-9]{2,8})?", w)))


@cache
def shipped_blocks(kind: str, locale: str) -> dict[str, str] | None:
    """The blocks of the shipped template of `kind` in exactly `locale`, or None."""
    path = TEMPLATES / locale / f"{kind}.jinja"
    if not path.is_file():
        return None
    return {name: body.strip("\n") for name, body in _BLOCK.findall(path.read_text("utf-8"))}


def shipped_wording(kind: str, channel: Channel, locale: str) -> Wording | None:
    blocks = shipped_blocks(kind, locale)
    if blocks is None:
        return None
    if channel is Channel.EMAIL:
        return Wording(blocks.get("subject", ""), blocks.get("text", ""), blocks.get("html"))
    return Wording(blocks.get("subject", ""), blocks.get("short", blocks.get("text", "")))


def shipped_locales(kind: str) -> list[str]:
    return sorted(p.name for p in TEMPLATES.iterdir() if (p / f"{kind}.jinja").is_file())


@functools.lru_cache(maxsize=512)
def _compiled(env: SandboxedEnvironment, source: str) -> Template:
    """Compiling is most of a render's cost; a store's wordings are few and change seldom."""
    return env.from_string(source)


def render(
    wording: Wording,
    context: dict[str, Any],
    *,
    channel: Channel,
    frame: dict[str, Any],
    strict: bool = False,
) -> Rendered:
    """Render one channel's wording. `frame` fills the email layout (store name, footer,
    locale). `strict` makes an unknown variable an error (an admin's edit is checked so)."""
    text_env, html_env = (_STRICT_TEXT, _STRICT_HTML) if strict else (_TEXT, _HTML)
    try:
        subject = " ".join(_compiled(text_env, wording.subject).render(context).split())
        text = _compiled(text_env, wording.text).render(context).strip()
        html = None
        if channel is Channel.EMAIL and wording.html:
            body = _compiled(html_env, wording.html).render(context)
            html = html_env.get_template("layout.html").render(
                {**frame, "subject": subject, "body": Markup(body)}
            )
    except TemplateSyntaxError as exc:
        raise TemplateInvalid(detail=f"line {exc.lineno}: {exc.message}") from exc
    except (UndefinedError, SecurityError, TypeError, ValueError) as exc:
        raise TemplateInvalid(detail=str(exc)) from exc
    return Rendered(subject=subject[:300], text=text, html=html)


def check(wording: Wording, context: dict[str, Any], *, channel: Channel) -> None:
    """Raise `TemplateInvalid` when an admin's wording does not compile or names a
    variable the kind's sample data does not have."""
    render(
        wording,
        context,
        channel=channel,
        frame={"store_name": "", "footer": "", "locale": "en"},
        strict=True,
    )
