"""The notifications agent's secret: it signs one-click unsubscribe links and is the key in
the SES webhook's address. Scaled deployments set it (every process must agree); embedded
mode keeps one in the data directory; without it a scaled one derives it from the
signing keys every host shares."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from mercato.kernel.config import Settings


def load_secret(settings: Settings) -> bytes:
    configured = settings.notifications_webhook_secret
    if configured is not None:
        return configured.get_secret_value().encode()
    if settings.jwt_signing_keys:
        # every host of a scaled deployment has the same keys; set the secret itself to keep
        # unsubscribe links working across a rotation of the oldest key
        return hashlib.sha256(
            b"mercato notifications\0" + settings.jwt_signing_keys[-1].encode()
        ).digest()
    path = Path(settings.data_dir) / "notifications-secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip().encode()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(secret: bytes, payload: str) -> str:
    """`payload.signature`, both URL-safe: a link nobody can forge for another address."""
    mac = hmac.new(secret, payload.encode(), hashlib.sha256).digest()[:18]
    return f"{_b64(payload.encode())}.{_b64(mac)}"


def unsign(secret: bytes, token: str) -> str | None:
    """The payload of a token `sign` made with `secret`, or None."""
    try:
        body, mac = token.split(".", 1)
        payload = _unb64(body).decode()
        given = _unb64(mac)
    except (ValueError, UnicodeDecodeError):
        return None
    wanted = hmac.new(secret, payload.encode(), hashlib.sha256).digest()[:18]
    return payload if hmac.compare_digest(given, wanted) else None


def webhook_key(secret: bytes, provider: str) -> str:
    """The path segment of a provider's webhook address (`/webhooks/ses/<key>`)."""
    return _b64(hmac.new(secret, f"webhook:{provider}".encode(), hashlib.sha256).digest()[:24])


LINK_MARK = "[[one-time-link]]"
"""Where a sensitive message's link goes in its stored bodies: the link itself is kept
sealed (`seal`) until the sender puts it in, so no row, log line or SQL echo holds it."""


def _sealing_key(secret: bytes) -> bytes:
    return hashlib.sha256(b"mercato notifications seal\0" + secret).digest()


def seal(secret: bytes, text: str) -> str:
    """AES-GCM under a key derived from the secret: URL-safe base64 of nonce and ciphertext."""
    nonce = secrets.token_bytes(12)
    return _b64(nonce + AESGCM(_sealing_key(secret)).encrypt(nonce, text.encode(), None))


def unseal(secret: bytes, sealed: str) -> str | None:
    try:
        raw = _unb64(sealed)
        return AESGCM(_sealing_key(secret)).decrypt(raw[:12], raw[12:], None).decode()
    except (ValueError, InvalidTag, UnicodeDecodeError):
        return None
