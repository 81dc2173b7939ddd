"""Tables and the recorded Markdown of `events_throughput.py`."""

from __future__ import annotations

from typing import Any

import benchlib

BARS_THROUGHPUT = {"embedded": 2_000.0, "scaled": 1_000.0}
BAR_P95_MS = 50.0


def bars_for(results: dict[str, dict[str, Any]], rate: float) -> list[benchlib.Bar]:
    """Each stack's figures against the bars (an incomplete run meets none)."""
    bars: list[benchlib.Bar] = []
    for stack, res in results.items():
        tp = res["throughput"]
        target = BARS_THROUGHPUT[stack]
        name = "in-process (SQLite)" if stack == "embedded" else "Redis + PostgreSQL"
        bars.append(
            benchlib.Bar(
                name=f"throughput, {name}",
                target=f">= {target:,.0f} events/s",
                measured=f"{tp['events_per_second']:,.0f} events/s"
                + ("" if tp["complete"] else " (incomplete)"),
                met=tp["complete"] and tp["events_per_second"] >= target,
            )
        )
        lat = res["latency"]
        p95 = lat["latency_ms"].get("p95", float("inf"))
        bars.append(
            benchlib.Bar(
                name=f"p95 latency at {rate:g} events/s, {stack}",
                target=f"< {BAR_P95_MS:g} ms",
                measured=f"{p95:g} ms" + ("" if lat["complete"] else " (incomplete)"),
                met=lat["complete"] and p95 < BAR_P95_MS,
            )
        )
    return bars


def figures_table(results: dict[str, dict[str, Any]]) -> list[str]:
    lines = [
        "| stack | measurement | events | handled | dead letters | seconds | events/s "
        "| p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for stack, res in results.items():
        tp, lat = res["throughput"], res["latency"]
        lines.append(
            f"| {stack} | throughput | {tp['events']} | {tp['handled']} "
            f"| {tp['dead_letters']} | {tp['seconds']} "
            f"| {tp['events_per_second']:,.0f} | | | | |"
        )
        ms = lat["latency_ms"]
        lines.append(
            f"| {stack} | latency at {lat['target_rate']:g}/s | {lat['events']} "
            f"| {lat['handled']} | {lat['dead_letters']} | {lat['seconds']:g} "
            f"| {lat['achieved_rate']:g} "
            f"| {ms.get('p50')} | {ms.get('p95')} | {ms.get('p99')} | {ms.get('max')} |"
        )
    return lines


def breakdown_table(results: dict[str, dict[str, Any]]) -> list[str]:
    lines = [
        "| stack | part | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---|---:|---:|---:|---:|",
    ]
    parts = (
        ("publish_commit_ms", "occurred_at → publisher's commit"),
        ("delivery_ms", "publisher's commit → handler's commit"),
        ("schedule_late_ms", "publish started late (pacer)"),
    )
    for stack, res in results.items():
        for key, label in parts:
            s = res["latency"][key]
            lines.append(
                f"| {stack} | {label} | {s.get('p50')} | {s.get('p95')} "
                f"| {s.get('p99')} | {s.get('max')} |"
            )
    return lines


def settings_lines(results: dict[str, dict[str, Any]]) -> list[str]:
    lines = []
    for stack, res in results.items():
        pairs = ", ".join(f"{k}={v}" for k, v in res["settings"].items())
        lines.append(f"- {stack}: {pairs}")
    return lines


def markdown(data: dict[str, Any], bars: list[benchlib.Bar], notes: list[str]) -> str:
    plan = data["plan"]
    out = [
        *benchlib.report_header("Event bus: throughput and latency", data),
        "## Method",
        "",
        "Real kernel (`Kernel.build(settings, agents=[bench])`, `kernel.start()`), migrated with "
        "`mercato.kernel.migrate.upgrade`. The bench agent has one handler that inserts a row "
        "into its own table in the handler's unit of work (with the inbox row the dispatcher "
        f"writes). Events carry one of {plan['orders']:,} order ids as their aggregate id. "
        f"Each measurement starts on a fresh database after a warm-up of {plan['warm_up']} "
        "events. Publishers, relay and handlers share this one process (and its 2 cores).",
        "",
        f"- Throughput: {plan['events']:,} events from {plan['publishers']} concurrent "
        f"publishers, {plan['batch']} events per unit of work; from the first publish to the "
        "last handler commit.",
        f"- Latency: {plan['rate']:g} events/s for {plan['seconds']:g} s, one event per unit "
        "of work, paced open-loop; from the envelope's `occurred_at` to the handler's commit "
        "(nearest-rank percentiles).",
        "",
        "Settings (the kernel's defaults unless listed in the command):",
        "",
        *settings_lines(data["stacks"]),
        "",
        "## Figures",
        "",
        *figures_table(data["stacks"]),
        "",
        "Where the latency goes:",
        "",
        *breakdown_table(data["stacks"]),
        "",
        "## Bars",
        "",
        *benchlib.bars_markdown(bars),
    ]
    if notes:
        out += ["", "## Notes", "", *(f"- {n}" for n in notes)]
    return "\n".join(out)


def print_summary(results: dict[str, dict[str, Any]], bars: list[benchlib.Bar]) -> None:
    print()
    print("\n".join(figures_table(results)))
    print()
    print("\n".join(breakdown_table(results)))
    print()
    print("\n".join(benchlib.bars_markdown(bars)))
