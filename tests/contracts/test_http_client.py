"""The minimal HTTP client used against the Pact mock servers."""

from __future__ import annotations

import socket
import threading
from typing import TYPE_CHECKING

import pytest

from actionpact.contracts._http import LocalClient

if TYPE_CHECKING:
    from collections.abc import Iterator

ANSWERS = [
    b'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 7\r\n\r\n{"a":1}',
    b"HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
    b"HTTP/1.1 201 Created\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
    b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n",
]


@pytest.fixture
def server() -> Iterator[tuple[int, list[bytes]]]:
    """Answers the canned responses in order, closing after a `Connection: close`."""
    listener = socket.create_server(("127.0.0.1", 0))
    received: list[bytes] = []

    def serve() -> None:
        answers = list(ANSWERS)
        while answers:
            connection, _ = listener.accept()
            with connection, connection.makefile("rb") as stream:
                while answers:
                    head = b""
                    while not head.endswith(b"\r\n\r\n"):
                        line = stream.readline()
                        if not line:
                            break
                        head += line
                    if not head:
                        break
                    length = 0
                    for line in head.split(b"\r\n"):
                        if line.lower().startswith(b"content-length:"):
                            length = int(line.split(b":")[1])
                    received.append(head + stream.read(length))
                    answer = answers.pop(0)
                    connection.sendall(answer)
                    if b"Connection: close" in answer:
                        break

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1], received
    finally:
        listener.close()
        thread.join(timeout=5)


def test_bodies_chunks_and_reconnection(server: tuple[int, list[bytes]]) -> None:
    port, received = server
    with LocalClient(port, timeout=5) as client:
        first = client.request("GET", "/a?x=1", {"Accept": "application/json"}, None)
        second = client.request("POST", "/b", {"Content-Type": "text/plain"}, b"hello")
        third = client.request("GET", "/c", {}, None)
        # The server closed the connection: the client opens a new one.
        fourth = client.request("GET", "/d", {}, None)
    assert (first.status, first.content_type, first.body) == (200, "application/json", b'{"a":1}')
    assert (second.status, second.content_type, second.body) == (404, None, b"abcde")
    assert (third.status, third.body) == (201, b"ok")
    assert (fourth.status, fourth.body) == (204, b"")
    assert received[0].startswith(b"GET /a?x=1 HTTP/1.1\r\nHost: 127.0.0.1:")
    assert b"Accept: application/json" in received[0]
    assert received[1].endswith(b"Content-Length: 5\r\n\r\nhello")


def test_something_else_than_http_is_an_error() -> None:
    listener = socket.create_server(("127.0.0.1", 0))

    def answer() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.recv(1024)
            connection.sendall(b"SSH-2.0-OpenSSH\r\n")

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    try:
        with (
            LocalClient(listener.getsockname()[1], timeout=5) as client,
            pytest.raises(OSError, match="not an HTTP answer"),
        ):
            client.request("GET", "/", {}, None)
    finally:
        listener.close()
        thread.join(timeout=5)
