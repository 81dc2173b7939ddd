"""The intelligence agent's commands, under `mercato intel`: each part adds its own
(`sentiment`, `forecast`, `ingest`, …)."""

from __future__ import annotations

import typer

from mercato.agents.intelligence.ask.cli import register as register_ask
from mercato.agents.intelligence.demand.cli import register as register_demand
from mercato.agents.intelligence.ingest.cli import register as register_ingest
from mercato.agents.intelligence.sentiment.cli import register as register_sentiment

cli = typer.Typer()
intel = typer.Typer(
    help="Commerce intelligence: questions and reports, sentiment, demand forecasts, "
    "ingestion of outside data.",
    no_args_is_help=True,
)
cli.add_typer(intel, name="intel")
register_sentiment(intel)
register_demand(intel)
register_ingest(intel)
register_ask(intel)
