"""A small real "vendor" API on 127.0.0.1 whose answers change between recording runs, and a
project (definitions, specs, actionpact.yaml) whose actions call it."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import textwrap
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

if TYPE_CHECKING:
    from pathlib import Path

SECRET_TOKEN = "tok-9f8e7d6c5b4a-SECRET"
SECRET_KEY = "key/Zx81+qq=="  # url-encodes differently: catches a leak through the query

CUSTOMERS: dict[str, dict[str, Any]] = {
    "+13175550123": {
        "customerId": "C-1001",
        "name": "Ada Lovelace",
        "tier": "gold",
        "email": "ada.lovelace@example.org",
        "phone": "+13175550123",
        "openCases": [{"caseId": "CS-1"}, {"caseId": "CS-2"}],
    },
    "+13175550124": {
        "customerId": "C-1002",
        "name": "Edsger Dijkstra",
        "tier": "silver",
        "email": "edsger@example.org",
        "phone": "+13175550124",
        "openCases": [],
    },
}

Answer = tuple[int, dict[str, str], bytes]
Mode = Callable[["Vendor", str, str, dict[str, list[str]], dict[str, str], bytes], Answer | None]


def json_answer(status: int, body: Any, **headers: str) -> Answer:
    return status, {"Content-Type": "application/json", **headers}, json.dumps(body).encode()


def baseline(
    vendor: Vendor,
    method: str,
    path: str,
    query: dict[str, list[str]],
    headers: dict[str, str],
    body: bytes,
) -> Answer | None:
    del vendor, headers
    if method == "GET" and path == "/api/v1/customers/search":
        phone = query.get("phone", [""])[0]
        customer = CUSTOMERS.get(phone)
        if customer is None:
            return json_answer(
                404, {"error": "not_found", "message": "No customer has this phone number"}
            )
        return json_answer(
            200,
            {"customers": [customer], "total": 1},
            **{"Set-Cookie": f"session={SECRET_TOKEN}; HttpOnly", "X-Request-Id": "r-1"},
        )
    if method == "POST" and path == "/api/v1/cases":
        sent = json.loads(body or b"{}")
        return json_answer(200, {"caseId": "CS-4242", "status": "new", "echo": sent.get("subject")})
    return None


@dataclass
class Vendor:
    """The vendor API. ``mode`` decides each answer; ``None`` falls back to the baseline."""

    mode: Mode | None = None
    requests: list[dict[str, Any]] = field(default_factory=list)
    delay: float = 0.0
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def count(self) -> int:
        with self._lock:
            return len(self.requests)

    def start(self) -> Vendor:
        vendor = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                """No access log: the tests read responses, not logs."""

            def handle_any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                query = parse_qs(parts.query, keep_blank_values=True)
                headers = {k.lower(): v for k, v in self.headers.items()}
                with vendor._lock:
                    vendor.requests.append(
                        {
                            "method": self.command,
                            "path": parts.path,
                            "query": query,
                            "headers": headers,
                            "body": body,
                        }
                    )
                if vendor.delay:
                    time.sleep(vendor.delay)
                answer = None
                if vendor.mode is not None:
                    answer = vendor.mode(vendor, self.command, parts.path, query, headers, body)
                if answer is None:
                    answer = baseline(vendor, self.command, parts.path, query, headers, body)
                if answer is None:
                    answer = json_answer(404, {"error": "no route"})
                status, out_headers, data = answer
                self.send_response(status)
                for name, value in out_headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                # The client may stop reading (a size cap or a timeout).
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(data)

            do_GET = do_POST = handle_any  # noqa: N815

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


# --------------------------------------------------------------------------- changed answers


def renamed(
    vendor: Vendor,
    method: str,
    path: str,
    query: dict[str, list[str]],
    headers: dict[str, str],
    body: bytes,
) -> Answer | None:
    answer = baseline(vendor, method, path, query, headers, body)
    if answer is None or path != "/api/v1/customers/search" or answer[0] != 200:
        return answer
    data = json.loads(answer[2])
    for customer in data["customers"]:
        customer["customer_id"] = customer.pop("customerId")
    return answer[0], answer[1], json.dumps(data).encode()


def added(
    vendor: Vendor,
    method: str,
    path: str,
    query: dict[str, list[str]],
    headers: dict[str, str],
    body: bytes,
) -> Answer | None:
    answer = baseline(vendor, method, path, query, headers, body)
    if answer is None or path != "/api/v1/customers/search" or answer[0] != 200:
        return answer
    data = json.loads(answer[2])
    for customer in data["customers"]:
        customer["loyaltyPoints"] = 120
    return answer[0], answer[1], json.dumps(data).encode()


def burst(limit: int, retry_after: str = "1") -> Mode:
    """The first ``limit`` requests get the Genesys-style 429; the rest the baseline."""

    def mode(
        vendor: Vendor,
        method: str,
        path: str,
        query: dict[str, list[str]],
        headers: dict[str, str],
        body: bytes,
    ) -> Answer | None:
        if vendor.count() <= limit:
            return json_answer(
                429,
                {
                    "message": "Rate limit exceeded the maximum. Retry the request in "
                    f"[{retry_after}] seconds",
                    "code": "too.many.requests.retry.after",
                    "status": 429,
                },
                **{"Retry-After": retry_after},
            )
        return None

    return mode


def server_error(
    vendor: Vendor,
    method: str,
    path: str,
    query: dict[str, list[str]],
    headers: dict[str, str],
    body: bytes,
) -> Answer | None:
    # A partial outage: lookups of existing customers fail, the rest answers as before.
    if path == "/api/v1/customers/search" and query.get("phone", [""])[0] in CUSTOMERS:
        return json_answer(500, {"message": "The server encountered an unexpected condition"})
    return None


def html_page(
    vendor: Vendor,
    method: str,
    path: str,
    query: dict[str, list[str]],
    headers: dict[str, str],
    body: bytes,
) -> Answer | None:
    if path == "/api/v1/customers/search":
        page = b"<!DOCTYPE html><html><body><h1>Maintenance</h1>Back at 10:00.</body></html>"
        return 200, {"Content-Type": "text/html; charset=utf-8"}, page
    return None


# --------------------------------------------------------------------------- the project

LOOKUP: dict[str, Any] = {
    "name": "Vendor CRM - Lookup By Phone",
    "integrationType": "custom-rest-actions",
    "actionType": "custom",
    "config": {
        "request": {
            "requestUrlTemplate": (
                "https://crm.example.com/api/v1/customers/search?phone=$esc.url(${input.phone})"
                "&key=$esc.url(${credentials.apiKey})"
            ),
            "requestType": "GET",
            "headers": {
                "Authorization": "Bearer ${credentials.apiToken}",
                "Accept": "application/json",
            },
            "requestTemplate": "${input.rawRequest}",
        },
        "response": {
            "translationMap": {
                "customerId": "$.customers[0].customerId",
                "customerName": "$.customers[0].name",
                "tier": "$.customers[0].tier",
                "email": "$.customers[0].email",
                "openCaseCount": "$.customers[0].openCases.length()",
            },
            "translationMapDefaults": {
                "customerId": '""',
                "customerName": '""',
                "tier": '"bronze"',
                "email": '""',
                "openCaseCount": "0",
            },
            "successTemplate": (
                '{"customerId": ${customerId}, "customerName": ${customerName}, '
                '"tier": ${tier}, "email": ${email}, "openCaseCount": ${openCaseCount}}'
            ),
        },
    },
    "contract": {
        "input": {
            "inputSchema": {
                "type": "object",
                "required": ["phone"],
                "properties": {"phone": {"type": "string"}},
            }
        },
        "output": {
            "successSchema": {
                "type": "object",
                "properties": {
                    "customerId": {"type": "string"},
                    "customerName": {"type": "string"},
                    "tier": {"type": "string", "enum": ["gold", "silver", "bronze"]},
                    "email": {"type": "string"},
                    "openCaseCount": {"type": "integer"},
                },
            }
        },
    },
    "secure": False,
}

LOOKUP_SPEC = """\
examples:
  - name: known caller
    given:
      state: a customer owns the phone number
      params: {phone: "+13175550123"}
    input: {phone: "+13175550123"}
    response:
      body:
        customers:
          - customerId: C-1001
            name: Ada Lovelace
            tier: gold
            email: ada.lovelace@example.org
            openCases: [{caseId: CS-1}]
    expect:
      output: {customerId: C-1001, tier: gold, email: ada.lovelace@example.org}
  - name: silver caller
    given:
      state: a customer owns the phone number
      params: {phone: "+13175550124"}
    input: {phone: "+13175550124"}
    response:
      body:
        customers:
          - customerId: C-1002
            name: Edsger Dijkstra
            tier: silver
            email: e@example.org
            openCases: []
    expect:
      jsonata:
        - tier in ["gold", "silver"]
  - name: unknown caller
    given: no customer owns the phone number
    input: {phone: "+13175550199"}
    response:
      status: 404
      body: {error: not_found}
    expect:
      fails: {step: 8}
