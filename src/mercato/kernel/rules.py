"""Business rules (BR…): each written once, where it is enforced, and registered by its id.

    @business_rule("BR001", name="cart_item_quantity", entity="cart_item",
                   condition="a line is added or changed",
                   constraint="quantity is between 1 and 99", status=422)
    def quantity_in_range(*, quantity: int) -> bool:
        return 1 <= quantity <= 99

    await rules.enforce("BR001", quantity=line.quantity)

The registry is what the knowledge catalog shows, so the rule shown is the rule run. Calls
are counted, so a test can find rules that are registered but never enforced.
"""

from __future__ import annotations

import inspect
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal

from mercato.kernel.errors import Problem

Severity = Literal["error", "warning", "info"]
Check = Callable[..., bool | Awaitable[bool]]


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    entity: str
    condition: str
    constraint: str
    severity: Severity
    status: int
    check: Check

    @property
    def code(self) -> str:
        """The problem code clients see when the rule is broken, e.g. `br011_unique_email`."""
        return f"{self.id.lower()}_{self.name}"

    @property
    def source(self) -> str:
        return f"{self.check.__module__}.{self.check.__qualname__}"


class RuleViolated(Problem):
    title = "A business rule was broken"

    def __init__(self, rule: Rule, detail: str | None = None, **extra: Any) -> None:
        super().__init__(detail or rule.constraint, rule=rule.id, **extra)
        self.status, self.code = rule.status, rule.code


_rules: dict[str, Rule] = {}
_calls: Counter[str] = Counter()


def business_rule(
    rule_id: str,
    *,
    name: str,
    entity: str,
    condition: str,
    constraint: str,
    severity: Severity = "error",
    status: int = 422,
) -> Callable[[Check], Check]:
    """Register the decorated check (true when the rule holds) as rule `rule_id`."""

    def register(check: Check) -> Check:
        rule = Rule(rule_id, name, entity, condition, constraint, severity, status, check)
        existing = _rules.get(rule_id)
        if existing is not None and existing.source != rule.source:
            raise ValueError(f"{rule_id} is already {existing.source}")
        _rules[rule_id] = rule
        return check

    return register


async def holds(rule_id: str, **facts: Any) -> bool:
    """Evaluate a rule without raising (counted like an enforcement)."""
    rule = get(rule_id)
    _calls[rule_id] += 1
    result = rule.check(**facts)
    return bool(await result) if inspect.isawaitable(result) else bool(result)


def evaluate(rule_id: str, **facts: Any) -> bool:
    """Whether a rule holds for `facts`, checked synchronously and NOT counted as an
    enforcement: for judging data (generated test data, reports) without making a rule
    nobody enforces look enforced. `TypeError` for a rule whose check is async (it needs a
    unit of work): evaluate its meaning another way."""
    check = get(rule_id).check
    code = getattr(check, "__code__", None)  # a plain function: its flags say it at once
    if (
        code.co_flags & inspect.CO_COROUTINE
        if code is not None
        else inspect.iscoroutinefunction(check)
    ):
        raise TypeError(f"{rule_id} is checked asynchronously; it cannot be evaluated here")
    return bool(check(**facts))


async def enforce(rule_id: str, *, detail: str | None = None, **facts: Any) -> None:
    """Raise `RuleViolated` (the rule's status and code) unless the rule holds."""
    if not await holds(rule_id, **facts):
        raise RuleViolated(get(rule_id), detail)


def get(rule_id: str) -> Rule:
    try:
        return _rules[rule_id]
    except KeyError:
        raise KeyError(f"no business rule {rule_id!r} is registered") from None


def registered() -> list[Rule]:
    return sorted(_rules.values(), key=lambda r: r.id)


def enforcement_counts() -> Counter[str]:
    return Counter(_calls)
