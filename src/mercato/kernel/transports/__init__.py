"""Event transports: how relayed events reach the agents' handlers."""
