"""Notifications sent per second through a local SMTP server (issue 17).

A real SMTP server (aiosmtpd, in a thread of this process, accepting everything) and an
embedded Mercato (SQLite, `MERCATO_EMAIL_PROVIDER=smtp`) in a temporary directory. Three
phases over the same `--messages` order confirmations to distinct guests:

1. **queue**: the notices rendered (Jinja2, text and HTML) and queued, `--batch` a
   transaction, as the event handler does;
2. **send**: the sender (`notifications.sender.send_due`, the periodic job's work) claims
   them and hands them to the SMTP provider until the queue is empty;
3. **floor**: the same number of messages sent by a bare aiosmtplib client on one connection
   in the same run: what the SMTP exchange itself costs on this machine. The ratio
   send/floor is what the queue, the claims and the delivery log add.

    .venv/bin/python bench/notifications_throughput.py [--messages 2000] [--record]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import aiosmtplib
from aiosmtpd.controller import Controller

import benchlib
from benchlib import Bar
from mercato.agents.notifications.deps import NotificationDeps
from mercato.agents.notifications.kinds import KINDS
from mercato.agents.notifications.queueing import Notice, Recipient, queue
from mercato.agents.notifications.sender import send_due
from mercato.kernel import migrate
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from serve_startup import free_port


class Counting:
    def __init__(self) -> None:
        self.received = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.received += 1
        return "250 OK"


def notice(n: int) -> Notice:
    sample = KINDS["order_confirmed"].sample
    order = {**sample["order"], "number": f"ORD-2026-{n:07d}", "id": f"order-{n}"}
    return Notice(
        kind="order_confirmed",
        key=f"bench-{n}",
        context={"order": order, "links": {"order": f"http://shop.test/account/orders/{n}"}},
        recipients=[Recipient(email=f"guest{n}@example.com", name="Ana Lima")],
    )


async def floor(host: str, port: int, count: int) -> float:
    """Messages a second over one connection, sent one after another by aiosmtplib."""
    client = aiosmtplib.SMTP(hostname=host, port=port, start_tls=False)
    await client.connect()
    started = time.perf_counter()
    for n in range(count):
        message = EmailMessage()
        message["From"], message["To"] = "shop@example.com", f"floor{n}@example.com"
        message["Subject"] = f"Order ORD-2026-{n:07d} confirmed"
        message.set_content("Thank you for your order. " * 20)
        message.add_alternative("<p>" + "Thank you for your order. " * 20 + "</p>", subtype="html")
        await client.send_message(message)
    elapsed = time.perf_counter() - started
    await client.quit()
    return count / elapsed


async def run(args: argparse.Namespace) -> dict[str, Any]:
    handler = Counting()
    host, port = "127.0.0.1", free_port()
    controller = Controller(handler, hostname=host, port=port)
    controller.start()
    try:
        with tempfile.TemporaryDirectory() as data:
            settings = Settings(
                data_dir=Path(data),
                email_provider="smtp",
                smtp_url=f"smtp://{host}:{port}",
                notifications_batch=args.claim,
            )
            await asyncio.to_thread(migrate.upgrade, settings)
            kernel = Kernel.build(settings)
            await kernel.prepare()
            deps = kernel.deps(NotificationDeps)
            started = time.perf_counter()
            with bind(tenant_id=settings.default_tenant):
                for first in range(0, args.messages, args.batch):
                    async with kernel.uow() as uow:
                        for n in range(first, min(first + args.batch, args.messages)):
                            await queue(uow, deps, notice(n))
                        await uow.commit()
            queued_s = time.perf_counter() - started
            started = time.perf_counter()
            sent = 0
            while sent < args.messages:
                sent += await send_due(kernel)
            send_s = time.perf_counter() - started
            await kernel.stop()
        floor_rate = await floor(host, port, args.messages)
    finally:
        controller.stop()
    send_rate = args.messages / send_s
    return {
        "messages": args.messages,
        "received_by_server": handler.received,
        "queue_per_second": round(args.messages / queued_s, 1),
        "send_per_second": round(send_rate, 1),
        "floor_per_second": round(floor_rate, 1),
        "send_to_floor": round(send_rate / floor_rate, 2),
    }


def report(data: dict[str, Any], bars: list[Bar]) -> str:
    r = data["result"]
    lines = benchlib.report_header("Notifications through a local SMTP server", data)
    lines += [
        "## Result",
        "",
        f"{r['messages']} order confirmations (text and HTML) to distinct guests; the server "
        f"received {r['received_by_server'] - r['messages']} from Mercato and "
        f"{r['messages']} from the floor's client.",
        "",
        "| phase | messages per second |",
        "|---|---|",
        f"| queue (render and insert, {data['batch']} a transaction) | {r['queue_per_second']} |",
        f"| send (claim {data['claim']} at a time, SMTP, delivery log) | {r['send_per_second']} |",
        f"| floor: bare aiosmtplib, one connection | {r['floor_per_second']} |",
        "",
        f"Send / floor: {r['send_to_floor']}.",
        "",
        "## Bars",
        "",
        *benchlib.bars_markdown(bars),
        "",
        benchlib.noise_line(data["machine"]),
    ]
    return "\n".join(lines)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--messages", type=int, default=2000)
    p.add_argument("--batch", type=int, default=200, help="notices queued a transaction")
    p.add_argument("--claim", type=int, default=50, help="messages the sender claims a time")
    p.add_argument("--record", action="store_true")
    args = p.parse_args()
    conditions = benchlib.Conditions()
    result = asyncio.run(run(args))
    data = {
        "date": benchlib.now_iso(),
        "code": benchlib.code_revision(),
        "command": benchlib.command_line(),
        "machine": conditions.finish(),
        "batch": args.batch,
        "claim": args.claim,
        "result": result,
    }
    bars = [
        Bar(
            "every message reached the server",
            f"{result['messages']} received",
            str(result["received_by_server"] - result["messages"]),
            result["received_by_server"] == 2 * result["messages"],
        ),
        Bar(
            "send rate against the bare SMTP floor",
            "≥ 0.5 of the floor",
            f"{result['send_to_floor']}",
            result["send_to_floor"] >= 0.5,
        ),
    ]
    data["bars"] = [b.as_dict() for b in bars]
    markdown = report(data, bars)
    print(markdown)
    if args.record:
        benchlib.write_results("notifications_throughput", data, markdown)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
