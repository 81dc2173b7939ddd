"""`mercato notifications test` sends one message through the configured provider and says
what the provider answered; `mercato notifications send` drains what is due."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from mercato.cli import app

runner = CliRunner()


def test_a_test_mail_goes_through_the_local_provider(tmp_path: Path) -> None:
    env = {"MERCATO_DATA_DIR": str(tmp_path)}
    result = runner.invoke(app, ["notifications", "test", "--to", "ana@example.com"], env=env)
    assert result.exit_code == 0, result.output
    assert "sent by local" in result.output
    [mail] = list((tmp_path / "mail").glob("*.eml"))
    assert b"ana@example.com" in mail.read_bytes()


def test_a_provider_that_refuses_is_reported_not_raised(tmp_path: Path) -> None:
    env = {
        "MERCATO_DATA_DIR": str(tmp_path),
        "MERCATO_EMAIL_PROVIDER": "smtp",
        "MERCATO_SMTP_URL": "smtp://127.0.0.1:9",  # nothing listens there
    }
    result = runner.invoke(app, ["notifications", "test", "--to", "ana@example.com"], env=env)
    assert result.exit_code == 0, result.output
    assert "not sent" in result.output and "transient" in result.output


def test_send_drains_the_queue(tmp_path: Path) -> None:
    env = {"MERCATO_DATA_DIR": str(tmp_path)}
    result = runner.invoke(app, ["notifications", "send"], env=env)
    assert result.exit_code == 0, result.output
    assert "0 messages handed to their providers" in result.output


def test_a_wrong_channel_is_refused(tmp_path: Path) -> None:
    env = {"MERCATO_DATA_DIR": str(tmp_path)}
    result = runner.invoke(app, ["notifications", "test", "--to", "x", "--channel", "fax"], env=env)
    assert result.exit_code != 0
