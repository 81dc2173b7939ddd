"""The web console: one page app served by `mercato serve` at `/` (ADR 23).

The shell (`static/`: layout, navigation, the API client, shared components, the vendored
Preact + htm) knows no commerce; each agent that has pages keeps them in its own `web/`
folder, whose `pages.js` registers them. Every page speaks only to the public API.
"""

from mercato.web.serve import mount_console

__all__ = ["mount_console"]
