"""Outside agents that bring commands, for the tests of how `mercato` mounts them."""
