"""What every benchmark records beside its figures: when, on what machine, with which command.

Figures without the machine and the command that produced them cannot be compared, so each
recorded result file carries both.
"""

from __future__ import annotations

import json
import math
import os
import platform
import shlex
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS_DIR = Path(__file__).resolve().parent / "results"


@dataclass(frozen=True)
class Bar:
    """A target a figure is compared against."""

    name: str
    target: str
    measured: str
    met: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "target": self.target,
            "measured": self.measured,
            "met": self.met,
        }


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def command_line() -> str:
    """The command as typed from the project root (the interpreter shown relative to it)."""
    root = Path(__file__).resolve().parents[1]
    python = Path(sys.executable)
    try:
        shown = str(python.relative_to(root))
    except ValueError:
        shown = str(python)
    script = Path(sys.argv[0]).resolve()
    try:
        script_shown = str(script.relative_to(root))
    except ValueError:
        script_shown = str(script)
    return shlex.join([shown, script_shown, *sys.argv[1:]])


def code_revision() -> str:
    """The commit measured, marked `+dirty` when src/ or migrations/ have uncommitted changes."""
    root = Path(__file__).resolve().parents[1]

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, check=False, timeout=10
        )
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--", "src", "migrations")
    return f"{commit}+dirty" if dirty else commit


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def load_average() -> list[float]:
    """1, 5 and 15 minute load averages: other work on the machine shows here."""
    return [round(x, 2) for x in os.getloadavg()]


_SERVICES = frozenset({"postgres", "redis-server"})  # they work for the benchmark too


def _process_cpu_seconds() -> dict[int, float]:
    """CPU seconds used so far by each process other than this one, its children, PostgreSQL
    and Redis (pid → seconds)."""
    me = os.getpid()
    tick = os.sysconf("SC_CLK_TCK")
    usage: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == me:
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        if comm in _SERVICES or int(fields[1]) == me:  # fields[1] is the parent's pid
            continue
        usage[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    return usage


class Conditions:
    """The machine around one benchmark run: described at the start, and at the end how busy
    other processes kept it (the noise in the figures)."""

    def __init__(self) -> None:
        self.info = machine()
        self._started = time.monotonic()
        self._cpu_at_start = _process_cpu_seconds()

    def finish(self) -> dict[str, Any]:
        now = _process_cpu_seconds()
        other = sum(t - self._cpu_at_start.get(pid, 0.0) for pid, t in now.items())
        self.info["load_average_at_end"] = load_average()
        self.info["other_processes_cpu_seconds"] = round(other, 1)
        self.info["wall_seconds"] = round(time.monotonic() - self._started, 1)
        return self.info


def machine() -> dict[str, Any]:
    """The machine and the runtime the figures were measured on."""
    return {
        "nproc": os.cpu_count(),
        "cpu_model": cpu_model(),
        "memory_gib": memory_gib(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "load_average_at_start": load_average(),
    }


def noise_line(info: dict[str, Any]) -> str:
    return (
        f"Other processes used {info['other_processes_cpu_seconds']} CPU-seconds during the "
        f"{info['wall_seconds']} s run; load average {info['load_average_at_start']} at start, "
        f"{info['load_average_at_end']} at end."
    )


def report_header(title: str, data: dict[str, Any]) -> list[str]:
    """The opening of every recorded result: what, when, which code, which command, where."""
    return [
        f"# {title}",
        "",
        f"- Date: {data['date']}",
        f"- Code: commit {data['code']}",
        f"- Command: `{data['command']}`",
        "",
        "## Machine",
        "",
        *machine_markdown(data["machine"]),
        "",
    ]


def machine_markdown(info: dict[str, Any]) -> list[str]:
    lines = [
        f"- CPU: {info['cpu_model']}, {info['nproc']} cores (nproc)",
        f"- Memory: {info['memory_gib']} GiB",
        f"- OS: {info['os']}",
        f"- Python: {info['python']}",
        f"- SQLite: {info['sqlite']}",
    ]
    for key in ("postgresql", "redis"):
        if key in info:
            lines.append(f"- {'PostgreSQL' if key == 'postgresql' else 'Redis'}: {info[key]}")
    lines.append(f"- Load average at start (1, 5, 15 min): {info['load_average_at_start']}")
    if "load_average_at_end" in info:
        lines.append(f"- Load average at end (1, 5, 15 min): {info['load_average_at_end']}")
    if "other_processes_cpu_seconds" in info:
        lines.append(
            f"- CPU used by other processes during the run: "
            f"{info['other_processes_cpu_seconds']} s over {info['wall_seconds']} s of wall time "
            "(PostgreSQL and Redis not counted)"
        )
    return lines


def bars_markdown(bars: list[Bar]) -> list[str]:
    lines = ["| bar | target | measured | met |", "|---|---|---|---|"]
    lines += [
        f"| {b.name} | {b.target} | {b.measured} | {'yes' if b.met else '**NO**'} |" for b in bars
    ]
    met = [b.name for b in bars if b.met]
    missed = [b.name for b in bars if not b.met]
    lines.append("")
    lines.append(f"Met: {'; '.join(met) if met else 'none'}.")
    lines.append(f"Not met: {'; '.join(missed) if missed else 'none'}.")
    return lines


def write_results(stem: str, data: dict[str, Any], markdown: str) -> tuple[Path, Path]:
    """Write `<stem>.json` and `<stem>.md` under bench/results/."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    json_path = RESULTS_DIR / f"{stem}.json"
    md_path = RESULTS_DIR / f"{stem}.md"
    json_path.write_text(json.dumps(data, indent=2, default=str) + "\n")
    md_path.write_text(markdown.rstrip() + "\n")
    return json_path, md_path


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (no interpolation: the value of a real observation)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]
