"""Signing keys, access tokens (EdDSA JWTs with a `kid`) and the JWKS.

Embedded mode generates an Ed25519 key into `<data dir>/keys/` on first run; scaled mode
reads PEM keys from `MERCATO_JWT_SIGNING_KEYS` (newest first). A key's id is its RFC 7638
thumbprint, so every process derives the same `kid`. Rotation adds a newer key: tokens are
signed with the newest and verified with any key still listed, so tokens signed before the
rotation stay valid until they expire.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from mercato.kernel.errors import Unauthorized
from mercato.kernel.ids import new_id

ALGORITHM = "EdDSA"


class InvalidToken(Unauthorized):
    code, title = "invalid_token", "The access token is not valid"


class TokenExpired(Unauthorized):
    code, title = "token_expired", "The access token has expired"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private: Ed25519PrivateKey
    public: Ed25519PublicKey

    @classmethod
    def from_private(cls, private: Ed25519PrivateKey) -> SigningKey:
        public = private.public_key()
        raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        thumbprint = json.dumps(
            {"crv": "Ed25519", "kty": "OKP", "x": _b64(raw)}, separators=(",", ":"), sort_keys=True
        )
        return cls(_b64(hashlib.sha256(thumbprint.encode()).digest())[:16], private, public)

    @classmethod
    def from_pem(cls, pem: str | bytes) -> SigningKey:
        key = serialization.load_pem_private_key(
            pem.encode() if isinstance(pem, str) else pem, password=None
        )
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("JWT signing keys must be Ed25519")
        return cls.from_private(key)

    def pem(self) -> bytes:
        return self.private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    def jwk(self) -> dict[str, str]:
        raw = self.public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return {
            "kty": "OKP",
            "crv": "Ed25519",
            "x": _b64(raw),
            "kid": self.kid,
            "alg": ALGORITHM,
            "use": "sig",
        }


class Keyring:
    """The keys this deployment signs and verifies with; the first one signs."""

    def __init__(self, keys: list[SigningKey], directory: Path | None = None) -> None:
        if not keys:
            raise ValueError("a keyring needs at least one key")
        self.keys = keys
        self.directory = directory
        self._by_kid = {k.kid: k for k in keys}

    @classmethod
    def from_pems(cls, pems: list[str]) -> Keyring:
        return cls([SigningKey.from_pem(p) for p in pems])

    @classmethod
    def from_directory(cls, directory: Path) -> Keyring:
        """Load `*.pem` newest first, creating the first key if there is none."""
        directory.mkdir(parents=True, exist_ok=True)
        files = sorted(directory.glob("*.pem"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        if not files:
            return cls([cls.generate_into(directory)], directory)
        return cls([SigningKey.from_pem(f.read_bytes()) for f in files], directory)

    @staticmethod
    def generate_into(directory: Path) -> SigningKey:
        key = SigningKey.from_private(Ed25519PrivateKey.generate())
        path = directory / f"{key.kid}.pem"
        path.touch(mode=0o600)
        path.write_bytes(key.pem())
        return key

    def reload(self) -> None:
        if self.directory is not None:
            fresh = Keyring.from_directory(self.directory)
            self.keys, self._by_kid = fresh.keys, fresh._by_kid

    @property
    def signing(self) -> SigningKey:
        return self.keys[0]

    def find(self, kid: str) -> SigningKey | None:
        key = self._by_kid.get(kid)
        if key is None and self.directory is not None:
            self.reload()  # another process may have rotated
            key = self._by_kid.get(kid)
        return key

    def jwks(self) -> dict[str, Any]:
        return {"keys": [k.jwk() for k in self.keys]}


@dataclass(frozen=True)
class AccessClaims:
    subject: str
    tenant_id: str
    roles: list[str]
    merchant_id: str | None
    session_id: str | None
    expires_at: datetime
    version: int
    """The account's `auth_version` when the token was issued."""


REQUIRED_CLAIMS = ["exp", "iat", "sub", "iss", "tid", "ver"]


class TokenService:
    def __init__(self, keyring: Keyring, *, issuer: str, ttl: int) -> None:
        self.keyring = keyring
        self.issuer = issuer
        self.ttl = ttl

    def issue(
        self,
        *,
        subject: str,
        tenant_id: str,
        roles: list[str],
        merchant_id: str | None,
        session_id: str | None,
        version: int,
        now: datetime,
    ) -> str:
        key = self.keyring.signing
        claims = {
            "iss": self.issuer,
            "sub": subject,
            "tid": tenant_id,
            "roles": roles,
            "mid": merchant_id,
            "sid": session_id,
            "ver": version,
            "iat": int(now.timestamp()),
            "exp": int((now + timedelta(seconds=self.ttl)).timestamp()),
            "jti": new_id(),
        }
        return jwt.encode(claims, key.private, algorithm=ALGORITHM, headers={"kid": key.kid})

    def verify(self, token: str) -> AccessClaims:
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.PyJWTError:
            raise InvalidToken("malformed token") from None
        key = self.keyring.find(kid) if isinstance(kid, str) else None
        if key is None:
            raise InvalidToken("the token was signed by an unknown key")
        try:
            claims = jwt.decode(
                token,
                key.public,
                algorithms=[ALGORITHM],
                issuer=self.issuer,
                options={"require": REQUIRED_CLAIMS},
            )
        except jwt.ExpiredSignatureError:
            raise TokenExpired() from None
        except jwt.PyJWTError:
            raise InvalidToken("the token's signature or claims are not valid") from None
        return _claims(claims)


def _claims(claims: dict[str, Any]) -> AccessClaims:
    """The claims, each of the type Mercato issues it with: a validly signed token of any
    other shape (a key shared with another issuer, an old format) is `invalid_token`."""
    roles = claims.get("roles", [])
    optional = (claims.get("mid"), claims.get("sid"))
    well_formed = (
        isinstance(claims["sub"], str)
        and isinstance(claims["tid"], str)
        and isinstance(claims["ver"], int)
        and not isinstance(claims["ver"], bool)
        and isinstance(claims["exp"], int | float)
        and isinstance(roles, list)
        and all(isinstance(r, str) for r in roles)
        and all(v is None or isinstance(v, str) for v in optional)
    )
    if not well_formed:
        raise InvalidToken("the token's claims are not of Mercato's shape")
    return AccessClaims(
        claims["sub"],
        claims["tid"],
        list(roles),
        optional[0],
        optional[1],
        datetime.fromtimestamp(claims["exp"]).astimezone(),
        claims["ver"],
    )
