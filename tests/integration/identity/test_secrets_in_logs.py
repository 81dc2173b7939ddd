"""Passwords, tokens and keys never reach the logs."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import pytest
import structlog

from mercato.kernel.bootstrap import Kernel
from mercato.kernel.config import Settings
from mercato.kernel.observability import configure_logging
from tests.conftest import ADMIN_KEY, DB_STACKS
from tests.integration.identity.conftest import (
    add_store,
    build_identity_kernel,
    create_api_key,
    guest_headers,
    in_store,
    login,
    mails,
    new_email,
    new_password,
)
from tests.support.http import client_for

# -- secrets never reach the logs ---------------------------------------------------------


async def mail_token(kernel: Kernel, to: str, subject: str) -> str:
    """The token of the last link mailed to `to` with `subject` (the local mail drop)."""
    found = [
        body.split("token=", 1)[1].split(maxsplit=1)[0]
        for address, title, body in await mails(kernel)
        if address == to and title == subject
    ]
    assert found, f"no mail {subject!r} to {to}"
    return found[-1]


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """Put back structlog's configuration and SQLAlchemy's echo handlers after a test that
    writes to captured streams."""
    config = structlog.get_config()
    engine_log = logging.getLogger("sqlalchemy.engine.Engine")
    handlers = list(engine_log.handlers)
    yield
    for handler in engine_log.handlers[:]:
        if handler not in handlers:
            engine_log.removeHandler(handler)
    structlog.configure(**config)


@pytest.mark.usefixtures("restore_logging")
@pytest.mark.parametrize("stack", DB_STACKS)
async def test_passwords_and_tokens_never_reach_the_logs(
    stack: str,
    make_settings: Callable[..., Settings],
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    # given logs at their most talkative: structured DEBUG lines, SQL statements and their
    # parameters, every library's records
    settings = make_settings(stack, log_level="DEBUG", database_echo=True)
    configure_logging(settings)
    caplog.set_level(logging.DEBUG)
    kernel = await build_identity_kernel(settings)
    await add_store(kernel, "shop-b")
    secrets: dict[str, str] = {"bootstrap admin key": ADMIN_KEY}
    try:
        async with client_for(kernel, start=False) as client:
            # when a guest registers, signs in, refreshes, fails a login, resets the password,
            # and an integration uses an API key
            guest = await guest_headers(client)
            secrets["session token"] = guest["x-session-token"]
            email, password = new_email("logged"), new_password()
            secrets["password"] = password
            body = {"email": email, "password": password, "full_name": "Lou"}
            registered = await client.post("/v1/auth/register", json=body, headers=guest)
            assert registered.status_code == 201, registered.text
            secrets["verification token"] = await mail_token(
                kernel, email, "Confirm your email address"
            )

            pair = (await login(client, email, password)).json()
            secrets |= {
                "access token": pair["access_token"],
                "refresh token": pair["refresh_token"],
            }
            bearer = {"authorization": f"Bearer {pair['access_token']}"}
            assert (await client.get("/v1/me", headers=bearer)).status_code == 200
            # a token shown to another store is logged as a security violation
            mismatch = await client.get("/v1/me", headers=in_store("shop-b", bearer))
            assert mismatch.json()["code"] == "token_tenant_mismatch"

            refreshed = await client.post(
                "/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]}
            )
            assert refreshed.status_code == 200, refreshed.text
            secrets["rotated access token"] = refreshed.json()["access_token"]
            secrets["rotated refresh token"] = refreshed.json()["refresh_token"]

            secrets["wrong password"] = "Not-The-Right-Password-42"
            failed = await login(client, email, secrets["wrong password"])
            assert failed.status_code == 401

            reset = await client.post("/v1/auth/password-reset", json={"email": email})
            assert reset.status_code == 202
            secrets["reset token"] = await mail_token(kernel, email, "Reset your password")
            secrets["new password"] = new_password()
            confirmed = await client.post(
                "/v1/auth/password-reset/confirm",
                json={"token": secrets["reset token"], "new_password": secrets["new password"]},
            )
            assert confirmed.status_code == 204, confirmed.text
            again = await login(client, email, secrets["new password"])
            assert again.status_code == 200
            secrets["new access token"] = again.json()["access_token"]

            secrets["API key"], key_headers = await create_api_key(client, ["support"])
            assert (await client.get("/v1/admin/users", headers=key_headers)).status_code == 200
    finally:
        await kernel.stop()
    captured = capsys.readouterr()
    output = "\n".join([captured.out, captured.err, caplog.text])
    # then the logs did record the work, and no secret appears in them
    assert "security_violation" in output and "INSERT INTO users" in output
    leaked = [name for name, secret in secrets.items() if secret in output]
    assert leaked == [], f"found in the logs: {leaked}"
