"""Whether `actionpact record` holds its configured rate (target: within 5 %).

Run: .venv/bin/python bench/bench_record.py

A vendor on 127.0.0.1 notes when each request arrives; `actionpact record --max-rate R`
records a project of synthetic Data Actions with several requests in flight at once. The rate
the vendor saw is (requests - 1) / (last arrival - first arrival), in requests per minute.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from bench_drift import definition


class Vendor(ThreadingHTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.daemon_threads = True
        self.arrivals: list[float] = []
        self.lock = threading.Lock()
        self.latency = 0.05  # a vendor that takes its time: concurrency has to do the work


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Vendor

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        with self.server.lock:
            self.server.arrivals.append(time.perf_counter())
        time.sleep(self.server.latency)
        data = json.dumps(
            {
                "item": {
                    "id": "I-1",
                    "title": "t",
                    "price": {"amount": 1.5},
                    "tags": [],
                    "stock": {"available": 1},
                }
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def run(count: int, per_minute: float, concurrency: int) -> None:
    vendor = Vendor()
    threading.Thread(target=vendor.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{vendor.server_address[1]}"
    with tempfile.TemporaryDirectory(prefix="bench-record-") as scratch:
        root = Path(scratch)
        (root / "contracts").mkdir()
        for number in range(count):
            (root / "contracts" / f"item-{number:04d}.json").write_text(
                json.dumps(definition(number)), encoding="utf-8"
            )
        exe = Path(sys.executable).with_name("actionpact")
        command = [str(exe)] if exe.exists() else [sys.executable, "-m", "actionpact"]
        start = time.perf_counter()
        done = subprocess.run(
            [
                *command,
                "record",
                "contracts",
                "--base-url",
                url,
                "--max-rate",
                str(per_minute),
                "--concurrency",
                str(concurrency),
                "--output",
                "json",
            ],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ},
        )
        elapsed = time.perf_counter() - start
    vendor.shutdown()
    arrivals = sorted(vendor.arrivals)
    span = arrivals[-1] - arrivals[0]
    measured = (len(arrivals) - 1) / span * 60 if span > 0 else float("inf")
    deviation = (measured - per_minute) / per_minute * 100
    print(
        f"--max-rate {per_minute:g}/min, --concurrency {concurrency}, {count} requests "
        f"(vendor latency {vendor.latency * 1000:.0f} ms): measured {measured:.1f}/min "
        f"({deviation:+.2f} %; target within 5 %), run {elapsed:.2f} s, exit {done.returncode}"
    )


def main() -> None:
    os.environ.setdefault("PACT_DO_NOT_TRACK", "true")
    run(60, 600, 4)
    run(100, 1200, 4)
    run(50, 3000, 8)


if __name__ == "__main__":
    main()
