"""Which forwarded headers the edge believes: none by default; a configured proxy's, with the
right-most address that is not itself a trusted proxy taken as the client."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from mercato.kernel.config import Settings
from mercato.kernel.proxies import TrustedProxies


def scope_from(peer: str) -> dict[str, Any]:
    return {"client": (peer, 5000), "scheme": "http"}


def test_no_proxy_is_trusted_by_default() -> None:
    trusted = TrustedProxies(Settings().forwarded_allow_ips)
    scope = scope_from("127.0.0.1")
    trusted.apply(scope, {"x-forwarded-for": "203.0.113.9", "x-forwarded-proto": "https"})
    assert scope == scope_from("127.0.0.1")


@pytest.mark.parametrize(
    "forwarded, client",
    [
        ("203.0.113.9", "203.0.113.9"),
        ("198.51.100.1, 203.0.113.9", "203.0.113.9"),  # the left part is the caller's claim
        ("203.0.113.9, 10.1.2.3", "203.0.113.9"),  # a second proxy of ours is skipped
        ("10.9.9.9, 10.1.2.3", "10.9.9.9"),
    ],
)
def test_a_trusted_proxy_names_the_client(forwarded: str, client: str) -> None:
    trusted = TrustedProxies("10.0.0.0/8, 192.0.2.1")
    scope = scope_from("10.0.0.2")
    trusted.apply(scope, {"x-forwarded-for": forwarded, "x-forwarded-proto": "https"})
    assert (scope["client"][0], scope["scheme"]) == (client, "https")


def test_an_untrusted_peer_keeps_its_own_address() -> None:
    scope = scope_from("192.0.2.7")
    TrustedProxies("192.0.2.1").apply(scope, {"x-forwarded-for": "203.0.113.9"})
    assert scope["client"][0] == "192.0.2.7"


def test_a_setting_that_is_not_an_address_is_refused_at_start() -> None:
    with pytest.raises(ValidationError):
        Settings(forwarded_allow_ips="localhost")
    assert Settings(forwarded_allow_ips="*").forwarded_allow_ips == "*"
