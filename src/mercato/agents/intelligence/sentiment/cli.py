"""The sentiment commands under `mercato intel`."""

from __future__ import annotations

import typer


def register(group: typer.Typer) -> None:
    """Add this part's commands to `mercato intel`."""
