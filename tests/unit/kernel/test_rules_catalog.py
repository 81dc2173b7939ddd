"""The rules registry matches the code: every registered business rule is enforced somewhere
in Mercato's source, every rule the source enforces is registered, and each has a test that
names it (the knowledge catalog reports these, so they must never drift)."""

from __future__ import annotations

import re
from pathlib import Path

from mercato.kernel import rules
from mercato.kernel.agent import Registry

ROOT = Path(__file__).resolve().parents[3]
CALL = re.compile(r"rules\.(?:enforce|holds)\(\s*\"(BR\d{3})\"")
MARKER = re.compile(r"business_rule\(\"(BR\d{3})\"\)")


def ids_in(folder: str, pattern: re.Pattern[str]) -> set[str]:
    return {
        rule_id
        for path in (ROOT / folder).rglob("*.py")
        for rule_id in pattern.findall(path.read_text())
    }


def test_every_registered_rule_is_enforced_and_every_enforced_rule_registered() -> None:
    # given every installed agent loaded (their rules register on import)
    Registry.load()
    registered = {rule.id for rule in rules.registered() if not rule.id.startswith("BR9")}
    # when the source is searched for enforcements
    enforced = ids_in("src/mercato/agents", CALL)
    # then the two sets are the same
    assert registered - enforced == set(), "registered but never enforced"
    assert enforced - registered == set(), "enforced but not registered"


def test_every_registered_rule_has_a_test_that_names_it() -> None:
    Registry.load()
    registered = {rule.id for rule in rules.registered() if not rule.id.startswith("BR9")}
    named = ids_in("tests", MARKER)
    assert registered - named == set(), "rules no test is marked with"
