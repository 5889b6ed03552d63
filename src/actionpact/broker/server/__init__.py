"""A Pact-Broker-compatible server on SQLite, for one machine.

The quick start's embedded broker, CI jobs without Docker and the project's own end-to-end
tests run it; teams share the official Pact Broker or PactFlow instead (see ``broker/``).
It speaks the API the official clients use (same paths, HAL links and JSON) and computes
can-i-deploy the way the broker does. Starlette and uvicorn load only when a server starts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from actionpact.broker.server._serve import check_bind, serve, serve_in_thread
from actionpact.broker.server.auth import TOKEN_ENV, BrokerAuth

if TYPE_CHECKING:
    from pathlib import Path

    from starlette.applications import Starlette

__all__ = ["TOKEN_ENV", "BrokerAuth", "check_bind", "create_app", "serve", "serve_in_thread"]


def create_app(
    db_path: str | Path, *, auth: BrokerAuth | None = None, base_url: str | None = None
) -> Starlette:
    """Build the broker's ASGI app (Starlette) over the SQLite file at ``db_path``.

    The database is created and migrated on the way.

    Args:
        db_path: the SQLite file (created with its folder when missing).
        auth: credentials to require; ``None`` leaves the API open.
        base_url: the public URL used in links; by default each request's own.
    """
    from actionpact.broker.server.app import build_app

    return build_app(db_path, auth=auth, base_url=base_url)
