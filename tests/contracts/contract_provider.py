"""A small real provider on 127.0.0.1 serving the APIs the bundled example actions call.

It answers the CRM (``/api/v1/customers/search``, ``/api/v1/cases``) and the parts of the
Genesys Cloud Platform API the examples use (queue estimated wait time, user presence), as
their documentation describes them, with more fields than the actions read. Provider states
set up its data. ``rename`` makes it send ``customer_id`` instead of ``customerId``: the
breaking change a contract must catch.
"""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


class ContractProvider:
    """The provider and its data; ``apply_state`` is the Pact state handler."""

    def __init__(self) -> None:
        self.customers: dict[str, dict[str, Any]] = {}
        self.queues: dict[str, dict[str, Any]] = {}
        self.presences: dict[str, dict[str, Any]] = {}
        self.rename = False
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> ContractProvider:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                provider.handle(self, "GET")

            def do_POST(self) -> None:
                provider.handle(self, "POST")

            def do_PATCH(self) -> None:
                provider.handle(self, "PATCH")

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # ------------------------------------------------------------------ states

    def apply_state(self, state: str, action: str, params: Any) -> None:
        """Pact provider-state handler: ``(state, "setup"|"teardown", params)``."""
        params = dict(params or {})
        if action == "teardown":
            self.customers.clear()
            self.queues.clear()
            self.presences.clear()
            return
        if state == "a customer owns the phone number":
            self._customer(params["customerId"], params["phone"])
        elif state == "a customer exists":
            self._customer(params["customerId"], "+13175550100")
        elif state == "a queue with agents on it":
            self.queues[params["queueId"]] = {"formula": "BEST", "seconds": 95}
        elif state == "a conversation waiting in a queue":
            self.queues[params["queueId"]] = {"formula": "PATIENCE_AND_ABANDON", "seconds": 40}
        elif state == "a user with a presence":
            self.presences[params["userId"]] = {"systemPresence": params["systemPresence"]}
        # "no customer ...", "no queue ...": nothing to set up.

    def _customer(self, customer_id: str, phone: str) -> None:
        self.customers[customer_id] = {
            "customerId": customer_id,
            "name": "Ada Lovelace",
            "tier": "gold",
            "phone": phone,
            "createdAt": "2019-04-01T09:30:00Z",
            "openCases": [{"caseId": "CS-1", "subject": "Router keeps rebooting"}],
            "contacts": [
                {"role": "billing", "name": "Alan Turing"},
                {"role": "account-manager", "name": "Grace Hopper"},
            ],
        }

    # ------------------------------------------------------------------ routes

    def handle(self, request: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(request.path)
        query = parse_qs(parts.query)
        length = int(request.headers.get("Content-Length") or 0)
        body = json.loads(request.rfile.read(length) or b"null") if length else None
        path = parts.path
        if path.startswith("/api/v1/") and not (
            request.headers.get("Authorization") or ""
        ).startswith("Bearer "):
            return self._send(request, 401, {"error": "unauthorized"})
        if method == "GET" and path == "/api/v1/customers/search":
            phone = (query.get("phone") or [""])[0]
            found = [self._shape(c) for c in self.customers.values() if c["phone"] == phone]
            if not found:
                return self._send(request, 404, {"error": "not_found"})
            return self._send(request, 200, {"customers": found, "total": len(found)})
        if method == "POST" and path == "/api/v1/cases":
            customer = (body or {}).get("customerId")
            if customer not in self.customers:
                return self._send(request, 422, {"error": "unknown_customer"})
            case_id = "CS-4242"
            return self._send(
                request,
                201,
                {
                    "caseId": case_id,
                    "status": "new",
                    "links": {"self": f"https://crm.example.com/cases/{case_id}"},
                    "createdAt": "2024-01-02T03:04:05Z",
                },
            )
        match = re.fullmatch(r"/api/v2/routing/queues/([^/]+)/estimatedwaittime", path)
        if method == "GET" and match:
            queue = self.queues.get(match.group(1))
            if queue is None:
                return self._send(request, 404, {"message": "Queue not found", "status": 404})
            return self._send(
                request,
                200,
                {
                    "results": [
                        {
                            "intent": "ESTIMATED_WAIT_TIME",
                            "formula": queue["formula"],
                            "estimatedWaitTimeSeconds": queue["seconds"],
                        }
                    ]
                },
            )
        match = re.fullmatch(r"/api/v2/users/([^/]+)/presences/purecloud", path)
        if match:
            user = self.presences.get(match.group(1))
            if user is None:
                return self._send(request, 404, {"message": "User not found"})
            if method == "PATCH":
                user["systemPresence"] = "Break"
            return self._send(
                request,
                200,
                {
                    "source": "PURECLOUD",
                    "primary": True,
                    "presenceDefinition": {
                        "id": "6a3af858-942f-489d-9700-5f9bcdcdae9b",
                        "systemPresence": user["systemPresence"],
                    },
                    "presenceMessage": "Back at 2pm",
                    "modifiedDate": "2024-01-02T03:04:05Z",
                },
            )
        return self._send(request, 404, {"error": f"no route {method} {path}"})

    def _shape(self, customer: dict[str, Any]) -> dict[str, Any]:
        shaped = dict(customer)
        if self.rename:
            shaped["customer_id"] = shaped.pop("customerId")
        return shaped

    @staticmethod
    def _send(request: BaseHTTPRequestHandler, status: int, payload: Any) -> None:
        data = json.dumps(payload).encode("utf-8")
        request.send_response(status)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(data)))
        request.end_headers()
        request.wfile.write(data)
