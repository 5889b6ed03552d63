"""The Pact Broker client: every operation starts at the HAL index and follows its links.

The flows are those of the official client (PBC ``publish_pacts.rb``, ``can_i_deploy.rb``,
``deployments/*.rb``, ``environments/*.rb``, ``versions/*.rb``), so any broker that works with
``pact-broker`` works here, including the embedded one in ``actionpact.broker.server``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from actionpact.broker._deployments import DeploymentOperations
from actionpact.broker._hal import Notice, Resource, redact_url
from actionpact.broker._matrix import CanIDeployQuery, Matrix, matrix_query_params
from actionpact.broker._publish import Contract, PactFile, PublishResult, group_contracts
from actionpact.core.errors import BrokerError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

__all__ = ["BrokerClient"]


class BrokerClient(DeploymentOperations):
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
