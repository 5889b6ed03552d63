"""Environments and what runs in them: record deployments, releases and undeployments.

The flows follow the official client (PBC ``deployments/*.rb``, ``environments/*.rb``): the
version resource lists one ``pb:record-deployment`` link per environment, named after it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from actionpact.broker._hal import Resource, redact_url
from actionpact.broker._navigation import HalClient
from actionpact.core.errors import BrokerError

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["DeploymentOperations"]

_MERGE_PATCH = "application/merge-patch+json"


class DeploymentOperations(HalClient):
    """Environment and deployment operations of ``BrokerClient``."""

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
