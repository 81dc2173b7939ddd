"""What the edge refuses before any route sees a request: JSON that is not UTF-8 or nests
deeper than `MAX_JSON_DEPTH` (400 `malformed_json`), and control characters in any text,
whether a JSON string (keys included) or a query parameter (422 `validation_failed`).

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

_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_MAYBE_IN_JSON = re.compile(
    r"[\x7f-\x9f]|\\u00[01][0-8bcefBCEF]|\\u001[0-9a-fA-F]|\\u007[fF]|\\u00[89][0-9a-fA-F]"
    r"|\\u[dD][89abAB]"
)
"""A cheap scan of the raw text: only a body that matches is walked string by string."""


class MalformedBodyError(ValueError):
    """The body cannot be read as JSON (400)."""


def check_json(raw: bytes) -> list[dict[str, Any]]:
    """Field errors for the text of a JSON body (empty when it is clean); raises
    `MalformedBodyError` when it is not UTF-8, not JSON, or nested too deep."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedBodyError(f"the body is not valid UTF-8 (byte {exc.start})") from None
    try:
        document = json.loads(text)
    except RecursionError:
        raise MalformedBodyError(f"the body nests deeper than {MAX_JSON_DEPTH} levels") from None
    except ValueError:
        raise MalformedBodyError("the body is not valid JSON") from None
    if _depth(document) > MAX_JSON_DEPTH:
        raise MalformedBodyError(f"the body nests deeper than {MAX_JSON_DEPTH} levels")
    if not _MAYBE_IN_JSON.search(text):
        return []
    return [_error(["body", *path]) for path in _control_characters(document, [])]


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
        if _FORBIDDEN.search(name) or _FORBIDDEN.search(value):
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


def _control_characters(node: Any, path: list[str]) -> list[list[str]]:
    found: list[list[str]] = []
    if isinstance(node, str):
        if _FORBIDDEN.search(node):
            found.append(path)
    elif isinstance(node, dict):
        for key, value in node.items():
            if _FORBIDDEN.search(key):
                found.append([*path, key])
            found += _control_characters(value, [*path, key])
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _control_characters(value, [*path, str(index)])
    return found


def _error(
    loc: list[str],
    message: str = "control characters are not allowed",
    kind: str = "control_character",
) -> dict[str, Any]:
    return {"field": ".".join(loc), "loc": loc, "message": message, "type": kind}
