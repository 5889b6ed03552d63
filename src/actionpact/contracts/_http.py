"""A minimal HTTP/1.1 client for the Pact mock servers on 127.0.0.1.

Every interaction is sent to a mock server, thousands per run, so the client's own cost
counts: ``http.client`` parses each response's headers with the ``email`` package and takes
about a third more CPU per request than this. It speaks only what the mock server answers:
status line, headers, a ``Content-Length`` or chunked body, keep-alive.
"""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import io
    from collections.abc import Mapping

__all__ = ["LocalClient", "Response"]

_END = (b"\r\n", b"\n", b"")


class Response:
    """A response: status, Content-Type (or ``None``) and the body."""

    __slots__ = ("body", "content_type", "status")

    def __init__(self, status: int, content_type: str | None, body: bytes) -> None:
        self.status = status
        self.content_type = content_type
        self.body = body


class LocalClient:
    """One kept-alive connection to ``127.0.0.1:port``; reconnects when the server closes.

    Raises:
        OSError: the server cannot be reached or answers something that is not HTTP/1.x.
    """

    def __init__(self, port: int, *, timeout: float = 30.0) -> None:
        self._address = ("127.0.0.1", port)
        self._host = f"127.0.0.1:{port}".encode("ascii")
        self._timeout = timeout
        self._socket: socket.socket | None = None
        self._file: io.BufferedReader | None = None

    def __enter__(self) -> LocalClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection (the next request opens a new one)."""
        if self._file is not None:
            self._file.close()
            self._file = None
        if self._socket is not None:
            self._socket.close()
            self._socket = None

    def _connect(self) -> tuple[socket.socket, io.BufferedReader]:
        if self._socket is None or self._file is None:
            connection = socket.create_connection(self._address, timeout=self._timeout)
            connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._socket = connection
            self._file = connection.makefile("rb")
        assert self._socket is not None
        assert self._file is not None
        return self._socket, self._file

    def request(
        self, method: str, target: str, headers: Mapping[str, str], body: bytes | None
    ) -> Response:
        """Send one request and read its whole response."""
        lines = [f"{method} {target} HTTP/1.1".encode("latin-1"), b"Host: " + self._host]
        lines.extend(f"{name}: {value}".encode() for name, value in headers.items())
        if body is not None:
            lines.append(b"Content-Length: %d" % len(body))
        connection, stream = self._connect()
        connection.sendall(b"\r\n".join(lines) + b"\r\n\r\n" + (body or b""))
        status_line = stream.readline()
        parts = status_line.split(b" ", 2)
        if len(parts) < 2 or not parts[0].startswith(b"HTTP/1."):
            self.close()
            raise OSError(f"not an HTTP answer: {status_line[:80]!r}")
        status = int(parts[1])
        length, content_type, chunked, close = 0, None, False, False
        while True:
            line = stream.readline()
            if line in _END:
                break
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            value = value.strip()
            if name == b"content-length":
                length = int(value)
            elif name == b"content-type":
                content_type = value.decode("latin-1")
            elif name == b"transfer-encoding":
                chunked = b"chunked" in value.lower()
            elif name == b"connection":
                close = value.lower() == b"close"
        payload = self._chunked(stream) if chunked else stream.read(length)
        if close:
            self.close()
        return Response(status, content_type, payload)

    @staticmethod
    def _chunked(stream: io.BufferedReader) -> bytes:
        parts: list[bytes] = []
        while True:
            size = int(stream.readline().split(b";")[0], 16)
            if size == 0:
                while stream.readline() not in _END:
                    pass
                return b"".join(parts)
            parts.append(stream.read(size))
            stream.readline()
