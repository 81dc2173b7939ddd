"""A competitor's product pages. robots.txt is honoured (`urllib.robotparser`; a disallowed
page is skipped and counted); a robots.txt that cannot be fetched is read as RFC 9309 §2.3.1
says: 4xx, every page is allowed; 5xx or unreachable, none is. Requests to one domain are
at least the configured interval apart (`DomainPacer`), and say who we are (User-Agent).

`settings`: `competitor` (its name), `urls` (the product pages), optional `selectors`
(field → CSS selector) and `currency` (when pages state none)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from mercato.agents.intelligence.ingest.connectors.base import (
    Context,
    Fetched,
    setting,
)
from mercato.agents.intelligence.ingest.connectors.http import SourceUnavailable
from mercato.agents.intelligence.ingest.connectors.pages import extract


class Robots:
    """Each site's rules, fetched once per run."""

    def __init__(self, context: Context) -> None:
        self.context = context
        self._rules: dict[str, RobotFileParser | bool] = {}

    async def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        if site not in self._rules:
            self._rules[site] = await self._fetch(site)
        rules = self._rules[site]
        if isinstance(rules, bool):
            return rules
        return rules.can_fetch(self.context.user_agent, url)

    async def _fetch(self, site: str) -> RobotFileParser | bool:
        try:
            answer = await self.context.http.get(
                f"{site}/robots.txt", headers={"user-agent": self.context.user_agent}
            )
        except SourceUnavailable:
            return False  # unreachable: disallow all
        if 400 <= answer.status_code < 500:
            return True
        if answer.status_code != 200:
            return False
        parser = RobotFileParser()
        parser.parse(answer.text.splitlines())
        return parser


class CompetitorConnector:
    async def pages(self, context: Context) -> AsyncIterator[list[Fetched]]:
        competitor = setting(context, "competitor")
        urls = setting(context, "urls", list)
        selectors = context.settings.get("selectors") or {}
        robots = Robots(context)
        for url in urls:
            if not await robots.allowed(str(url)):
                context.skipped["robots"] = context.skipped.get("robots", 0) + 1
                continue
            answer = await context.http.get(str(url), headers={"user-agent": context.user_agent})
            if answer.status_code != 200:  # a page gone is that page's loss, not the run's
                context.skipped["unavailable"] = context.skipped.get("unavailable", 0) + 1
                continue
            found = extract(answer.text, selectors)
            candidate = {
                **{k: v for k, v in found.items() if v is not None},
                "competitor": competitor,
                "url": str(url),
                "observed_at": context.now.isoformat(),
            }
            if not candidate.get("currency") and context.settings.get("currency"):
                candidate["currency"] = context.settings["currency"]
            payload = {"url": str(url), "status": answer.status_code, "html": answer.text}
            yield [Fetched("offer", str(url), payload, [candidate])]
