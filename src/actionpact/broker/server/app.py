"""The Starlette application: authentication, routing over the raw path, threads for SQL.

Starlette is imported inside :func:`build_app` so that importing the package (and running
``actionpact --help``) stays cheap.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import uuid
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from actionpact.broker.server import (
    _routes_deployments,
    _routes_for_verification,
    _routes_index,
    _routes_matrix,
    _routes_pacticipants,
    _routes_pacts,
)
from actionpact.broker.server._http import Call, HttpError, Reply
from actionpact.broker.server._router import Route, Router
from actionpact.broker.server.auth import BrokerAuth, check_access
from actionpact.broker.server.db import Database

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path

    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response

__all__ = ["ALL_ROUTES", "build_app"]

logger = logging.getLogger("actionpact.broker.server")

ALL_ROUTES: tuple[Route, ...] = (
    *_routes_index.ROUTES,
    *_routes_matrix.ROUTES,
    *_routes_pacticipants.ROUTES,
    *_routes_for_verification.ROUTES,
    *_routes_pacts.ROUTES,
    *_routes_deployments.ROUTES,
)
READ_METHODS = ("GET", "HEAD", "OPTIONS")
HEARTBEAT = "/diagnostic/status/heartbeat"


def _denied(
    auth: BrokerAuth, header: str | None, method: str, path: str, route: Route | None
) -> Reply | None:
    """The 401/403 reply for a request the credentials do not allow, or ``None``."""
    if not auth.configured:
        return None
    reading = method in READ_METHODS or (
        method == "POST" and route is not None and route.read_only_post
    )
    if path.rstrip("/") == HEARTBEAT and auth.public_heartbeat and method in READ_METHODS:
        return None
    if reading and auth.allow_public_read:
        return None
    access = check_access(auth, header)
    if access == "write" or (access == "read" and reading):
        return None
    if access == "read":
        return Reply(403, {"error": "Forbidden: the read-only user cannot make changes"})
    challenge = (
        'Basic realm="Restricted area"' if auth.username or auth.read_only_username else "Bearer"
    )
    return Reply(401, {"error": "Unauthorized"}, {"WWW-Authenticate": challenge})


def _error_reply(error: Exception) -> Reply:
    reference = uuid.uuid4().hex[:10]
    logger.error("error reference %s", reference, exc_info=error)
    message = f"An error has occurred. The details have been logged with the reference {reference}"
    return Reply(500, {"error": {"message": message, "reference": reference}})


def build_app(
    db_path: str | Path, *, auth: BrokerAuth | None = None, base_url: str | None = None
) -> Starlette:
    """Build the ASGI app over the SQLite database at ``db_path`` (created and migrated).

    Args:
        db_path: the database file.
        auth: credentials to require; ``None`` or an empty :class:`BrokerAuth` is open.
        base_url: the public URL for links (default: from each request's ``Host``).
    """
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import Response
    from starlette.routing import Route as StarletteRoute

    database = Database(db_path)
    router = Router(ALL_ROUTES)
    credentials = auth or BrokerAuth()
    fixed_base = base_url.rstrip("/") if base_url else None

    async def dispatch(request: Request) -> Response:
        raw = request.scope.get("raw_path") or request.url.path.encode()
        path = raw.decode("latin-1").split("?", 1)[0]
        method = request.method
        matched = router.match(path)
        route, params = matched if matched else (None, {})
        denied = _denied(credentials, request.headers.get("authorization"), method, path, route)
        if denied is not None:
            return _response(denied)
        if route is None:
            return _response(HttpError.not_found().reply)
        allowed = sorted(
            set(route.methods) | {"OPTIONS"} | ({"HEAD"} if "GET" in route.methods else set())
        )
        if method == "OPTIONS":
            return Response(
                status_code=200, headers={"Access-Control-Allow-Methods": ", ".join(allowed)}
            )
        handler = route.methods.get("GET" if method == "HEAD" else method)
        if handler is None:
            return Response(status_code=405, headers={"Allow": ", ".join(allowed)})
        base = fixed_base or str(request.base_url).rstrip("/")
        call = Call(
            method=method,
            path=path,
            query_string=request.url.query,
            headers={k.lower(): v for k, v in request.headers.items()},
            body=await request.body(),
            base_url=base,
            db=database,
            params=params,
        )
        try:
            reply = await run_in_threadpool(handler, call)
        except HttpError as error:
            reply = error.reply
        except (sqlite3.Error, ValueError, KeyError, TypeError) as error:
            reply = _error_reply(error)
        response = _response(reply)
        if method == "HEAD":
            response.body = b""
        return response

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        yield
        database.close()

    methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
    app = Starlette(
        routes=[StarletteRoute("/{path:path}", dispatch, methods=methods)], lifespan=lifespan
    )
    app.state.database = database
    return app


def _response(reply: Reply) -> Response:
    from starlette.responses import Response

    if reply.body is None:
        return Response(status_code=reply.status, headers=reply.headers)
    content = json.dumps(reply.body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    headers: dict[str, Any] = dict(reply.headers)
    return Response(
        content, status_code=reply.status, headers=headers, media_type=reply.content_type
    )
