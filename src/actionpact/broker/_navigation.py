"""The HAL navigation every broker operation shares: the index, links, requests.

A client starts at the index (``GET /``), finds relations by name and expands their URI
templates; features are detected by the presence of a relation, as the official client does.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Self
from urllib.parse import unquote, urlsplit

from actionpact.broker._hal import Resource, redact_url
from actionpact.broker._retry import RetryPolicy
from actionpact.broker._transport import Transport
from actionpact.core.errors import BrokerError

if TYPE_CHECKING:
    import httpx

__all__ = ["HalClient"]


class HalClient:
    """Requests to one broker, and navigation from its index (see ``BrokerClient``)."""

    def __init__(
        self,
        base_url: str,
        *,
        http: httpx.Client | None = None,
        token: str | None = None,
        username: str | None = None,
        password: str | None = None,
        retry: RetryPolicy | None = None,
        timeout: float = 30.0,
    ) -> None:
        import httpx

        from actionpact import __version__

        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {redact_url(base_url)!r}")
        if parts.username is not None and username is None and token is None:
            username = unquote(parts.username)
            password = unquote(parts.password) if parts.password is not None else password
        self._base_url = redact_url(base_url).rstrip("/")
        self._owns_http = http is None
        self._http = http if http is not None else httpx.Client(timeout=timeout)
        self.retry = retry if retry is not None else RetryPolicy()
        self._transport = Transport(
            self._http,
            token=token,
            username=username,
            password=password,
            retry=self.retry,
            user_agent=f"actionpact/{__version__} httpx/{httpx.__version__}",
        )
        self._index: Resource | None = None

    @property
    def base_url(self) -> str:
        """The broker's URL, without credentials."""
        return self._base_url

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._base_url!r})"

    def close(self) -> None:
        """Close the HTTP client if this object created it."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # ------------------------------------------------------------------ HAL navigation

    def _send(
        self,
        method: str,
        url: str,
        *,
        json_body: object = None,
        params: Mapping[str, str] | list[tuple[str, str]] | None = None,
        content_type: str | None = None,
        allow: Collection[int] = (),
    ) -> Resource | None:
        response = self._transport.request(
            method, url, json=json_body, params=params, content_type=content_type, allow=allow
        )
        if response.status_code in allow and not 200 <= response.status_code < 300:
            return None
        shown = redact_url(str(response.request.url))
        if not response.content:
            return Resource(shown, {})
        try:
            data = response.json()
        except ValueError:
            raise BrokerError(
                f"{method} {shown} answered {response.status_code} without JSON: "
                f"is {self._base_url} a Pact Broker?",
                url=shown,
                status=response.status_code,
            ) from None
        return Resource(shown, data if isinstance(data, Mapping) else {"value": data})

    def get(self, url: str, **params: str) -> Resource:
        """GET a broker resource by URL (a link's ``href``)."""
        resource = self._send("GET", url, params=params or None)
        assert resource is not None
        return resource

    def index(self) -> Resource:
        """The broker's index (``GET /``), fetched once per client."""
        if self._index is None:
            self._index = self.get(self._base_url)
            if not self._index.data.get("_links"):
                raise BrokerError(
                    f"{self._base_url} answered without HAL links: is it a Pact Broker?",
                    url=self._base_url,
                )
        return self._index

    def link(self, rel: str, **params: object) -> str:
        """The URL of index relation ``rel`` with its template expanded.

        Raises:
            BrokerError: the index does not offer ``rel``.
        """
        found = self.index().link(rel)
        if found is None:
            raise BrokerError(
                f"the Pact Broker at {self._base_url} does not offer {rel!r}: it may be too old "
                "for this command, or the credentials lack the permission",
                url=self._base_url,
            )
        return found.expand(**params)

    def _post(self, url: str, body: object) -> Resource:
        resource = self._send("POST", url, json_body=body)
        assert resource is not None
        return resource

    def _put(self, url: str, body: object) -> Resource:
        resource = self._send("PUT", url, json_body=body)
        assert resource is not None
        return resource

    def _get_or_none(self, url: str, **params: str) -> Resource | None:
        return self._send("GET", url, params=params or None, allow=(404,))
