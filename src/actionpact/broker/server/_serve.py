"""Serving the app with uvicorn: in the foreground (the CLI) or in a background thread.

Without credentials the broker refuses to listen beyond the loopback interface: an open
broker on a shared network would accept anyone's contracts and deployments.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
import threading
import time
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from actionpact.core.errors import ConfigError

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from actionpact.broker.server.auth import BrokerAuth

__all__ = ["check_bind", "serve", "serve_in_thread"]

logger = logging.getLogger("actionpact.broker.server")

START_TIMEOUT = 15.0
STOP_TIMEOUT = 10.0


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_bind(host: str, auth: BrokerAuth | None) -> None:
    """Refuse a non-loopback address when no credentials are configured.

    Raises:
        ConfigError: ``host`` is not loopback and ``auth`` configures nothing.
    """
    if not _is_loopback(host) and not (auth and auth.configured):
        raise ConfigError(
            f"refusing to listen on {host} without authentication: set "
            "PACT_BROKER_BASIC_AUTH_USERNAME/PACT_BROKER_BASIC_AUTH_PASSWORD or "
            "ACTIONPACT_BROKER_TOKEN, or listen on 127.0.0.1",
            setting="--host",
        )


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto must say TCP: asyncio only disables Nagle on sockets whose proto is IPPROTO_TCP,
    # and with Nagle on, each response body waits ~40 ms for the client's delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        raise ConfigError(
            f"cannot listen on {host}:{port}: {error.strerror or error}", setting="--port"
        ) from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _server(
    db_path: str | Path, auth: BrokerAuth | None, base_url: str | None, log_level: str
) -> Any:
    import uvicorn

    from actionpact.broker.server.app import build_app

    app = build_app(db_path, auth=auth, base_url=base_url)
    config = uvicorn.Config(
        app,
        log_level=log_level,
        access_log=log_level == "debug",
        lifespan="on",
        timeout_graceful_shutdown=5,
    )
    return uvicorn.Server(config)


def _url(sock: socket.socket, host: str) -> str:
    port = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


@contextmanager
def serve_in_thread(
    db_path: str | Path,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    auth: BrokerAuth | None = None,
    base_url: str | None = None,
) -> Iterator[str]:
    """Serve the broker on a real socket from a background thread.

    Yields the base URL (``http://127.0.0.1:PORT``) once the server accepts connections,
    and stops it on exit (a graceful stop, then a forced one, both bounded).

    Raises:
        ConfigError: a non-loopback ``host`` without credentials, or the port is taken.
        RuntimeError: the server did not start in time.
    """
    check_bind(host, auth)
    sock = _bind(host, port)
    server = _server(db_path, auth, base_url, "warning")
    failure: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(server.serve(sockets=[sock]))
        except BaseException as error:
            failure.append(error)

    thread = threading.Thread(target=run, name="actionpact-broker", daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT
    while not server.started:
        if failure or not thread.is_alive():
            sock.close()
            raise RuntimeError(f"the broker failed to start: {failure[0] if failure else '?'}")
        if time.monotonic() > deadline:
            server.should_exit = True
            sock.close()
            raise RuntimeError("the broker did not start within 15 s")
        time.sleep(0.01)
    try:
        yield _url(sock, host)
    finally:
        server.should_exit = True
        thread.join(STOP_TIMEOUT)
        if thread.is_alive():
            server.force_exit = True
            thread.join(STOP_TIMEOUT)
        sock.close()


def serve(
    db_path: str | Path,
    *,
    host: str = "127.0.0.1",
    port: int = 9292,
    auth: BrokerAuth | None = None,
    base_url: str | None = None,
    log_level: str = "info",
    on_ready: Any = None,
) -> None:
    """Serve in the foreground until interrupted (Ctrl-C or SIGTERM).

    Args:
        on_ready: called with the base URL once the socket is bound.
    """
    check_bind(host, auth)
    sock = _bind(host, port)
    server = _server(db_path, auth, base_url, log_level)
    if on_ready is not None:
        on_ready(_url(sock, host))
    try:
        asyncio.run(server.serve(sockets=[sock]))
    finally:
        sock.close()
