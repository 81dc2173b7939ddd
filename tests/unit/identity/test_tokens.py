"""Access tokens: EdDSA JWTs with a kid, verified against the keyring; keys rotate."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
import pytest

from mercato.agents.identity.tokens import InvalidToken, Keyring, TokenExpired, TokenService

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def issue(service: TokenService, now: datetime = NOW) -> str:
    return service.issue(
        subject="user-1",
        tenant_id="shop-a",
        roles=["customer"],
        merchant_id=None,
        session_id=None,
        version=0,
        now=now,
    )


@pytest.fixture
def service(tmp_path: Path) -> TokenService:
    return TokenService(Keyring.from_directory(tmp_path / "keys"), issuer="mercato", ttl=900)


def test_a_token_carries_the_principal_and_verifies(service: TokenService) -> None:
    token = issue(service, datetime.now(UTC))
    claims = service.verify(token)
    assert (claims.subject, claims.tenant_id, claims.roles) == ("user-1", "shop-a", ["customer"])
    assert jwt.get_unverified_header(token)["kid"] == service.keyring.signing.kid
    assert jwt.get_unverified_header(token)["alg"] == "EdDSA"


def test_an_expired_token_is_refused(service: TokenService) -> None:
    token = issue(service, datetime.now(UTC) - timedelta(minutes=16))
    with pytest.raises(TokenExpired):
        service.verify(token)


def test_a_tampered_token_is_refused(service: TokenService) -> None:
    header, payload, signature = issue(service, datetime.now(UTC)).split(".")
    forged = jwt.utils.base64url_encode(
        jwt.utils.base64url_decode(payload).replace(b"customer", b'admin"  ')
    ).decode()
    with pytest.raises(InvalidToken):
        service.verify(f"{header}.{forged}.{signature}")


def test_a_token_signed_by_an_unknown_key_is_refused(service: TokenService, tmp_path: Path) -> None:
    stranger = TokenService(Keyring.from_directory(tmp_path / "other"), issuer="mercato", ttl=900)
    with pytest.raises(InvalidToken, match="unknown key"):
        service.verify(issue(stranger, datetime.now(UTC)))


def test_a_token_with_a_forged_kid_is_refused(service: TokenService, tmp_path: Path) -> None:
    stranger = Keyring.from_directory(tmp_path / "other").signing
    token = jwt.encode(
        {"sub": "x", "iss": "mercato", "iat": 1, "exp": 4_000_000_000},
        stranger.private,
        algorithm="EdDSA",
        headers={"kid": service.keyring.signing.kid},
    )
    with pytest.raises(InvalidToken):
        service.verify(token)


def test_after_a_rotation_old_tokens_still_verify_and_new_ones_use_the_new_key(
    service: TokenService,
) -> None:
    before = issue(service, datetime.now(UTC))
    assert service.keyring.directory is not None
    newest = Keyring.generate_into(service.keyring.directory)
    service.keyring.reload()
    after = issue(service, datetime.now(UTC))
    assert jwt.get_unverified_header(after)["kid"] == newest.kid
    assert service.verify(before).subject == service.verify(after).subject == "user-1"
    assert {k["kid"] for k in service.keyring.jwks()["keys"]} == {
        newest.kid,
        jwt.get_unverified_header(before)["kid"],
    }


def test_the_kid_is_the_same_in_every_process(tmp_path: Path) -> None:
    one = Keyring.from_directory(tmp_path / "keys")
    two = Keyring.from_pems([one.signing.pem().decode()])
    assert one.signing.kid == two.signing.kid
    assert one.jwks() == two.jwks()
