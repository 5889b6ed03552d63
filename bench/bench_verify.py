"""Provider verification: actionpact's `verify_provider` against the bare pact `Verifier`.

Same pact (N CRM lookups, each with a provider state), same provider (stdlib HTTP server on
127.0.0.1), same state handler and custom header. The bare run is what a provider team would
write with pact-python alone; actionpact adds reading the pacts back to name each Data Action
and example, catching the engine's output and masking secrets. Target: within 1.2x.

A second figure times a run where every interaction fails (the provider renamed a field):
there actionpact also replays each request and runs the Data Action on the answer, which the
bare verifier does not do at all; it is printed for information.

    .venv/bin/python bench/bench_verify.py [N] [ROUNDS]
"""

from __future__ import annotations

import contextlib
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

os.environ.setdefault("PACT_DO_NOT_TRACK", "true")

REPO = Path(__file__).resolve().parents[1]
DEFINITION = REPO / "contracts" / "crm-lookup-by-phone.json"
TOKEN = "bench-token-0123456789"
PROVIDER = "example-crm"


class Provider:
    def __init__(self) -> None:
        self.rename = False
        self.customers: set[str] = set()
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                phone = parse_qs(urlsplit(self.path).query).get("phone", [""])[0]
                if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    status, body = 401, {"message": "no"}
                elif phone in provider.customers:
                    key = "customer_id" if provider.rename else "customerId"
                    record = {key: "C-1", "name": "Ada", "tier": "gold", "openCases": [1]}
                    status, body = 200, {"customers": [record]}
                else:
                    status, body = 200, {"customers": []}
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def state(self, state: str, action: str, params: Any) -> None:
        phone = str((params or {}).get("phone"))
        if action == "setup":
            self.customers.add(phone)
        else:
            self.customers.discard(phone)


def write_pact(folder: Path, n: int) -> Path:
    from pact import Pact, match

    from actionpact.definition import load_definition

    definition = load_definition(DEFINITION)
    pact = Pact("genesys-flows", PROVIDER).with_specification("V4")
    for i in range(n):
        phone = f"+1317555{i:04d}"
        interaction = (
            pact.upon_receiving(f"CRM lookup {i:03d}")
            .given(f"a customer with phone {phone} exists", {"phone": phone})
            .with_request("GET", "/api/v1/customers/search")
            .with_query_parameter("phone", phone)
            .with_header("Authorization", "Bearer <credentials.apiToken>")
        )
        interaction.set_comment(
            "actionpact",
            {
                "definition": {
                    "name": definition.name,
                    "contentHash": definition.content_hash,
                    "file": "contracts/crm-lookup-by-phone.json",
                },
                "example": {"name": f"caller {i}", "input": {"phone": phone}},
            },
        )
        interaction.will_respond_with(200).with_body(
            {
                "customers": match.like(
                    [
                        {
                            "customerId": match.like("C-1"),
                            "name": match.like("Ada"),
                            "tier": match.like("gold"),
                            "openCases": match.like([1]),
                        }
                    ],
                    min=1,
                )
            },
            content_type="application/json",
        )
    pact.write_file(folder, overwrite=True)
    return folder / f"genesys-flows-{PROVIDER}.json"


def bare(provider: Provider, pact: Path) -> float:
    from pact import Verifier

    def handler(state: str, action: str, parameters: Any) -> None:
        provider.state(state, action, parameters)

    start = time.perf_counter()
    verifier = (
        Verifier(PROVIDER, host="127.0.0.1")
        .add_transport(url=provider.url)
        .add_source(pact)
        .state_handler(handler, teardown=True)
        .add_custom_header("Authorization", f"Bearer {TOKEN}")
    )
    with contextlib.suppress(RuntimeError):
        verifier.verify()
    _ = verifier.results
    return time.perf_counter() - start


def ours(provider: Provider, pact: Path) -> float:
    from actionpact.verify import parse_header, verify_provider

    start = time.perf_counter()
    report = verify_provider(
        PROVIDER,
        provider.url,
        pacts=[pact],
        state_handler=provider.state,
        headers=[parse_header("Authorization: Bearer $T", environ={"T": TOKEN})],
        definitions=[REPO / "contracts"],
    )
    elapsed = time.perf_counter() - start
    expected = not provider.rename
    assert report.success is expected, [o.status for o in report.outcomes]
    return elapsed


def quiet(run: Any, *args: Any) -> float:
    """The bare verifier prints its report: send it to /dev/null, as a CI log would not."""
    sys.stdout.flush()
    saved = os.dup(1), os.dup(2)
    with open(os.devnull, "wb") as sink:
        os.dup2(sink.fileno(), 1)
        os.dup2(sink.fileno(), 2)
        try:
            return float(run(*args))
        finally:
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    provider = Provider()
    with tempfile.TemporaryDirectory() as scratch:
        pact = write_pact(Path(scratch), n)
        quiet(bare, provider, pact)  # warm-up: FFI load, imports, first connections
        quiet(ours, provider, pact)
        bare_times: list[float] = []
        our_times: list[float] = []
        for _ in range(rounds):
            bare_times.append(quiet(bare, provider, pact))
            our_times.append(quiet(ours, provider, pact))
        provider.rename = True
        failing_bare = [quiet(bare, provider, pact) for _ in range(3)]
        failing_ours = [quiet(ours, provider, pact) for _ in range(3)]
    b, o = statistics.median(bare_times), statistics.median(our_times)
    print(f"verify {n} interactions with provider states, median of {rounds} rounds")
    print(f"  bare pact Verifier:        {b * 1000:8.1f} ms")
    print(f"  actionpact verify_provider:{o * 1000:8.1f} ms")
    print(f"  ratio: {o / b:.2f}x (target <= 1.20x)")
    fb, fo = statistics.median(failing_bare), statistics.median(failing_ours)
    print("every interaction failing (renamed field), median of 3 rounds")
    print(f"  bare pact Verifier:        {fb * 1000:8.1f} ms")
    print(
        f"  actionpact verify_provider:{fo * 1000:8.1f} ms "
        "(also replays each failure and runs the action on it)"
    )
    print(f"  ratio: {fo / fb:.2f}x")


if __name__ == "__main__":
    main()
