"""HAL representations of a pact (``PactDecorator``) and a verification result."""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING, Any

from actionpact.broker.server._http import enc, encode_metadata, format_time
from actionpact.broker.server._views import _compact, _curies, urls

if TYPE_CHECKING:
    from actionpact.broker.server._pacts import Pact

__all__ = ["pact_json", "verification_json"]

Row = sqlite3.Row


def pact_json(
    base: str,
    pact: Pact,
    *,
    metadata: str | None = None,
    consumer_versions: list[str] | None = None,
) -> dict[str, Any]:
    """``PactDecorator``: the pact content with ``createdAt`` and ``_links`` merged in."""
    provider, consumer, number = (
        pact.provider_name,
        pact.consumer_name,
        pact.consumer_version_number,
    )
    integration = urls.integration(base, provider, consumer)
    pact_url = urls.pact(base, provider, consumer, number)
    version_url = urls.version(base, consumer, number)
    version_sha = urls.pact_version(base, provider, consumer, pact.sha)
    publish = f"{version_sha}{'/metadata/' + metadata if metadata else ''}/verification-results"
    links: dict[str, Any] = {
        "self": {"title": "Pact", "name": pact.name, "href": pact_url},
        "pb:consumer": {
            "title": "Consumer",
            "name": consumer,
            "href": urls.pacticipant(base, consumer),
        },
        "pb:consumer-version": {"title": "Consumer version", "name": number, "href": version_url},
    }
    if consumer_versions:
        links["pb:consumer-versions"] = [
            {"title": "Consumer version", "name": n, "href": urls.version(base, consumer, n)}
            for n in consumer_versions
        ]
    links.update(
        {
            "pb:provider": {
                "title": "Provider",
                "name": provider,
                "href": urls.pacticipant(base, provider),
            },
            "pb:pact-version": {
                "title": "Pact content version permalink",
                "name": pact.sha,
                "href": version_sha,
            },
            "pb:latest-pact-version": {
                "title": "Latest version of this pact",
                "href": f"{integration}/latest",
            },
            "pb:all-pact-versions": {
                "title": "All versions of this pact",
                "href": f"{integration}/versions",
            },
            "pb:latest-untagged-pact-version": {
                "title": "Latest untagged version of this pact",
                "href": f"{integration}/latest-untagged",
            },
            "pb:latest-tagged-pact-version": {
                "title": "Latest tagged version of this pact",
                "href": f"{integration}/latest/{{tag}}",
                "templated": True,
            },
            "pb:previous-distinct": {
                "title": "Previous distinct version of this pact",
                "href": f"{pact_url}/previous-distinct",
            },
            "pb:diff-previous-distinct": {
                "title": "Diff with previous distinct version of this pact",
                "href": f"{pact_url}/diff/previous-distinct",
            },
            "pb:diff": {
                "title": "Diff with another specified version of this pact",
                "href": f"{version_sha}/diff/pact-version/{{pactVersion}}",
                "templated": True,
            },
            "pb:pact-webhooks": {
                "title": f"Webhooks for the pact between {consumer} and {provider}",
                "href": f"{base}/webhooks/provider/{enc(provider)}/consumer/{enc(consumer)}",
            },
            "pb:consumer-webhooks": {
                "title": f"Webhooks for all pacts with provider {provider}",
                "href": f"{base}/webhooks/consumer/{enc(provider)}",
            },
            "pb:tag-prod-version": {
                "title": "PUT to this resource to tag this consumer version as 'production'",
                "href": f"{version_url}/tags/prod",
            },
            "pb:tag-version": {
                "title": "PUT to this resource to tag this consumer version",
                "href": f"{version_url}/tags/{{tag}}",
            },
            "pb:publish-verification-results": {
                "title": "Publish verification results",
                "href": publish,
            },
            "pb:latest-verification-results": {
                "href": f"{version_sha}/verification-results/latest"
            },
            "pb:triggered-webhooks": {
                "title": "Webhooks triggered by the publication of this pact",
                "href": f"{pact_url}/triggered-webhooks",
            },
            "pb:matrix-for-consumer-version": {
                "title": "View matrix rows for the consumer version to which this pact belongs",
                "href": f"{base}/matrix?q%5B%5D%5Bpacticipant%5D={enc(consumer)}"
                f"&q%5B%5D%5Bversion%5D={enc(number)}&latestby=cvpv",
            },
            "curies": _curies(base, "pact"),
        }
    )
    body = pact.content_dict()
    body.update({"createdAt": format_time(pact.created_at), "_links": links})
    return body


def verification_json(base: str, pact: Pact, row: Row) -> dict[str, Any]:
    """``VerificationDecorator``."""
    verified_by = _compact(
        {
            "implementation": row["verified_by_implementation"],
            "version": row["verified_by_version"],
            "client_implementation": row["verified_by_client_implementation"],
            "client_test_framework": row["verified_by_client_test_framework"],
            "client_version": row["verified_by_client_version"],
        }
    )
    body: dict[str, Any] = _compact(
        {
            "providerName": pact.provider_name,
            "providerApplicationVersion": row["provider_version_number"],
            "success": bool(row["success"]),
            "verificationDate": format_time(row["execution_date"]),
            "buildUrl": row["build_url"],
            "testResults": json.loads(row["test_results"]) if row["test_results"] else None,
        }
    )
    if verified_by:
        body["verifiedBy"] = verified_by
    version_sha = urls.pact_version(base, pact.provider_name, pact.consumer_name, pact.sha)
    cvn = encode_metadata({"cvn": pact.consumer_version_number})
    body["_links"] = {
        "self": {
            "title": "Verification result",
            "name": f"Verification result {row['number']} for {pact.name}",
            "href": f"{version_sha}/verification-results/{row['number']}",
        },
        "pb:pact-version": {
            "title": "Pact",
            "name": pact.name,
            "href": f"{version_sha}/metadata/{cvn}",
        },
        "pb:triggered-webhooks": {
            "title": "Webhooks triggered by the publication of this verification result",
            "href": f"{version_sha}/verification-results/{row['number']}/triggered-webhooks",
        },
    }
    return body
