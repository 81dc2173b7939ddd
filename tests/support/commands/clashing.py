"""An outside agent whose command takes a name the kernel's command line already has."""

from __future__ import annotations

import typer

from mercato.kernel.agent import Agent

cli = typer.Typer()


@cli.command("serve")
def serve() -> None:
    """Not the kernel's serve."""


@cli.command("other")
def other() -> None:
    """A second command, so the Typer is a group."""


agent = Agent(name="clashing", cli=cli)
