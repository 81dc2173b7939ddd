"""The garbage collector of a long-running process, settled once start-up is over.

A server allocates most of what it keeps while starting (modules, ORM mappers, the route
table, the knowledge index): left in the collector's oldest generation, every full
collection walks all of it again, and a full collection on a busy server is the pause a
request's p99 sees. `settle()` collects once, then freezes what survived (`gc.freeze()`:
the start-up heap moves to a permanent generation no collection looks at) and raises the
young generation's threshold, so requests' short-lived objects are collected in fewer,
equally cheap passes. Reference counting still frees almost everything at once; only
cycles wait for a collection, and they still get one.

Only process entry points call it (`mercato serve`'s app factory, `mercato worker`): a
test process builds many kernels and must not keep every one of them forever.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 20_000
"""Allocations (less deallocations) between young collections; CPython's default is 700."""
OLDER_THRESHOLDS = (20, 20)
"""How many younger collections between collections of the next generation up."""


def settle() -> None:
    """Collect, freeze the survivors, and raise the thresholds (see the module's doc)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, *OLDER_THRESHOLDS)