"""

CREATE: dict[str, Any] = {
    "name": "Vendor CRM - Create Case",
    "integrationType": "custom-rest-actions",
    "actionType": "custom",
    "config": {
        "request": {
            "requestUrlTemplate": "https://crm.example.com/api/v1/cases",
            "requestType": "POST",
            "headers": {"X-Api-Key": "${credentials.apiKey}", "Content-Type": "application/json"},
            "requestTemplate": '{"subject": "$esc.jsonString(${input.subject})"}',
        },
        "response": {
            "translationMap": {"caseId": "$.caseId"},
            "translationMapDefaults": {},
            "successTemplate": '{"caseId": ${caseId}}',
        },
    },
    "contract": {
        "input": {
            "inputSchema": {
                "type": "object",
                "required": ["subject"],
                "properties": {"subject": {"type": "string"}},
            }
        },
        "output": {
            "successSchema": {"type": "object", "properties": {"caseId": {"type": "string"}}}
        },
    },
    "secure": False,
}

CONFIG = """\
consumer: ivr-flows
providers:
  - name: vendor-crm
    host: "crm.example.com"
credentials:
  vendor-crm:
    apiToken: VENDOR_CRM_TOKEN
    apiKey: VENDOR_CRM_KEY
"""


def write_project(root: Path) -> Path:
    """Definitions, specs and actionpact.yaml under ``root``; returns the contracts folder."""
    contracts = root / "contracts"
    contracts.mkdir(parents=True, exist_ok=True)
    (contracts / "lookup.json").write_text(json.dumps(LOOKUP, indent=2), encoding="utf-8")
    (contracts / "lookup.spec.yaml").write_text(LOOKUP_SPEC, encoding="utf-8")
    (contracts / "create-case.json").write_text(json.dumps(CREATE, indent=2), encoding="utf-8")
    (root / "actionpact.yaml").write_text(textwrap.dedent(CONFIG), encoding="utf-8")
    return contracts


class FakeClock:
    """A clock whose sleeps return at once and move time forward."""

    def __init__(self) -> None:
        self.t = 1000.0
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def monotonic(self) -> float:
        with self._lock:
            return self.t

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            with self._lock:
                self.sleeps.append(seconds)
                self.t += seconds

    def now(self) -> dt.datetime:
        with self._lock:
            return dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC) + dt.timedelta(
                seconds=self.t - 1000
            )
