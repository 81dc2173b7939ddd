"""The workflows as Mercato performs them now: each step's code resolved against the running
process (`performed`: the function exists where the spec says), its saga step, the rules
it enforces as registered, and the edge cases that concern the workflow."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from mercato.agents.knowledge.workflow_specs import WORKFLOWS, StepSpec, WorkflowSpec
from mercato.kernel import rules


@dataclass(frozen=True)
class Step:
    order: int
    spec: StepSpec
    performed: bool
    """The code it names exists in this process."""
    source: str | None
    """Where that code is (file:line), for the curious."""


@dataclass(frozen=True)
class Workflow:
    spec: WorkflowSpec
    steps: list[Step]
    rules: list[rules.Rule]
    missing_rules: list[str]
    """Rule ids the workflow needs that no code registers yet."""

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def implemented(self) -> bool:
        """Mercato can run it: its first step is performed (later steps may not all be,
        e.g. checkout's confirmation notice before a notifications agent exists)."""
        return bool(self.steps) and self.steps[0].performed

    @property
    def steps_performed(self) -> int:
        return sum(step.performed for step in self.steps)


def names() -> list[str]:
    return [w.name for w in WORKFLOWS]


def workflow(name: str) -> Workflow | None:
    spec = next((w for w in WORKFLOWS if w.name == name), None)
    return None if spec is None else describe(spec)


def describe(spec: WorkflowSpec) -> Workflow:
    """A workflow spec as this process performs it: each step's code resolved now."""
    registered = {r.id: r for r in rules.registered()}
    return Workflow(
        spec=spec,
        steps=[_step(n, step) for n, step in enumerate(spec.steps, start=1)],
        rules=[registered[r] for r in spec.business_rules if r in registered],
        missing_rules=[r for r in spec.business_rules if r not in registered],
    )


def workflows(entity: str | None = None) -> list[Workflow]:
    found = [w for w in (workflow(name) for name in names()) if w is not None]
    return [w for w in found if entity is None or entity in w.spec.involved_entities]


def _step(order: int, spec: StepSpec) -> Step:
    if spec.performed_by is None:
        return Step(order, spec, False, None)
    module_name, _, attribute = spec.performed_by.rpartition(".")
    try:
        target = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError):
        return Step(order, spec, False, None)
    code = getattr(target, "__code__", None)
    source = f"{code.co_filename.split('/src/')[-1]}:{code.co_firstlineno}" if code else None
    return Step(order, spec, True, source)
