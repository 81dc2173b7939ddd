"""Dependencies an agent needs are typed and built once, by the agent's `setup`: asked for
by type from the kernel or a unit of work, the same object every time, and a clear error
(not one built on the fly) when the agent that wires it is not installed."""

from __future__ import annotations

from pathlib import Path

import pytest

from mercato.agents.catalog.ports import AvailableStock
from mercato.agents.payments.providers.registry import Gateways
from mercato.kernel.agent import Registry
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.config import Settings
from mercato.kernel.wiring import NotWiredError, Wiring


class Mailer:
    """A dependency some agent needs."""


def test_a_provided_dependency_is_returned_by_its_type() -> None:
    wiring, mailer = Wiring(), Mailer()
    wiring.provide(Mailer, mailer)
    assert wiring.get(Mailer) is mailer
    assert Mailer in wiring


def test_a_type_is_provided_once() -> None:
    wiring, first = Wiring(), Mailer()
    wiring.provide(Mailer, first)
    with pytest.raises(ValueError, match="Mailer is provided twice"):
        wiring.provide(Mailer, Mailer())
    assert wiring.get(Mailer) is first


def test_a_value_of_another_type_is_refused() -> None:
    wiring = Wiring()
    with pytest.raises(TypeError):
        wiring.provide(Mailer, "smtp://nowhere")  # type: ignore[arg-type]
    assert Mailer not in wiring


def test_asking_for_what_nothing_provides_names_it() -> None:
    with pytest.raises(NotWiredError, match=r"test_wiring\.Mailer"):
        Wiring().get(Mailer)


def test_taking_a_dependency_back_removes_it() -> None:
    wiring, mailer = Wiring(), Mailer()
    wiring.provide(Mailer, mailer)
    assert wiring.take(Mailer) is mailer
    assert wiring.take(Mailer) is None and Mailer not in wiring


async def test_the_kernel_and_its_units_of_work_share_what_the_agents_set_up(
    tmp_path: Path,
) -> None:
    # given a kernel of the installed agents
    kernel = Kernel.build(Settings(data_dir=tmp_path))
    try:
        # then the payments agent's gateways and inventory's stock port are wired, once
        gateways = kernel.deps(Gateways)
        async with kernel.uow(writes=False) as uow:
            assert uow.deps(Gateways) is gateways
            assert isinstance(uow.deps(AvailableStock), AvailableStock)
    finally:
        await kernel.db.dispose()


async def test_without_the_agent_that_wires_it_a_dependency_is_an_error(tmp_path: Path) -> None:
    # given a kernel without the payments agent
    kernel = Kernel.build(
        Settings(data_dir=tmp_path), agents=Registry.load(["catalog"]).agents.values()
    )
    try:
        # then its gateways are not built on the fly: asking is a clear error
        async with kernel.uow(writes=False) as uow:
            with pytest.raises(NotWiredError, match="Gateways"):
                uow.deps(Gateways)
    finally:
        await kernel.db.dispose()
