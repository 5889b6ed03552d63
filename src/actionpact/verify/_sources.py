"""Where the pacts come from: files, or a broker's "pacts for verification".

The verifier fetches and verifies the pacts itself. actionpact reads them a second time only
when something failed, to replay the failing requests: files are read directly; from a broker,
the same ``pb:provider-pacts-for-verification`` query is asked (HAL navigation from the index,
as every Pact client does) and each pact it lists is fetched.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from actionpact.core.errors import BrokerError
from actionpact.verify._pacts import (
    PactInteraction,
    pact_files,
    read_interactions,
    read_pact_document,
)

if TYPE_CHECKING:
    from pathlib import Path

    import httpx

__all__ = ["BrokerQuery", "fetch_broker_interactions", "read_file_interactions"]

logger = logging.getLogger(__name__)

_HAL = "application/hal+json, application/json"


@dataclass(frozen=True, slots=True)
class BrokerQuery:
    """A broker and the "pacts for verification" query the verifier asked.

    Attributes:
        url: the broker's base URL. token / username / password: its credentials.
        selectors, enable_pending, include_wip_since, provider_branch: as given to the
            verifier.
    """

    url: str
    token: str | None = field(default=None, repr=False)
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    selectors: tuple[Mapping[str, Any], ...] = ()
    enable_pending: bool = False
    include_wip_since: str | None = None
    provider_branch: str | None = None


def read_file_interactions(paths: Sequence[Path]) -> list[PactInteraction]:
    """Every HTTP interaction in the pact files under ``paths``.

    Raises:
        PactFileError: a path is missing or a file is not a pact.
    """
    found: list[PactInteraction] = []
    for file in pact_files(list(paths)):
        found.extend(read_interactions(read_pact_document(file), source=file.as_posix()))
    return found


def fetch_broker_interactions(
    query: BrokerQuery, provider: str, client: httpx.Client
) -> list[PactInteraction]:
    """Every HTTP interaction in the pacts the broker selects for ``provider``.

    Raises:
        BrokerError: the broker cannot be reached or does not offer the query.
    """
    import httpx

    auth: Any = None
    headers = {"Accept": _HAL}
    if query.token:
        headers["Authorization"] = f"Bearer {query.token}"
    elif query.username is not None:
        auth = httpx.BasicAuth(query.username, query.password or "")
    base = query.url.rstrip("/")

    def call(method: str, url: str, body: Any = None) -> Mapping[str, Any]:
        try:
            response = client.request(method, url, json=body, headers=headers, auth=auth)
        except httpx.HTTPError as error:
            raise BrokerError(f"{method} {url} failed: {error}", url=url) from None
        if response.status_code >= 300:
            raise BrokerError(
                f"{method} {url} answered HTTP {response.status_code}",
                url=url,
                status=response.status_code,
            )
        data = response.json()
        return data if isinstance(data, Mapping) else {}

    index = call("GET", base + "/")
    link = (index.get("_links") or {}).get("pb:provider-pacts-for-verification") or {}
    href = link.get("href") if isinstance(link, Mapping) else None
    if not isinstance(href, str):
        raise BrokerError(
            f"the broker at {base} does not offer 'pb:provider-pacts-for-verification'", url=base
        )
    body: dict[str, Any] = {"consumerVersionSelectors": [dict(s) for s in query.selectors]}
    if query.enable_pending:
        body["includePendingStatus"] = True
    if query.include_wip_since:
        body["includeWipPactsSince"] = query.include_wip_since
    if query.provider_branch:
        body["providerVersionBranch"] = query.provider_branch
    listing = call("POST", href.replace("{provider}", _quote(provider)), body)
    found: list[PactInteraction] = []
    for item in (listing.get("_embedded") or {}).get("pacts") or ():
        self_link = ((item or {}).get("_links") or {}).get("self") or {}
        url = self_link.get("href") if isinstance(self_link, Mapping) else None
        if isinstance(url, str):
            found.extend(read_interactions(call("GET", url), source=url))
    return found


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")
