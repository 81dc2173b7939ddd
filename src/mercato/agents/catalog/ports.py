"""What the catalog asks of other agents, as ports they implement and the kernel wires.

`ProductWords` is how the listing's `q` is answered when the search agent is installed (it
provides it in its `setup`): the search index's words (stemmed, with the store's synonyms,
the last word as typed so far a prefix) instead of the catalog's own substring match.

`AvailableStock` is how the availability read model (`service.refresh_availability`) asks
inventory for the stock it copies: the inventory agent provides it in its `setup`. The
catalog never imports inventory's service (inventory imports the catalog's to name
variants, and imports run one way); it learns that stock changed from inventory's events.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass

from mercato.kernel.db import UnitOfWork


@dataclass(frozen=True)
class AvailableStock:
    of: Callable[[UnitOfWork, Sequence[str]], Awaitable[Mapping[str, int]]]
    """Units available to sell per variant (variants with no stock are absent: 0)."""


@dataclass(frozen=True)
class ProductWords:
    matching: Callable[[UnitOfWork, str, int], Awaitable[list[str]]]
    """The ids of the store's sellable products with every word of the text (or a synonym),
    at most `limit` of them, best first."""
