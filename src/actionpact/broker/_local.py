"""A broker client for the resolved settings, starting the embedded broker when none is set.

With no ``PACT_BROKER_BASE_URL`` anywhere, commands use a local broker on SQLite
(``.actionpact/broker.db``) served on 127.0.0.1 for the command's own duration: the quick start
runs generate, publish and can-i-deploy with nothing external.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING

from actionpact.broker._client import BrokerClient

if TYPE_CHECKING:
    from collections.abc import Iterator

    import httpx

    from actionpact.broker._retry import RetryPolicy
    from actionpact.broker._settings import BrokerSettings

__all__ = ["open_broker"]


@contextmanager
def open_broker(
    settings: BrokerSettings,
    *,
    http: httpx.Client | None = None,
    retry: RetryPolicy | None = None,
) -> Iterator[BrokerClient]:
    """Yield a client for ``settings``; serve the embedded broker meanwhile if needed.

    Args:
        settings: from :func:`resolve_broker_settings`.
        http: an ``httpx.Client`` to use (the caller keeps ownership).
        retry: the retry policy.
    """
    if settings.base_url is not None:
        with BrokerClient(
            settings.base_url,
            http=http,
            token=settings.token,
            username=settings.username,
            password=settings.password,
            retry=retry,
        ) as client:
            yield client
        return
    # The server pulls in starlette and uvicorn: only when it is needed.
    from actionpact.broker.server import serve_in_thread

    settings.local_db.parent.mkdir(parents=True, exist_ok=True)
    with (
        serve_in_thread(settings.local_db) as url,
        BrokerClient(url, http=http, retry=retry) as client,
    ):
        yield client
