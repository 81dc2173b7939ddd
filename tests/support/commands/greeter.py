"""An outside agent (named by its module path in MERCATO_AGENTS) with a command group."""

from __future__ import annotations

import typer

from mercato.kernel.agent import Agent

cli = typer.Typer()
greetings = typer.Typer(help="Greetings.", no_args_is_help=True)
cli.add_typer(greetings, name="greet")


@greetings.command("hello")
def hello(name: str) -> None:
    """Say hello."""
    typer.echo(f"hello {name}")


agent = Agent(name="greeter", cli=cli)
