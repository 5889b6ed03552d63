"""The Pact Broker client: every operation starts at the HAL index and follows its links.

The flows are those of the official client (PBC ``publish_pacts.rb``, ``can_i_deploy.rb``,
``deployments/*.rb``, ``environments/*.rb``, ``versions/*.rb``), so any broker that works with
``pact-broker`` works here, including the embedded one in ``actionpact.broker.server``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from actionpact.broker._hal import Notice, Resource, redact_url
from actionpact.broker._matrix import CanIDeployQuery, Matrix, matrix_query_params
from actionpact.broker._publish import Contract, PactFile, PublishResult, group_contracts
from actionpact.broker._retry import RetryPolicy
from actionpact.broker._transport import Transport
from actionpact.core.errors import BrokerError

if TYPE_CHECKING:
    import httpx

__all__ = ["BrokerClient"]

_MERGE_PATCH = "application/merge-patch+json"


class BrokerClient:
    """A Pact Broker client that navigates the HAL API from the index.

    Args:
        base_url: the broker's URL. ``user:password@`` in it is used as basic auth and
            never shown.
        http: an ``httpx.Client`` to send requests with; the caller keeps ownership. One is
            created (and closed by :meth:`close`) when not given.
        token: a bearer token (``PACT_BROKER_TOKEN``).
        username, password: basic-auth credentials (``PACT_BROKER_USERNAME``/``_PASSWORD``).
        retry: how connection errors and 429/502/503/504 are retried.
        timeout: seconds per request, for the client created here.

    Raises:
        ValueError: both a token and a username were given, or the URL is not HTTP(S).
    """

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
        import httpx  # noqa: PLC0415 (keeps `actionpact --help` fast)

        from actionpact import __version__  # noqa: PLC0415 (the package imports us lazily)

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
        return f"BrokerClient({self._base_url!r})"

    def close(self) -> None:
        """Close the HTTP client if this object created it."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> BrokerClient:
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

    # ------------------------------------------------------------------ publishing

    def publish(
        self,
        pacts: Sequence[PactFile],
        *,
        version: str,
        branch: str | None = None,
        tags: Iterable[str] = (),
        build_url: str | None = None,
        merge: bool = False,
    ) -> tuple[PublishResult, ...]:
        """Publish pacts, one request per consumer version (``POST /contracts/publish``).

        Pacts for the same consumer/provider pair are merged first. When the broker predates
        ``pb:publish-contracts`` (2.86.0), the branch, tags and then each pact are sent the
        old way, tags first so webhooks see them.

        Args:
            pacts: the files read with :func:`read_pact_files`.
            version: the consumer version (a git SHA is best).
            branch, tags, build_url: recorded on the consumer version.
            merge: merge with an already published pact instead of failing on a conflict.

        Raises:
            ValueError: ``version`` is blank. PactFileError: files cannot be merged.
            BrokerError: the broker refused (409 when the content changed, with its reasons).
        """
        version = version.strip()
        if not version:
            raise ValueError("the consumer version cannot be blank")
        tag_list = [tag.strip() for tag in tags if tag.strip()]
        branch = branch.strip() if branch and branch.strip() else None
        grouped = group_contracts(pacts)
        index = self.index()
        if not index.has("pb:publish-contracts"):
            return tuple(
                self._publish_the_old_way(
                    consumer=c,
                    contracts=contracts,
                    version=version,
                    branch=branch,
                    tags=tag_list,
                    build_url=build_url,
                    merge=merge,
                )
                for c, contracts in grouped.items()
            )
        url = self.link("pb:publish-contracts")
        results = []
        for consumer, contracts in grouped.items():
            body: dict[str, Any] = {
                "pacticipantName": consumer,
                "pacticipantVersionNumber": version,
                "tags": tag_list,
                "contracts": [c.to_json("merge" if merge else None) for c in contracts],
            }
            if branch:
                body["branch"] = branch
            if build_url:
                body["buildUrl"] = build_url
            answer = self._post(url, body)
            results.append(
                PublishResult(
                    consumer=consumer,
                    version=version,
                    contracts=contracts,
                    notices=Notice.parse_all(answer.data),
                    body=answer.data,
                )
            )
        return tuple(results)

    def _publish_the_old_way(
        self,
        *,
        consumer: str,
        contracts: tuple[Contract, ...],
        version: str,
        branch: str | None,
        tags: Sequence[str],
        build_url: str | None,
        merge: bool,
    ) -> PublishResult:
        notices: list[Notice] = []
        index = self.index()
        if branch is not None:
            if index.has("pb:pacticipant-branch-version"):
                url = self.link(
                    "pb:pacticipant-branch-version",
                    pacticipant=consumer,
                    branch=branch,
                    version=version,
                )
                self._put(url, {})
                notices.append(Notice("info", f"Added branch {branch} to {consumer} {version}"))
            else:
                notices.append(Notice("warning", "This broker does not support branches."))
        if build_url is not None:
            notices.append(
                Notice(
                    "warning", "The build URL was not recorded: it needs broker 2.86.0 or later."
                )
            )
        for tag in tags:
            url = self.link(
                "pb:pacticipant-version-tag", pacticipant=consumer, version=version, tag=tag
            )
            self._put(url, {})
            notices.append(Notice("info", f"Tagged version {version} of {consumer} as {tag!r}"))
        links = []
        for contract in contracts:
            url = self.link(
                "pb:publish-pact",
                provider=contract.provider,
                consumer=consumer,
                consumerApplicationVersion=version,
            )
            self._send("PATCH" if merge else "PUT", url, json_body=json.loads(contract.text))
            links.append({"name": f"{consumer}/{contract.provider} pact", "href": url})
            notices.append(
                Notice(
                    "success",
                    f"Published pact for {consumer} version {version} and provider "
                    f"{contract.provider} (legacy API)",
                )
            )
        body = {
            "notices": [{"type": n.type, "text": n.text} for n in notices],
            "_links": {"pb:contracts": links},
        }
        return PublishResult(consumer, version, contracts, tuple(notices), body, legacy=True)

    # ------------------------------------------------------------------ versions

    def create_version(
        self,
        pacticipant: str,
        version: str,
        *,
        branch: str | None = None,
        tags: Iterable[str] = (),
        build_url: str | None = None,
    ) -> Resource:
        """Create or update a pacticipant version, its branch and its tags; returns it."""
        tag_list = list(tags)
        version_url = self.link("pb:pacticipant-version", pacticipant=pacticipant, version=version)
        if build_url is not None or (branch is None and not tag_list):
            self._put(version_url, {"buildUrl": build_url} if build_url else {})
        if branch is not None:
            url = self.link(
                "pb:pacticipant-branch-version",
                pacticipant=pacticipant,
                branch=branch,
                version=version,
            )
            self._put(url, {})
        for tag in tag_list:
            url = self.link(
                "pb:pacticipant-version-tag", pacticipant=pacticipant, version=version, tag=tag
            )
            self._put(url, {})
        return self.get(version_url)

    def describe_version(
        self, pacticipant: str, version: str | None = None, *, latest_tag: str | None = None
    ) -> Resource:
        """A pacticipant version: the one numbered ``version``, else the latest (with a tag).

        Raises:
            BrokerError: with status 404 when there is no such version.
        """
        if version is not None:
            url = self.link("pb:pacticipant-version", pacticipant=pacticipant, version=version)
            what = f"version {version} of {pacticipant}"
        elif latest_tag is not None:
            url = self.link("pb:latest-tagged-version", pacticipant=pacticipant, tag=latest_tag)
            what = f"a version of {pacticipant} tagged {latest_tag!r}"
        else:
            url = self.link("pb:latest-version", pacticipant=pacticipant)
            what = f"a version of {pacticipant}"
        found = self._get_or_none(url)
        if found is None:
            raise BrokerError(
                f"{what} not found in the Pact Broker", url=redact_url(url), status=404
            )
        return found

    # ------------------------------------------------------------------ environments

    def environments(self) -> Resource:
        """The environments resource (``pb:environments``)."""
        return self.get(self.link("pb:environments"))

    def environment(self, name: str) -> Resource:
        """The environment named ``name``.

        Raises:
            BrokerError: there is no such environment (status 404).
        """
        listing = self.environments()
        link = listing.named_link("pb:environments", name)
        if link is None:  # brokers list them as links; embedded entries are the fallback
            embedded = (Resource(listing.url, e) for e in listing.embedded("environments"))
            link = next((e.link("self") for e in embedded if e.data.get("name") == name), None)
        href = link.href if link is not None else None
        if href is None:
            raise BrokerError(
                f"No environment found with name '{name}'.", url=listing.url, status=404
            )
        return self.get(href)

    def create_environment(
        self, name: str, *, display_name: str | None = None, production: bool = False
    ) -> Resource:
        """Create an environment (``POST`` to ``pb:environments``); returns it with its UUID."""
        body: dict[str, Any] = {"name": name, "production": production}
        if display_name is not None:
            body["displayName"] = display_name
        return self._post(self.link("pb:environments"), body)

    # ------------------------------------------------------------------ deployments

    def _version_for_recording(self, pacticipant: str, version: str) -> Resource:
        if not self.index().has("pb:environments"):
            raise BrokerError(
                "This version of the Pact Broker does not support environments. Please upgrade "
                "to version 2.80.0 or later.",
                url=self._base_url,
            )
        url = self.link("pb:pacticipant-version", pacticipant=pacticipant, version=version)
        found = self._get_or_none(url)
        if found is None:
            raise BrokerError(
                f"{pacticipant} version {version} not found", url=redact_url(url), status=404
            )
        return found

    def _record(
        self, rel: str, pacticipant: str, version: str, environment: str, body: object
    ) -> Resource:
        resource = self._version_for_recording(pacticipant, version)
        link = resource.named_link(rel, environment)
        if link is None:
            self.environment(environment)  # raises "No environment found" when it is missing
            raise BrokerError(
                f"Environment '{environment}' is not an available option for recording a "
                f"{rel.removeprefix('pb:record-')} of {pacticipant}.",
                url=resource.url,
            )
        return self._post(link.href, body)

    def record_deployment(
        self,
        pacticipant: str,
        version: str,
        environment: str,
        *,
        application_instance: str | None = None,
    ) -> Resource:
        """Record that a version is deployed to an environment (the deployed version)."""
        body = {"applicationInstance": application_instance} if application_instance else {}
        return self._record("pb:record-deployment", pacticipant, version, environment, body)

    def record_release(self, pacticipant: str, version: str, environment: str) -> Resource:
        """Record that a version is released to an environment (the released version)."""
        return self._record("pb:record-release", pacticipant, version, environment, {})

    def record_undeployment(
        self, pacticipant: str, environment: str, *, application_instance: str | None = None
    ) -> tuple[Resource, ...]:
        """Mark the versions of ``pacticipant`` deployed to ``environment`` as undeployed.

        Raises:
            BrokerError: nothing of ``pacticipant`` is deployed there (for that instance).
        """
        env = self.environment(environment)
        link = env.link("pb:currently-deployed-deployed-versions") or env.link(
            "pb:currently-deployed-versions"
        )
        if link is None:
            raise BrokerError(
                "This version of the Pact Broker does not support recording undeployments. "
                "Please upgrade to version 2.80.0 or later.",
                url=env.url,
            )
        deployed = self.get(link.href, pacticipant=pacticipant).embedded("deployedVersions")

        def instance(entry: Mapping[str, Any]) -> str | None:
            value = entry.get("applicationInstance", entry.get("target"))
            return value if isinstance(value, str) else None

        chosen = [e for e in deployed if instance(e) == application_instance]
        if not chosen:
            raise BrokerError(
                self._undeploy_error(
                    pacticipant, environment, application_instance, [instance(e) for e in deployed]
                ),
                url=env.url,
            )
        results = []
        for entry in chosen:
            self_link = Resource("", entry).link("self")
            if self_link is None:
                raise BrokerError("a deployed version has no self link", url=env.url)
            patched = self._send(
                "PATCH",
                self_link.href,
                json_body={"currentlyDeployed": False},
                content_type=_MERGE_PATCH,
            )
            assert patched is not None
            results.append(patched)
        return tuple(results)

    def _undeploy_error(
        self, pacticipant: str, environment: str, wanted: str | None, instances: list[str | None]
    ) -> str:
        if not instances:
            if self._get_or_none(self.link("pb:pacticipant", pacticipant=pacticipant)) is None:
                return f"No pacticipant with name '{pacticipant}' found."
            return (
                f"{pacticipant} is not currently deployed to {environment} environment. "
                "Cannot record undeployment."
            )
        named = [i for i in instances if i is not None]
        if wanted is None:
            return (
                "Please specify one of the following application instances to record the "
                f"undeployment from: {', '.join(named)}"
            )
        options = []
        if None in instances:
            options.append("omit the application instance")
        if named:
            options.append(
                "specify one of the following application instances to record the undeployment "
                f"from: {', '.join(named)}"
            )
        return (
            f"{pacticipant} is not currently deployed to application instance '{wanted}' in "
            f"{environment} environment. Please {' or '.join(options)}."
        )

    # ------------------------------------------------------------------ verification results

    def publish_verification_result(
        self,
        provider: str,
        consumer: str,
        consumer_version: str,
        *,
        success: bool,
        provider_version: str,
        provider_branch: str | None = None,
        build_url: str | None = None,
    ) -> Resource:
        """Publish a verification result for the pact of a consumer version.

        Raises:
            BrokerError: there is no such pact, or the broker refused the result.
        """
        url = self.link(
            "pb:publish-pact",
            provider=provider,
            consumer=consumer,
            consumerApplicationVersion=consumer_version,
        )
        pact = self._get_or_none(url)
        if pact is None:
            raise BrokerError(
                f"no pact between {consumer} version {consumer_version} and {provider}",
                url=redact_url(url),
                status=404,
            )
        link = pact.link("pb:publish-verification-results")
        if link is None:
            raise BrokerError(
                "the pact offers no 'pb:publish-verification-results' link", url=pact.url
            )
        body: dict[str, Any] = {"success": success, "providerApplicationVersion": provider_version}
        if provider_branch:
            body["providerVersionBranch"] = provider_branch
        if build_url:
            body["buildUrl"] = build_url
        return self._post(link.href, body)

    # ------------------------------------------------------------------ can-i-deploy

    def matrix(self, query: CanIDeployQuery) -> Matrix:
        """Ask the broker once whether ``query``'s versions can be deployed.

        A single version going to an environment or a tag uses the index's can-i-deploy
        relation; anything else (latest, branch, ignores, several pacticipants) asks
        ``/matrix``, as the official client does: the index offers no relation for it.
        """
        index = self.index()
        (first, *others) = query.selectors
        simple = not others and not query.ignore and first.version is not None
        if (
            simple
            and query.to_environment is not None
            and index.has("pb:can-i-deploy-pacticipant-version-to-environment")
        ):
            url = self.link(
                "pb:can-i-deploy-pacticipant-version-to-environment",
                pacticipant=first.pacticipant,
                version=first.version,
                environment=query.to_environment,
            )
            return Matrix.from_json(self.get(url).data)
        if (
            simple
            and query.to_tag is not None
            and index.has("pb:can-i-deploy-pacticipant-version-to-tag")
        ):
            url = self.link(
                "pb:can-i-deploy-pacticipant-version-to-tag",
                pacticipant=first.pacticipant,
                version=first.version,
                tag=query.to_tag,
            )
            return Matrix.from_json(self.get(url).data)
        resource = self._send("GET", f"{self._base_url}/matrix", params=matrix_query_params(query))
        assert resource is not None
        return Matrix.from_json(resource.data)

    def can_i_deploy(
        self,
        query: CanIDeployQuery,
        *,
        retry_while_unknown: int = 0,
        retry_interval: float = 10.0,
        on_wait: Callable[[Matrix, int], None] | None = None,
    ) -> Matrix:
        """Ask whether ``query``'s versions can be deployed, waiting while results are unknown.

        Args:
            query: the versions and the target.
            retry_while_unknown: how many more times to ask while some verification result is
                unknown (a provider build is likely still verifying).
            retry_interval: seconds between those questions (slept through the retry policy's
                ``sleep``).
            on_wait: called with the matrix and the number of remaining tries before waiting.

        Returns:
            The last answer; ``deployable`` may still be ``None`` when the tries ran out.
        """
        if retry_while_unknown < 0 or retry_interval < 0:
            raise ValueError("retry_while_unknown and retry_interval cannot be negative")
        answer = self.matrix(query)
        tries = retry_while_unknown
        while tries > 0 and answer.any_unknown:
            if on_wait is not None:
                on_wait(answer, tries)
            self.retry.sleep(retry_interval)
            tries -= 1
            answer = self.matrix(query)
        return answer
