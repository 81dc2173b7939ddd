"""Seconds from spawning `mercato serve` to its first 200 on GET /health/ready.

Each run starts the server in embedded mode in one temporary data directory
(`MERCATO_DATA_DIR`): the first run creates and migrates a fresh SQLite database, the later
(warm) runs find it migrated. The server is stopped with SIGINT after each run.

Usage:
    python bench/serve_startup.py [--runs 5] [--record]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import benchlib

BAR_SECONDS = 3.0
POLL_INTERVAL = 0.01
READY_TIMEOUT = 60.0


@dataclass(frozen=True)
class Run:
    number: int
    fresh_database: bool
    seconds_to_ready: float | None  # None: never became ready
    exit_code: int | None
    stop_seconds: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "run": self.number,
            "fresh_database": self.fresh_database,
            "seconds_to_ready": self.seconds_to_ready,
            "exit_code": self.exit_code,
            "stop_seconds": self.stop_seconds,
        }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def server_env(data_dir: Path) -> dict[str, str]:
    """The caller's environment without any MERCATO_* setting, in embedded mode in `data_dir`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MERCATO_")}
    env["MERCATO_DATA_DIR"] = str(data_dir)
    return env


def ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1.0) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def wait_ready(proc: subprocess.Popen[bytes], url: str, started: float) -> float | None:
    """Seconds from `started` to the first 200, or None if the server died or timed out."""
    while time.perf_counter() - started < READY_TIMEOUT:
        if proc.poll() is not None:
            return None
        if ready(url):
            return time.perf_counter() - started
        time.sleep(POLL_INTERVAL)
    return None


def stop(proc: subprocess.Popen[bytes]) -> float:
    """SIGINT (a graceful uvicorn shutdown), SIGKILL if it lingers; returns the seconds."""
    started = time.perf_counter()
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return time.perf_counter() - started


def run_once(number: int, mercato: Path, workdir: Path) -> Run:
    data_dir = workdir / "data"
    fresh = not (data_dir / "mercato.db").exists()
    port = free_port()
    url = f"http://127.0.0.1:{port}/health/ready"
    log_path = workdir / f"serve-{number}.log"
    with log_path.open("wb") as log:
        started = time.perf_counter()
        proc = subprocess.Popen(
            [str(mercato), "serve", "--port", str(port)],
            cwd=workdir,
            env=server_env(data_dir),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        seconds = wait_ready(proc, url, started)
        stop_seconds = stop(proc)
    if seconds is None:
        print(f"run {number}: not ready; log:\n{log_path.read_text()[-2000:]}", file=sys.stderr)
    return Run(number, fresh, seconds, proc.returncode, round(stop_seconds, 3))


def summarize(runs: list[Run]) -> dict[str, Any]:
    first = runs[0].seconds_to_ready if runs else None
    warm = [r.seconds_to_ready for r in runs[1:] if r.seconds_to_ready is not None]
    return {
        "first_run_seconds": round(first, 3) if first is not None else None,
        "warm_runs": len(runs) - 1,
        "warm_ready": len(warm),
        "warm_median_seconds": round(statistics.median(warm), 3) if warm else None,
        "warm_max_seconds": round(max(warm), 3) if warm else None,
    }


def bars_for(summary: dict[str, Any], runs: list[Run]) -> list[benchlib.Bar]:
    def bar(name: str, value: float | None, all_ready: bool) -> benchlib.Bar:
        shown = "never ready" if value is None else f"{value:.2f} s"
        met = value is not None and all_ready and value < BAR_SECONDS
        return benchlib.Bar(name, f"< {BAR_SECONDS:g} s", shown, met)

    warm_all_ready = summary["warm_ready"] == summary["warm_runs"]
    return [
        bar("first run (fresh database, migrations)", summary["first_run_seconds"], True),
        bar("warm runs, median", summary["warm_median_seconds"], warm_all_ready),
        bar("warm runs, max", summary["warm_max_seconds"], warm_all_ready),
    ]


def runs_table(runs: list[Run]) -> list[str]:
    lines = [
        "| run | database | seconds to ready | stop seconds | exit code |",
        "|---:|---|---:|---:|---:|",
    ]
    for r in runs:
        ready_s = "never" if r.seconds_to_ready is None else f"{r.seconds_to_ready:.3f}"
        db = "fresh (migrates)" if r.fresh_database else "migrated"
        lines.append(f"| {r.number} | {db} | {ready_s} | {r.stop_seconds:.3f} | {r.exit_code} |")
    return lines


def markdown(data: dict[str, Any], runs: list[Run], bars: list[benchlib.Bar]) -> str:
    s = data["summary"]
    out = [
        *benchlib.report_header("`mercato serve`: start-up time", data),
        "## Method",
        "",
        "`mercato serve --port <free port>` spawned as a subprocess in embedded mode (SQLite, "
        "in-process events) with `MERCATO_DATA_DIR` in a fresh temporary directory and no other "
        "`MERCATO_*` variable; GET `/health/ready` polled every "
        f"{POLL_INTERVAL * 1000:g} ms; time from spawn to the first 200. The first run migrates "
        "a fresh database; the warm runs reuse it. Each server is stopped with SIGINT.",
        "",
        "## Figures",
        "",
        *runs_table(runs),
        "",
        f"- First run: {s['first_run_seconds']} s",
        f"- Warm runs ({s['warm_ready']}/{s['warm_runs']} ready): median "
        f"{s['warm_median_seconds']} s, max {s['warm_max_seconds']} s",
        "",
        "## Bars",
        "",
        *benchlib.bars_markdown(bars),
    ]
    if data["notes"]:
        out += ["", "## Notes", "", *(f"- {n}" for n in data["notes"])]
    return "\n".join(out)


def default_mercato() -> Path:
    return Path(sys.executable).parent / "mercato"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--runs", type=int, default=5, help="runs; the first on a fresh database")
    p.add_argument("--mercato", type=Path, default=default_mercato(), help="the console script")
    p.add_argument("--record", action="store_true", help="write bench/results/serve_startup.*")
    p.add_argument("--note", action="append", default=[], help="a note for the .md (repeat)")
    return p.parse_args(argv)


def main() -> int:
    args = parse_args()
    conditions = benchlib.Conditions()
    workdir = Path(tempfile.mkdtemp(prefix="mercato-serve-bench-"))
    try:
        runs = []
        for number in range(1, args.runs + 1):
            runs.append(run_once(number, args.mercato, workdir))
            print(f"run {number}: {runs[-1].seconds_to_ready}", file=sys.stderr)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    machine = conditions.finish()
    summary = summarize(runs)
    bars = bars_for(summary, runs)
    print("\n".join(runs_table(runs)))
    print()
    print("\n".join(benchlib.bars_markdown(bars)))
    print(f"\n{benchlib.noise_line(machine)}")
    data = {
        "benchmark": "serve_startup",
        "date": benchlib.now_iso(),
        "code": benchlib.code_revision(),
        "command": benchlib.command_line(),
        "machine": machine,
        "runs": [r.as_dict() for r in runs],
        "summary": summary,
        "bars": [b.as_dict() for b in bars],
        "notes": args.note,
    }
    if args.record:
        paths = benchlib.write_results("serve_startup", data, markdown(data, runs, bars))
        print(f"\nwrote {paths[0]} and {paths[1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
