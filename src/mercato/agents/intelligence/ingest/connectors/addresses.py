"""Where a source may not send Mercato: an outside source's URL is typed by staff, so a
request to a private, loopback, link-local or otherwise internal address (the cloud's
metadata service, the database, an admin port) is refused before it is sent, redirects
included, unless the deployment allows them (`MERCATO_INTEL_ALLOW_PRIVATE_HOSTS`, for a
source on the same machine or network)."""

from __future__ import annotations

import asyncio
import ipaddress
import socket

import httpx


class InternalAddress(Exception):  # noqa: N818 - a refusal, reported as the run's failure
    """The URL's host is, or resolves to, an internal address."""


def internal(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved
        or ip.is_multicast or ip.is_unspecified
    )  # fmt: skip


async def refuse_internal(request: httpx.Request) -> None:
    """An httpx request hook: raise `InternalAddress` for a host that is, or resolves to, an
    internal address. A name that does not resolve is let through: the request fails on it."""
    host = request.url.host
    try:
        found = await asyncio.get_running_loop().getaddrinfo(
            host, request.url.port or 443, type=socket.SOCK_STREAM
        )
    except OSError:
        return
    for *_, sockaddr in found:
        if internal(str(sockaddr[0])):
            raise InternalAddress(
                f"{host} is an internal address ({sockaddr[0]}): set "
                "MERCATO_INTEL_ALLOW_PRIVATE_HOSTS=true to fetch from this network"
            )
