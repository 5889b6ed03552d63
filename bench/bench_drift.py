"""How long `actionpact drift` takes over 500 recordings (target: under 10 s).

Run: .venv/bin/python bench/bench_drift.py [RECORDINGS]

Builds a project of synthetic Data Actions (one derived example each, realistic templates,
translation maps and output schemas) against a small vendor API on 127.0.0.1, records it twice
(the second run with a field added, so step 3 has changes to find), generates the pacts, then
times `actionpact drift` itself: the recordings served to the real Pact verifier, the Genesys
transform on every answer, the comparison with the previous run, and the three reports.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

_ITEM = re.compile(r"^/api/v1/items/(\d+)$")


def definition(number: int) -> dict[str, Any]:
    return {
        "name": f"Vendor Item Lookup {number:04d}",
        "integrationType": "custom-rest-actions",
        "actionType": "custom",
        "config": {
            "request": {
                "requestUrlTemplate": (
                    f"https://vendor.example.com/api/v1/items/{number}"
                    "?region=$esc.url(${input.region})"
                ),
                "requestType": "GET",
                "headers": {"Authorization": "Bearer ${credentials.token}"},
                "requestTemplate": "${input.rawRequest}",
            },
            "response": {
                "translationMap": {
                    "itemId": "$.item.id",
                    "title": "$.item.title",
                    "price": "$.item.price.amount",
                    "tags": "$.item.tags[*]",
                    "stock": "$.item.stock.available",
                },
                "translationMapDefaults": {
                    "itemId": '""',
                    "title": '""',
                    "price": "0",
                    "tags": "[]",
                    "stock": "0",
                },
                "successTemplate": (
                    '{"itemId": ${itemId}, "title": ${title}, "price": ${price}, '
                    '"tags": ${tags}, "stock": ${stock}}'
                ),
            },
        },
        "contract": {
            "input": {
                "inputSchema": {
                    "type": "object",
                    "required": ["region"],
                    "properties": {"region": {"type": "string", "enum": ["eu", "us"]}},
                }
            },
            "output": {
                "successSchema": {
                    "type": "object",
                    "properties": {
                        "itemId": {"type": "string"},
                        "title": {"type": "string"},
                        "price": {"type": "number"},
                        "tags": {"type": "array", "items": {"type": "string"}},
                        "stock": {"type": "integer"},
                    },
                }
            },
        },
        "secure": False,
    }


class Vendor(ThreadingHTTPServer):
    extra_field = False


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Vendor

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        match = _ITEM.match(self.path.split("?", 1)[0])
        number = int(match.group(1)) if match else 0
        item: dict[str, Any] = {
            "id": f"I-{number:05d}",
            "title": f"Item {number}",
            "price": {"amount": 9.5 + number, "currency": "EUR"},
            "tags": ["a", "b"],
            "stock": {"available": number % 7},
            "supplier": {"email": f"supplier{number}@example.com", "phone": "+13175550123"},
        }
        if self.server.extra_field:
            item["warehouse"] = "W-1"
        data = json.dumps({"item": item}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def actionpact(*args: str, cwd: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    exe = Path(sys.executable).with_name("actionpact")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "actionpact"]
    start = time.perf_counter()
    done = subprocess.run(
        [*command, *args], cwd=cwd, capture_output=True, text=True, env={**os.environ}, check=False
    )
    return time.perf_counter() - start, done


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    os.environ.setdefault("PACT_DO_NOT_TRACK", "true")
    vendor = Vendor(("127.0.0.1", 0), Handler)
    vendor.daemon_threads = True
    threading.Thread(target=vendor.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{vendor.server_address[1]}"
    with tempfile.TemporaryDirectory(prefix="bench-drift-") as scratch:
        root = Path(scratch)
        contracts = root / "contracts"
        contracts.mkdir()
        for number in range(count):
            path = contracts / f"item-{number:04d}.json"
            path.write_text(json.dumps(definition(number)), encoding="utf-8")
        (root / "actionpact.yaml").write_text(
            "consumer: bench-flows\n"
            "providers:\n  - name: bench-vendor\n    host: vendor.example.com\n"
            "credentials:\n  bench-vendor:\n    token: BENCH_VENDOR_TOKEN\n",
            encoding="utf-8",
        )
        os.environ["BENCH_VENDOR_TOKEN"] = "bench-secret-token"
        seconds, done = actionpact("generate", "contracts", "--out", "pacts", cwd=root)
        print(
            f"setup: generate {count} pacts' interactions: {seconds:.2f} s (exit {done.returncode})"
        )
        for label, extra in (("first", False), ("second", True)):
            vendor.extra_field = extra
            seconds, done = actionpact(
                "record",
                "contracts",
                "--base-url",
                url,
                "--concurrency",
                "8",
                "--output",
                "json",
                cwd=root,
            )
            print(
                f"setup: record ({label} run) {count} examples: {seconds:.2f} s "
                f"(exit {done.returncode})"
            )
        timings = []
        for _ in range(3):
            seconds, done = actionpact(
                "drift",
                "contracts",
                "--pacts",
                "pacts",
                "--report-md",
                "drift.md",
                "--report-json",
                "drift.json",
                "--junit",
                "junit.xml",
                "--output",
                "json",
                cwd=root,
            )
            timings.append(seconds)
        report = json.loads(done.stdout)
        print(
            f"actionpact drift over {report['summary']['examples']} recordings "
            f"({report['verifications'][0]['interactions']} interactions verified, "
            f"{sum(len(e['changes']) for e in report['examples'])} changes found): "
            f"best {min(timings):.2f} s, worst {max(timings):.2f} s (exit {done.returncode}; "
            "target < 10 s)"
        )
        seconds, done = actionpact(
            "drift", "contracts", "--output", "json", "--skip-verify", cwd=root
        )
        print(f"  of which without the Pact verifier (--skip-verify): {seconds:.2f} s")
    vendor.shutdown()


if __name__ == "__main__":
    main()
