"""Which proxies' `X-Forwarded-For` / `X-Forwarded-Proto` the edge believes.

None by default: a header anyone can send must not choose the address that rate limits count
by, nor claim HTTPS. The operator lists the proxies in `MERCATO_FORWARDED_ALLOW_IPS`
(addresses or networks, comma-separated; `*` for any, only behind a balancer they control).
The client is the right-most address of `X-Forwarded-For` that is not itself a trusted proxy.
"""

from __future__ import annotations

import ipaddress
from collections.abc import MutableMapping
from typing import Any

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class TrustedProxies:
    def __init__(self, spec: str) -> None:
        items = [item.strip() for item in spec.split(",") if item.strip()]
        self.any = "*" in items
        self.networks: list[Network] = [
            ipaddress.ip_network(item, strict=False) for item in items if item != "*"
        ]

    def __bool__(self) -> bool:
        return self.any or bool(self.networks)

    def trusts(self, host: str | None) -> bool:
        if host is None:
            return False
        if self.any:
            return True
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        return any(address in network for network in self.networks)

    def apply(self, scope: MutableMapping[str, Any], headers: dict[str, str]) -> None:
        """Rewrite the scope's client and scheme from a trusted proxy's headers, in place."""
        client = scope.get("client")
        if not self or client is None or not self.trusts(client[0]):
            return
        proto = headers.get("x-forwarded-proto", "").split(",")[-1].strip().lower()
        if proto in {"http", "https"}:
            scope["scheme"] = proto
        forwarded = [h.strip() for h in headers.get("x-forwarded-for", "").split(",") if h.strip()]
        for hop in reversed(forwarded):
            if not self.trusts(hop):
                scope["client"] = (hop, 0)
                return
        if forwarded:  # every hop is a trusted proxy: the left-most is the closest we know
            scope["client"] = (forwarded[0], 0)
