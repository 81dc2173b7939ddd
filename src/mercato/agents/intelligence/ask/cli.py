"""`mercato intel ask "question" [--deep]`: asks a question of a store as its staff would, shows
each agent's progress while they run, then prints the report in the terminal (or as JSON,
or writes it as HTML or PDF)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.live import Live
from rich.panel import Panel
from rich.table import Table

from mercato.kernel.commands import check_store, command_kernel, console, fail, run, settings
from mercato.kernel.config import Settings
from mercato.kernel.context import bind

SEVERITY_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "green"}
MARKS = {"ok": "[green]done[/]", "running": "[cyan]running…[/]", "queued": "[dim]waiting[/]"}


def register(group: typer.Typer) -> None:
    group.command("ask")(ask_command)


def ask_command(
    question: Annotated[str, typer.Argument(help="The question, in plain words")],
    deep: Annotated[bool, typer.Option("--deep", help="Fresh analyses (slower)")] = False,
    store: Annotated[str, typer.Option(help="The store asked about")] = "default",
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON")] = False,
    html: Annotated[Path | None, typer.Option(help="Also write the report as HTML here")] = None,
    pdf: Annotated[Path | None, typer.Option(help="Also write the report as PDF here")] = None,
) -> None:
    """Ask a question about the store; prints its report."""
    if len(" ".join(question.split())) < 3:
        raise fail("ask a question of a few words")
    report = run(lambda: _ask(settings(), store, question, deep, quiet=as_json))
    if report is None:
        raise typer.Exit(1)
    if html is not None or pdf is not None:
        from mercato.agents.intelligence.ask.render import report_html, report_pdf

        if html is not None:
            html.write_text(report_html(report, store_name=store), encoding="utf-8")
        if pdf is not None:
            pdf.write_bytes(report_pdf(report, store_name=store))
    if as_json:
        typer.echo(json.dumps(report, indent=2, default=str))
    else:
        show(report)


async def _ask(cfg: Settings, store: str, question: str, deep: bool, *, quiet: bool) -> Any:
    from mercato.agents.intelligence.ask import asking, reports
    from mercato.agents.intelligence.ask.queue import Dispatcher
    from mercato.agents.intelligence.ask.statuses import FINISHED
    from mercato.kernel.auth import Principal

    async with command_kernel(cfg, prepare=True) as kernel:
        check_store(kernel, store)
        principal = Principal(id="cli", tenant_id=store, kind="system", roles=frozenset({"system"}))
        with bind(tenant_id=store):
            accepted = await asking.accept(
                kernel, principal, question=question, mode="deep" if deep else "quick",
                conversation_id=None,
            )  # fmt: skip
            kernel.deps(Dispatcher).wake()
            query_id = accepted.query.id
            with Live(_progress({}, "queued"), console=console, transient=True) as live:
                while True:
                    async with kernel.uow(writes=False) as uow:
                        row = await reports.query_for(uow, query_id, principal)
                    if not quiet:
                        live.update(_progress(row.progress, str(row.status)))
                    if row.status in FINISHED:
                        break
                    await asyncio.sleep(0.2)
            if row.report_id is None:
                console.print(f"[red]The question failed:[/] {row.error}")
                return None
            async with kernel.uow(writes=False) as uow:
                return (await reports.report_for(uow, row.report_id, principal)).body
    return None  # pragma: no cover - the kernel's context manager does not swallow


def _progress(progress: dict[str, Any], status: str) -> Table:
    table = Table("agent", "status", "time", title=f"Question: {status}", box=None)
    for agent, state in progress.items():
        mark = MARKS.get(state.get("status", ""), f"[red]{state.get('status')}[/]")
        table.add_row(agent, mark, f"{state.get('ms', 0) / 1000:.1f} s")
    return table


def _value(metric: dict[str, Any]) -> str:
    value, unit = metric.get("value"), str(metric.get("unit") or "")
    if value is None:
        return "n/a"
    if unit.startswith("currency:"):
        return f"{value:,.2f} {unit.split(':', 1)[1]}"
    if unit == "percent":
        return f"{value:+.1f}%" if metric["key"].startswith("price_gap") else f"{value:.1f}%"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def show(report: dict[str, Any], out: Any = None) -> None:
    """The report in the terminal: summary, metrics, risks, actions, what is uncertain."""
    out = out or console
    confidence = report["confidence"]
    out.print(
        Panel(
            report["summary"]["text"],
            title=f"{report['question']}  ({report['mode']}, {report['status']})",
            subtitle=f"confidence {confidence['label']} ({confidence['overall']:.2f})",
        )
    )
    if report["metrics"]:
        table = Table("metric", "value", "before", "trend", title="Metrics")
        for m in report["metrics"]:
            before = (
                _value({**m, "value": m.get("previous")}) if m.get("previous") is not None else ""
            )
            table.add_row(m["label"], _value(m), before, m.get("trend") or "")
        out.print(table)
    if report["risks"]:
        table = Table("severity", "risk", title="Risks")
        for r in report["risks"]:
            style = SEVERITY_STYLE.get(r["severity"], "")
            table.add_row(f"[{style}]{r['severity']}[/]", r["title"])
        out.print(table)
    if report["actions"]:
        table = Table("#", "action", "impact", "effort", title="Actions")
        for a in report["actions"]:
            table.add_row(str(a["priority"]), a["title"], a["impact"], a["effort"])
        out.print(table)
    for heading, lines in (
        ("Insights", [i["text"] for i in report["insights"]]),
        ("Uncertain", report["uncertainty"]),
        ("Data quality", [w["message"] for w in report["data_quality"]]),
    ):
        if lines:
            out.print(f"[bold]{heading}[/]")
            for line in lines:
                out.print(f"  • {line}", markup=False, highlight=False)
    out.print(
        f"[dim]{len(report['evidence'])} evidence records; report {report['id']}: "
        f"/v1/intelligence/reports/{report['id']}.html[/]"
    )
