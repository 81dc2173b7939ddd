"""Mercato's agents, one package each. `mercato.kernel.agent.INSTALLED_AGENTS` lists them."""
