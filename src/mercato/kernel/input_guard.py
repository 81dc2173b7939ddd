"""What the edge refuses before any route sees a request: JSON that is not UTF-8 or nests
deeper than `MAX_JSON_DEPTH` (400 `malformed_json`), and control characters in a query
parameter (422 `validation_failed`). Request bodies' text is held to the same rule by
`RequestModel` (kernel.schemas).

Tab, line feed and carriage return are text; every other C0 and C1 control character, DEL
and a lone surrogate half is refused: such characters break logs, CSV exports, terminals and
PostgreSQL (which stores no NUL), and no shopper types them.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl

MAX_JSON_DEPTH = 32
"""Deeper than any request body Mercato documents (a checkout nests 4 levels)."""

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


class MalformedBodyError(ValueError):
    """The body cannot be read as JSON (400)."""


def check_json(raw: bytes) -> None:
    """Raise `MalformedBodyError` when the body is not UTF-8, or nests too deep. Otherwise
    the route parses it (and answers `malformed_json` itself for what is not JSON): a body
    with fewer brackets than the limit cannot nest deeper, so it is not parsed twice."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedBodyError(f"the body is not valid UTF-8 (byte {exc.start})") from None
    if raw.count(b"[") + raw.count(b"{") <= MAX_JSON_DEPTH:
        return
    try:
        document = json.loads(text)
    except RecursionError:
        raise MalformedBodyError(f"the body nests deeper than {MAX_JSON_DEPTH} levels") from None
    except ValueError:
        raise MalformedBodyError("the body is not valid JSON") from None
    if _depth(document) > MAX_JSON_DEPTH:
        raise MalformedBodyError(f"the body nests deeper than {MAX_JSON_DEPTH} levels")


def check_query(query_string: bytes) -> list[dict[str, Any]]:
    """Field errors for the query parameters that are not clean text."""
    if not query_string:
        return []
    errors = []
    try:
        pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        return [_error(["query"], "the query string is not valid UTF-8", "invalid_utf8")]
    for name, value in pairs:
        if CONTROL_CHARACTERS.search(name) or CONTROL_CHARACTERS.search(value):
            errors.append(_error(["query", name]))
    return errors


def _depth(document: Any) -> int:
    deepest, stack = 0, [(document, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict):
            deepest = max(deepest, level)
            stack.extend((v, level + 1) for v in node.values())
        elif isinstance(node, list):
            deepest = max(deepest, level)
            stack.extend((v, level + 1) for v in node)
    return deepest


def _error(
    loc: list[str],
    message: str = "control characters are not allowed",
    kind: str = "control_character",
) -> dict[str, Any]:
    return {"field": ".".join(loc), "loc": loc, "message": message, "type": kind}
