"""Schemathesis over the whole OpenAPI document, anonymous and as an admin: no answer is a
server error, and every answer keeps to the document (its status, its content type, its
body's schema).

The app runs in process (ASGI) on a demo store, so list routes answer real items. The run is
sized for CI (about a minute per caller on one core): a few examples per operation in the
examples, coverage and fuzzing phases, derandomized with a fixed seed so a failure repeats.
No operation is excluded. To explore further, raise MERCATO_SCHEMATHESIS_EXAMPLES or change
MERCATO_SCHEMATHESIS_SEED; `schemathesis run` over a served `/openapi.json` runs the same
checks at any size.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterator

import pytest
import schemathesis
from schemathesis.engine import events
from schemathesis.python import asgi

from mercato.app import create_app
from mercato.demo import seed_demo
from mercato.kernel.config import Settings
from tests.conftest import ADMIN_KEY

EXAMPLES = int(os.environ.get("MERCATO_SCHEMATHESIS_EXAMPLES", "3"))
SEED = int(os.environ.get("MERCATO_SCHEMATHESIS_SEED", "20260412"))
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
]
CALLERS = {"anonymous": {}, "admin": {"Authorization": f"Bearer {ADMIN_KEY}"}}


def run_config(headers: dict[str, str]) -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "headers": headers,
            # a heavy request (generating 9,999 test records) may take more than the default
            # 10 s on a loaded CI machine: a slow answer is not a broken one
            "request-timeout": 60,
            "cache": {"enabled": False},
            "generation": {
                "mode": "all",  # valid requests and invalid ones
                "max-examples": EXAMPLES,
                "deterministic": True,
                "database": "none",
            },
            "phases": {
                "examples": {"enabled": True},
                "coverage": {"enabled": True},
                "fuzzing": {"enabled": True},
                "stateful": {"enabled": False},  # the document has no links to follow
            },
            "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
        }
    )


def failures_of(run: Iterator[events.EngineEvent]) -> tuple[int, list[str]]:
    """(cases sent, one line per distinct failure with a curl command to repeat it)."""
    cases, found = 0, {}
    for event in run:
        if isinstance(event, events.ScenarioFinished):
            cases += len(event.recorder.cases)
            for checks in event.recorder.checks.values():
                for check in checks:
                    if check.failure_info is None:
                        continue
                    failure = check.failure_info.failure
                    key = (event.recorder.label, check.name, failure.title)
                    found.setdefault(
                        key,
                        f"{event.recorder.label}: {check.name}: {failure.title}\n"
                        f"    {failure.message.strip()[:500]}\n"
                        f"    {check.failure_info.code_sample.strip()[:800]}",
                    )
        elif isinstance(event, events.NonFatalError | events.FatalError):
            found.setdefault((event.__class__.__name__, str(event.id)), f"error: {event.info}")
    return cases, list(found.values())


@pytest.fixture
def demo_store(make_settings: Callable[..., Settings]) -> Iterator[Settings]:
    settings = make_settings("sqlite")
    asyncio.run(seed_demo(settings, products=12, seed=7))
    yield settings
    asgi.shutdown_lifespans()  # the app's kernel, started in schemathesis's event loop


@pytest.mark.parametrize("caller", sorted(CALLERS))
def test_every_operation_keeps_to_the_document(caller: str, demo_store: Settings) -> None:
    # given the whole app on a demo store, and its own OpenAPI document
    app = create_app(demo_store)
    schema = schemathesis.openapi.from_asgi(
        "/openapi.json", app, config=run_config(CALLERS[caller])
    )
    operations = list(schema.get_all_operations())
    assert len(operations) > 90
    # when schemathesis calls every operation of it as this caller
    cases, failures = failures_of(schemathesis.engine.from_schema(schema).execute())
    # then every answer is no server error, with a declared status, content type and schema
    assert cases > 10 * len(operations)
    assert failures == [], f"{len(failures)} failures over {cases} cases:\n" + "\n".join(failures)
