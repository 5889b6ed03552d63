"""A small real CRM provider on 127.0.0.1 and a pact for the bundled CRM lookup action.

The provider serves the API `contracts/crm-lookup-by-phone.json` calls
(`GET /api/v1/customers/search?phone=...`), answers 401 without the real bearer token, knows
only the customers its provider states created, and can rename `customerId` to `customer_id`
the way a careless release would. It has its own state-change endpoint (`POST /_states`).
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
CONSUMER = "genesys-flows"
PROVIDER = "example-crm"
KNOWN_PHONE = "+13175550123"
UNKNOWN_PHONE = "+13175550000"
TOKEN = "crm-real-token-7f3a9c2e51"  # what the provider accepts; never in the pact
CUSTOMER = {
    "customerId": "C-1001",
    "name": "Ada Lovelace",
    "tier": "gold",
    "openCases": [{"id": "CS-1"}, {"id": "CS-2"}],
    "contacts": [{"role": "account-manager", "name": "Grace Hopper"}],
}


class CrmProvider:
    """The provider's state, shared with its request handler thread."""

    def __init__(self) -> None:
        self.rename = False
        self.customers: dict[str, dict[str, Any]] = {}
        self.states: list[tuple[str, str, dict[str, Any]]] = []
        self.headers: list[dict[str, str]] = []
        self.lock = threading.Lock()
        self.url = ""
        self._server: ThreadingHTTPServer | None = None

    def apply_state(self, state: str, action: str, params: Mapping[str, Any]) -> None:
        """What the provider's own state handler does (also reached through POST /_states)."""
        with self.lock:
            self.states.append((state, action, dict(params)))
            phone = str(params.get("phone", ""))
            if action == "teardown":
                self.customers.pop(phone, None)
            elif state.startswith("a customer with phone"):
                self.customers[phone] = dict(CUSTOMER)
            elif state.startswith("no customer"):
                self.customers.pop(phone, None)

    def body_for(self, phone: str) -> dict[str, Any]:
        with self.lock:
            customer = self.customers.get(phone)
            if customer is None:
                return {"customers": []}
            record = dict(customer)
            if self.rename:
                record["customer_id"] = record.pop("customerId")
            return {"customers": [record]}

    def start(self) -> CrmProvider:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def _send(self, status: int, body: Any) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
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
                    return
                if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    self._send(401, {"message": "invalid or missing token"})
                    return
                phone = parse_qs(parts.query).get("phone", [""])[0]
                self._send(200, provider.body_for(phone))

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
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


def origin(example: str, phone: str) -> dict[str, Any]:
    """The origin `actionpact generate` records in each interaction."""
    from actionpact.definition import load_definition

    definition = load_definition(CRM_DEFINITION)
    return {
        "definition": {
            "name": definition.name,
            "contentHash": definition.content_hash,
            "file": "contracts/crm-lookup-by-phone.json",
        },
        "example": {"name": example, "input": {"phone": phone}},
    }


def write_crm_pact(folder: Path, *, consumer: str = CONSUMER, provider: str = PROVIDER) -> Path:
    """Write the CRM lookup pact (known and unknown caller) with pact-python itself."""
    from pact import Pact, match

    pact = Pact(consumer, provider).with_specification("V4")
    known = (
        pact.upon_receiving("CRM - Lookup Customer By Phone: known caller")
        .given("a customer with phone +13175550123 exists", {"phone": KNOWN_PHONE})
        .with_request("GET", "/api/v1/customers/search")
        .with_query_parameter("phone", KNOWN_PHONE)
        .with_header("Authorization", "Bearer <credentials.apiToken>")
        .with_header("Accept", "application/json")
    )
    known.set_comment("actionpact", origin("known caller", KNOWN_PHONE))
    (
        known.will_respond_with(200)
        .with_header("Content-Type", "application/json")
        .with_body(
            {
                # like([...], min=1): pact-python drops each_like's min=1, and an empty
                # list would then match.
                "customers": match.like(
                    [
                        {
                            "customerId": match.like("C-1001"),
                            "name": match.like("Ada Lovelace"),
                            "tier": match.regex("gold", regex="^(gold|silver|bronze)$"),
                            "openCases": match.each_like({"id": match.like("CS-1")}),
                            "contacts": match.each_like(
                                {"role": "account-manager", "name": match.like("Grace Hopper")}
                            ),
                        }
                    ],
                    min=1,
                )
            },
            content_type="application/json",
        )
    )
    unknown = (
        pact.upon_receiving("CRM - Lookup Customer By Phone: unknown caller")
        .given("no customer has phone +13175550000", {"phone": UNKNOWN_PHONE})
        .with_request("GET", "/api/v1/customers/search")
        .with_query_parameter("phone", UNKNOWN_PHONE)
        .with_header("Authorization", "Bearer <credentials.apiToken>")
        .with_header("Accept", "application/json")
    )
    unknown.set_comment("actionpact", origin("unknown caller", UNKNOWN_PHONE))
    (
        unknown.will_respond_with(200)
        .with_header("Content-Type", "application/json")
        .with_body({"customers": []}, content_type="application/json")
    )
    folder.mkdir(parents=True, exist_ok=True)
    pact.write_file(folder, overwrite=True)
    return folder / f"{consumer}-{provider}.json"
