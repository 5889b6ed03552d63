"""A small real CRM provider on 127.0.0.1, and the pact `generate` makes for it.

The provider serves the API `contracts/crm-lookup-by-phone.json` calls
(`GET /api/v1/customers/search?phone=...`) as its spec describes it: it answers 401 without
the real bearer token, knows only the customers its provider states created (404 otherwise),
and can rename `customerId` to `customer_id` the way a careless release would. It has its own
state-change endpoint (`POST /_states`).
"""

from __future__ import annotations

import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

if TYPE_CHECKING:
    from collections.abc import Mapping

# pact-python reports usage over the network unless told not to; tests reach 127.0.0.1 only.
os.environ.setdefault("PACT_DO_NOT_TRACK", "true")

REPO = Path(__file__).resolve().parents[2]
CRM_DEFINITION = REPO / "contracts" / "crm-lookup-by-phone.json"
CONSUMER = "genesys-data-actions"
PROVIDER = "example-crm"
ACTION = "CRM - Lookup Customer By Phone"
KNOWN_PHONE = "+13175550123"
UNKNOWN_PHONE = "+13175550199"
OWNS = "a customer owns the phone number"
NOBODY = "no customer owns the phone number"
TOKEN = "crm-real-token-7f3a9c2e51"  # what the provider accepts; never in the pact
CUSTOMER = {
    "customerId": "C-1001",
    "name": "Ada Lovelace",
    "tier": "gold",
    "createdAt": "2019-04-01T09:30:00Z",
    "openCases": [{"caseId": "CS-1"}, {"caseId": "CS-2"}],
    "contacts": [
        {"role": "billing", "name": "Alan Turing"},
        {"role": "account-manager", "name": "Grace Hopper"},
    ],
}


class CrmProvider:
    """The provider's data, shared with its request handler threads."""

    def __init__(self) -> None:
        self.rename = False
        self.customers: dict[str, dict[str, Any]] = {}
        self.states: list[tuple[str, str, dict[str, Any]]] = []
        self.headers: list[dict[str, str]] = []
        self.lock = threading.Lock()
        self.url = ""
        self._server: ThreadingHTTPServer | None = None

    def apply_state(self, state: str, action: str, params: Mapping[str, Any]) -> None:
        """The provider's own state handler (also reached through POST /_states)."""
        with self.lock:
            self.states.append((state, action, dict(params)))
            phone = str(params.get("phone", ""))
            if action == "teardown" or state == NOBODY:
                self.customers.pop(phone, None)
            elif state == OWNS:
                self.customers[phone] = {
                    **CUSTOMER,
                    "customerId": params.get("customerId", "C-1001"),
                }

    def answer(self, phone: str) -> tuple[int, dict[str, Any]]:
        with self.lock:
            customer = self.customers.get(phone)
            if customer is None:
                return 404, {"error": "not_found", "message": "No customer has this phone"}
            record = dict(customer)
            if self.rename:
                record["customer_id"] = record.pop("customerId")
            return 200, {"customers": [record]}

    def start(self) -> CrmProvider:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def _send(self, status: int, body: Any) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                # Some APIs echo a correlation header: a secret sent there comes back.
                echo = self.headers.get("X-Correlation-Token")
                if echo:
                    self.send_header("X-Correlation-Token", echo)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                with provider.lock:
                    provider.headers.append({k.lower(): v for k, v in self.headers.items()})
                if parts.path != "/api/v1/customers/search":
                    self._send(404, {"message": "no such resource"})
                elif self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    self._send(401, {"message": "invalid or missing token"})
                else:
                    self._send(*provider.answer(parse_qs(parts.query).get("phone", [""])[0]))

            def do_POST(self) -> None:
                if urlsplit(self.path).path != "/_states":
                    self._send(404, {"message": "no such resource"})
                    return
                length = int(self.headers.get("Content-Length") or 0)
                data = json.loads(self.rfile.read(length) or b"{}")
                provider.apply_state(
                    str(data.get("state", "")),
                    str(data.get("action", "setup")),
                    dict(data.get("params") or {}),
                )
                self._send(200, {})

            def log_message(self, format: str, *args: Any) -> None:
                """No access log: the tests read responses, not logs."""

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


def write_crm_pact(folder: Path) -> Path:
    """Generate the CRM lookup pact from the bundled contracts/ with `actionpact generate`."""
    from actionpact.contracts import generate, load_config

    result = generate([CRM_DEFINITION], out=folder, config=load_config(REPO / "actionpact.yaml"))
    (pair,) = result.pairs
    assert (pair.consumer, pair.provider) == (CONSUMER, PROVIDER)
    return Path(pair.file)
