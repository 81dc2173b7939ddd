"""Shipping labels a second (issue 18, "What to measure").

1. **render**: Mercato's 4x6 label (`documents.render_label`: ship-from, ship-to, the
   service band, a Code 128 of the tracking number) rendered as a one-page PDF,
   single-threaded in this process, for `--renders` labels of distinct shipments; and
   `render_labels` (a batch in one PDF, one page each, as printed in one go). Floor, in the
   same run: a bare reportlab 4x6 page with one line of text, the least a PDF costs.
2. **over HTTP**: `mercato demo`'s store (`fulfilment_store`) on a `mercato serve`
   process takes `--shipments` orders through the real checkout; each gets a shipment by
   `POST /v1/orders/{id}/shipments` with the local courier (its label is Mercato's, drawn
   on every request); then `GET /v1/shipments/{id}/label.pdf` for each, one at a time and
   `--clients` at once: labels/s and latency. Floor: `GET /v1/shipments/{id}` (the same
   shipment read, as JSON, no PDF).

    .venv/bin/python bench/labels.py [--shipments 200] [--record]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from datetime import date
from io import BytesIO
from typing import Any

import httpx
from reportlab.pdfgen.canvas import Canvas

import benchlib
import checkout
import fulfilment_store
from benchlib import Bar
from fulfilment_store import ADMIN
from mercato.agents.shipping.documents import LabelData, render_label, render_labels
from mercato.agents.shipping.documents.label import PAGE
from mercato.agents.shipping.providers.base import Address

BAR_RENDER_PER_S = 50.0
BAR_HTTP_PER_S = 20.0


def label_data(n: int) -> LabelData:
    return LabelData(
        ship_from=Address(name="Mercato East Warehouse", line1="400 Raymond Blvd",
                          city="Newark", region="NJ", postal_code="07105", country="US"),
        ship_to=Address(name=f"Shopper Number {n}", line1=f"{n} Main St", line2="Apt 4",
                        city="Springfield", region="IL", postal_code="62701", country="US"),
        carrier_name="Mercato Local Courier",
        service_name="Standard",
        tracking_number=f"MLC{n:012d}",
        order_number=f"ORD-2026-{n:07d}",
        shipment_id=f"SHP-2026-{n:07d}",
        weight_grams=500 + 37 * n,
        shipped_on=date(2026, 12, 6),
    )  # fmt: skip


def bare_page(n: int) -> bytes:
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=PAGE, pageCompression=1)
    canvas.drawString(12, 400, f"MLC{n:012d}")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def per_second(count: int, make: Any) -> dict[str, float]:
    make(0)  # warm: fonts loaded, caches filled
    times = []
    size = 0
    for n in range(count):
        started = time.perf_counter()
        size = len(make(n))
        times.append(time.perf_counter() - started)
    return {
        "labels": count,
        "per_second": round(count / sum(times), 1),
        "p50_ms": round(benchlib.percentile(times, 50) * 1000, 2),
        "p95_ms": round(benchlib.percentile(times, 95) * 1000, 2),
        "bytes": size,
    }


def rendering(count: int) -> dict[str, Any]:
    labels = [label_data(n) for n in range(count)]
    render_label(labels[0])  # warm, as `per_second` does: the batch is timed without start-up
    started = time.perf_counter()
    batch = render_labels(labels)
    batch_s = time.perf_counter() - started
    return {
        "render_label": per_second(count, lambda n: render_label(labels[n])),
        "render_labels (one PDF)": {
            "labels": count,
            "per_second": round(count / batch_s, 1),
            "bytes": len(batch),
        },
        "floor: a bare reportlab page": per_second(count, bare_page),
    }


async def make_shipments(server: checkout.Server, count: int) -> dict[str, Any]:
    order_ids = await fulfilment_store.confirmed_orders(server, count, random.Random(7))
    made: list[str] = []
    times: list[float] = []
    refused: dict[str, str] = {}
    async with httpx.AsyncClient(base_url=server.base, headers=ADMIN, timeout=60) as client:
        for order_id in order_ids:
            started = time.perf_counter()
            answer = await client.post(
                f"/v1/orders/{order_id}/shipments", json={"carrier": "local", "service": "standard"}
            )
            times.append(time.perf_counter() - started)
            if answer.status_code == 201:
                made.append(answer.json()["id"])
            else:
                refused.setdefault(str(answer.status_code), answer.text[:300])
    return {
        "ids": made,
        "created": len(made),
        "refused": refused,
        "p50_ms": round(benchlib.percentile(times, 50) * 1000, 1),
        "per_second": round(len(times) / sum(times), 1),
    }


async def fetch(server: checkout.Server, ids: list[str], path: str, clients: int) -> dict[str, Any]:
    times: list[float] = []
    kinds: set[str] = set()
    todo = iter(ids)

    async def worker(client: httpx.AsyncClient) -> None:
        for shipment_id in todo:
            started = time.perf_counter()
            answer = await client.get(path.format(id=shipment_id))
            times.append(time.perf_counter() - started)
            answer.raise_for_status()
            kinds.add(answer.headers["content-type"].split(";")[0])

    limits = httpx.Limits(max_connections=clients, keepalive_expiry=2.0)
    async with httpx.AsyncClient(
        base_url=server.base, headers=ADMIN, timeout=60, limits=limits
    ) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(clients)))
        wall = time.perf_counter() - started
    return {
        "requests": len(times),
        "per_second": round(len(times) / wall, 1),
        "p50_ms": round(benchlib.percentile(times, 50) * 1000, 1),
        "p95_ms": round(benchlib.percentile(times, 95) * 1000, 1),
        "p99_ms": round(benchlib.percentile(times, 99) * 1000, 1),
        "content_type": ", ".join(sorted(kinds)),
    }


async def over_http(server: checkout.Server, args: argparse.Namespace) -> dict[str, Any]:
    made = await make_shipments(server, args.shipments)
    ids = made.pop("ids")
    await fetch(server, ids[:10], "/v1/shipments/{id}/label.pdf", 1)  # warm
    found: dict[str, Any] = {"shipments": made}
    for name, path in (
        ("GET /v1/shipments/{id}/label.pdf", "/v1/shipments/{id}/label.pdf"),
        ("floor: GET /v1/shipments/{id}", "/v1/shipments/{id}"),
    ):
        found[name] = {
            "1 client": await fetch(server, ids, path, 1),
            f"{args.clients} clients": await fetch(server, ids, path, args.clients),
        }
    return found


def run(args: argparse.Namespace) -> dict[str, Any]:
    result: dict[str, Any] = {"render": rendering(args.renders)}
    print(f"  render: {result['render']}", file=sys.stderr)
    with (
        fulfilment_store.demo_store(args.products) as store,
        fulfilment_store.serving(store) as server,
    ):
        result["http"] = asyncio.run(over_http(server, args))
    print(f"  http: {result['http']}", file=sys.stderr)
    return result


def bars_for(result: dict[str, Any]) -> list[Bar]:
    render = result["render"]["render_label"]["per_second"]
    http = result["http"]["GET /v1/shipments/{id}/label.pdf"]["1 client"]["per_second"]
    return [
        Bar("render_label, single-threaded", f"≥ {BAR_RENDER_PER_S:g} labels/s",
            f"{render} labels/s", render >= BAR_RENDER_PER_S),
        Bar("GET /v1/shipments/{id}/label.pdf, one client", f"≥ {BAR_HTTP_PER_S:g} labels/s",
            f"{http} labels/s", http >= BAR_HTTP_PER_S),
    ]  # fmt: skip


def markdown(data: dict[str, Any], bars: list[Bar]) -> str:
    render, http = data["result"]["render"], data["result"]["http"]
    lines = benchlib.report_header("Shipping: labels per second", data)
    lines += ["## Bars", "", *benchlib.bars_markdown(bars), "", "## Rendering", ""]
    lines += [
        "In the benchmark's process, single-threaded, a label of a distinct shipment each time.",
        "",
        "| case | labels | labels/s | p50 ms | p95 ms | bytes |",
        "|---|---|---|---|---|---|",
    ]
    for name, s in render.items():
        lines.append(
            f"| {name} | {s['labels']} | {s['per_second']} | {s.get('p50_ms', '-')} "
            f"| {s.get('p95_ms', '-')} | {s['bytes']} |"
        )
    ratio = (
        render["render_label"]["per_second"] / render["floor: a bare reportlab page"]["per_second"]
    )
    made = http["shipments"]
    lines += [
        "",
        f"render_label / bare page (labels/s): {ratio:.2f}.",
        "",
        "## Over HTTP",
        "",
        f"One `mercato serve` (SQLite) on `mercato demo`'s store ({data['settings']['products']} "
        f"products); {made['created']} shipments made by `POST /v1/orders/{{id}}/shipments` "
        f"with the local courier (p50 {made['p50_ms']} ms, {made['per_second']} a second one "
        f"at a time; refused: {made['refused'] or 'none'}). Client-side figures.",
        "",
        "| request | clients | requests | per second | p50 ms | p95 ms | p99 ms | content |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, loads in http.items():
        if name == "shipments":
            continue
        for clients, s in loads.items():
            lines.append(
                f"| {name} | {clients} | {s['requests']} | {s['per_second']} | {s['p50_ms']} "
                f"| {s['p95_ms']} | {s['p99_ms']} | {s['content_type']} |"
            )
    label = http["GET /v1/shipments/{id}/label.pdf"]["1 client"]
    floor = http["floor: GET /v1/shipments/{id}"]["1 client"]
    lines += [
        "",
        f"label.pdf / GET shipment, p50 one client: {label['p50_ms'] / floor['p50_ms']:.2f}.",
        "",
        *fulfilment_store.closing_lines(data),
    ]
    return "\n".join(lines)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--renders", type=int, default=300)
    p.add_argument("--shipments", type=int, default=200)
    p.add_argument("--clients", type=int, default=4)
    p.add_argument("--products", type=int, default=fulfilment_store.PRODUCTS)
    fulfilment_store.recording_arguments(p)
    return fulfilment_store.run_and_report("labels", p.parse_args(), run, bars_for, markdown)


if __name__ == "__main__":
    raise SystemExit(main())
