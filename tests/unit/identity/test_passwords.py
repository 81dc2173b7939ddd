"""The password policy and Argon2id hashing."""

from __future__ import annotations

import pytest

from mercato.agents.identity.passwords import Passwords, policy_problem


@pytest.mark.parametrize(
    "password", ["short", "123456789", "qwertyuiop", "1234567890", "password123"]
)
def test_short_or_common_passwords_are_refused(password: str) -> None:
    assert policy_problem(password) is not None


def test_a_password_containing_the_email_is_refused() -> None:
    assert policy_problem("marguerite-2026!", email="marguerite@example.com") is not None


def test_a_long_uncommon_password_is_accepted() -> None:
    assert policy_problem("correct-horse-battery-9", email="a@example.com") is None


async def test_hashes_are_argon2id_and_verify_only_the_right_password() -> None:
    passwords = Passwords(time_cost=1, memory_kib=1024, parallelism=1)
    hashed = await passwords.hash("correct-horse-battery-9")
    assert hashed.startswith("$argon2id$")
    assert await passwords.verify(hashed, "correct-horse-battery-9")
    assert not await passwords.verify(hashed, "correct-horse-battery-8")
    assert not await passwords.verify(None, "anything at all")  # unknown account
    assert not await passwords.verify("not-a-hash", "x")


def test_stronger_parameters_ask_for_a_rehash() -> None:
    weak = Passwords(time_cost=1, memory_kib=1024, parallelism=1)
    strong = Passwords(time_cost=2, memory_kib=2048, parallelism=1)
    assert strong.needs_rehash(weak._hasher.hash("x"))
