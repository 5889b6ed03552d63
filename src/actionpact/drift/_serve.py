"""Recordings served as a provider on 127.0.0.1, for the real Pact verifier to check.

A request is matched to a recording by method, path and query (parameters in any order,
decoded), then by body when several recordings share them; when that still leaves several,
the provider state the verifier set up last picks the one recorded for that state. A request
that matches nothing gets a 404 naming what was asked, so the verifier's report shows it.
"""

from __future__ import annotations

import json
import logging
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote, urlsplit

from actionpact.drift._model import BodyKind, Recording

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

__all__ = ["RecordingIndex", "RecordingServer", "request_key", "serve_recordings"]

logger = logging.getLogger("actionpact.drift")

_SKIPPED_HEADERS = frozenset(
    {"content-length", "transfer-encoding", "connection", "date", "server"}
)


def _query_key(query: str) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(parse_qsl(query, keep_blank_values=True)))


def _body_key(body: str | bytes | None) -> str:
    if body is None:
        return ""
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    if not text.strip():
        return ""
    try:
        return json.dumps(json.loads(text), sort_keys=True, separators=(",", ":"))
    except json.JSONDecodeError:
        return text.strip()


def request_key(method: str, path: str, query: str) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    """What a request is matched on: method, decoded path, sorted decoded query pairs."""
    return method.upper(), unquote(path or "/"), _query_key(query)


@dataclass(frozen=True, slots=True)
class _Entry:
    recording: Recording
    body: str
    states: frozenset[str]


class RecordingIndex:
    """Recordings looked up by request.

    Args:
        recordings: the recordings to serve; those without a request (not rendered) are left out.
    """

    def __init__(self, recordings: Sequence[Recording]) -> None:
        self._entries: dict[tuple[Any, ...], list[_Entry]] = {}
        for recording in sorted(recordings, key=lambda r: r.name):
            request = recording.request
            if request is None:
                continue
            key = request_key(request.method, request.path, request.query)
            states = frozenset(str(s.get("state", "")) for s in recording.given)
            self._entries.setdefault(key, []).append(
                _Entry(recording, _body_key(request.body), states)
            )

    @property
    def needs_states(self) -> bool:
        """Whether two recordings answer the same request: only provider states tell them apart."""
        return any(
            len({entry.body for entry in entries}) < len(entries)
            for entries in self._entries.values()
        )

    def find(
        self,
        method: str,
        target: str,
        body: bytes | None = None,
        states: frozenset[str] = frozenset(),
    ) -> Recording | None:
        """The recording for a request (``target`` is its path and query), or ``None``."""
        parts = urlsplit(target)
        candidates = self._entries.get(request_key(method, parts.path, parts.query), [])
        if len(candidates) > 1:
            wanted = _body_key(body)
            same_body = [c for c in candidates if c.body == wanted]
            candidates = same_body or candidates
        if len(candidates) > 1 and states:
            in_state = [c for c in candidates if c.states == states] or [
                c for c in candidates if c.states & states
            ]
            candidates = in_state or candidates
        return candidates[0].recording if candidates else None


class RecordingServer:
    """A running server; ``url`` is its base URL.

    Provider states reach it through :meth:`set_state`, which has the shape of a pact
    state handler ``(state, action, params)``.
    """

    def __init__(self, server: ThreadingHTTPServer, index: RecordingIndex) -> None:
        self._server = server
        self.index = index
        self._states: set[str] = set()
        self._lock = threading.Lock()
        host, port = server.server_address[:2]
        self.url = f"http://{host!s}:{port}"
        self.served = 0
        self.unmatched: list[str] = []

    def set_state(
        self, state: str, action: str, parameters: Mapping[str, Any] | None = None
    ) -> None:
        """Remember the provider states set up for the next interaction."""
        del parameters  # recordings are picked by state name; parameters are the example's own
        with self._lock:
            if action == "teardown":
                self._states.discard(state)
            else:
                self._states.add(state)

    def clear_states(self) -> None:
        """Forget every provider state."""
        with self._lock:
            self._states.clear()

    def states(self) -> frozenset[str]:
        """The provider states currently set up."""
        with self._lock:
            return frozenset(self._states)


def _handler(owner: list[RecordingServer]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body in one write, and no Nagle: otherwise each answer waits on a
        # delayed ACK and 500 interactions take seconds longer.
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:
            logger.debug("serve: " + format, *args)

        def _answer(self) -> None:
            server = owner[0]
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            recording = server.index.find(self.command, self.path, body, server.states())
            if recording is None:
                server.unmatched.append(f"{self.command} {self.path}")
                self._send(
                    404,
                    {"content-type": "application/json"},
                    json.dumps(
                        {"error": f"no recording matches {self.command} {self.path}"}
                    ).encode(),
                )
                return
            server.served += 1
            response = recording.response
            if response is None or response.kind is BodyKind.omitted:
                problem = recording.problem or recording.outcome.value
                self._send(
                    502,
                    {"content-type": "application/json"},
                    json.dumps(
                        {
                            "error": f"no recorded response body: {problem}",
                            "recording": recording.name,
                        }
                    ).encode(),
                )
                return
            headers = {k: v for k, v in response.headers.items() if k not in _SKIPPED_HEADERS}
            self._send(response.status, headers, response.body_text().encode("utf-8"))

        def _send(self, status: int, headers: Mapping[str, str], data: bytes) -> None:
            # Status line, headers and body in one write: one packet, no delayed ACK.
            reason = self.responses.get(status, ("",))[0]
            lines = [f"{self.protocol_version} {status} {reason}"]
            lines += [f"{name}: {value}" for name, value in headers.items()]
            lines.append(f"Content-Length: {len(data)}")
            head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", errors="replace")
            self.log_request(status)
            self.wfile.write(head + (data if self.command != "HEAD" else b""))

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _answer  # noqa: N815

    return Handler


@contextmanager
def serve_recordings(recordings: Sequence[Recording]) -> Iterator[RecordingServer]:
    """Serve ``recordings`` on 127.0.0.1 (a free port) for the duration of the block."""
    owner: list[RecordingServer] = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(owner))
    httpd.daemon_threads = True
    server = RecordingServer(httpd, RecordingIndex(recordings))
    owner.append(server)
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
