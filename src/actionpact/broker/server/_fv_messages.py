"""The broker's words for a pact to verify: short description, inclusion and pending notices.

Verifiers print these notices as they are (pact_broker#307), so they follow
``VerifiablePactMessages`` word for word.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from actionpact.broker.server._fv_selectors import Selector, sort_selectors

if TYPE_CHECKING:
    from actionpact.broker.server._for_verification import VerifiablePact

__all__ = ["notices", "short_description"]

READ_MORE_PENDING = "Read more at https://docs.pact.io/go/pending"
READ_MORE_WIP = "Read more at https://docs.pact.io/go/wip"
DEPRECATED_GET = (
    "WARNING - this version of the Pact library uses a beta version of the API which will be "
    "removed in the future. Please upgrade your Pact library. See "
    "https://docs.pact.io/pact_broker/advanced_topics/provider_verification_results/"
    "#pacts-for-verification for minimum required versions."
)


def _join_unquoted(items: list[str], last: str = " and ") -> str:
    if len(items) <= 2:
        return last.join(items)
    return f"{', '.join(items[:-2])}, {last.join(items[-2:])}"


def _join(items: list[str]) -> str:
    return _join_unquoted([f"'{item}'" for item in items])


def _short(selector: Selector) -> str:
    if selector.overall_latest():
        return "latest"
    if selector.latest_for_tag():
        return f"latest with tag {selector.fallback_tag or selector.tag}"
    if selector.latest_for_main_branch():
        return "latest from main branch"
    if selector.latest_for_branch():
        return f"latest from branch {selector.fallback_branch or selector.branch}"
    if selector.tag and selector.consumer and not selector.latest:
        return f"one of {selector.consumer} {selector.tag}"
    if selector.tag:
        return f"one of {selector.tag}"
    if selector.currently_deployed:
        return f"deployed to {selector.environment}"
    if selector.currently_supported:
        return f"released in {selector.environment}"
    return str(selector.metadata())


def short_description(pact: VerifiablePact) -> str:
    """``shortDescription``: e.g. ``latest from branch main, deployed to production``."""
    return ", ".join(_short(selector) for selector in pact.selectors)


def _describe(selector: Selector, provider: str, main_branch: str | None) -> str:
    version = f"version of {selector.consumer}" if selector.consumer else "version"
    if selector.overall_latest():
        label = selector.consumer or "a consumer"
        text = f"latest version of {label} that has a pact with {provider}"
    elif selector.latest_for_tag():
        if selector.fallback_tag:
            text = (
                f"latest {version} tagged '{selector.fallback_tag}' (fallback tag used as no "
                f"pact was found with tag '{selector.tag}')"
            )
        else:
            text = f"latest {version} tagged '{selector.tag}'"
    elif selector.latest_for_main_branch():
        text = f"latest {version} from the main branch '{main_branch}'"
    elif selector.latest_for_branch():
        if selector.fallback_branch:
            text = (
                f"latest {version} from branch '{selector.fallback_branch}' (fallback branch "
                f"used as no pact was found from branch '{selector.branch}')"
            )
        else:
            text = f"latest {version} from branch '{selector.branch}'"
    elif selector.tag and not selector.latest and selector.consumer:
        text = f"all {selector.consumer} versions tagged '{selector.tag}'"
    elif selector.tag and not selector.latest:
        text = f"all consumer versions tagged '{selector.tag}'"
    elif selector.in_environment():
        text = f"{selector.consumer or 'a consumer'} version in environment {selector.environment}"
    else:
        text = str(selector.metadata())
    return f"{text} ({selector.consumer_version_number})"


def _environment_lines(selectors: list[Selector], verb: str) -> list[str]:
    lines = []
    groups: dict[str | None, list[Selector]] = {}
    for selector in selectors:
        groups.setdefault(selector.consumer, []).append(selector)
    for consumer, group in groups.items():
        label = f"version(s) of {consumer}" if consumer else "consumer version(s)"
        places = [f"{s.environment} ({s.consumer_version_number})" for s in group]
        lines.append(f"{label} {verb} {_join_unquoted(places)}")
    return lines


def _selector_descriptions(pact: VerifiablePact) -> str:
    groups: dict[str, list[Selector]] = {}
    for selector in sort_selectors(list(pact.selectors)):
        groups.setdefault(selector.kind(), []).append(selector)
    lines: list[str] = []
    for selectors in groups.values():
        if selectors[0].currently_deployed:
            lines += _environment_lines(selectors, "currently deployed to")
        elif selectors[0].currently_supported:
            lines += _environment_lines(selectors, "released and supported in")
        else:
            lines += [
                _describe(s, pact.pact.provider_name, pact.pact.consumer_main_branch)
                for s in selectors
            ]
    return "\n".join(f"    * {line}" for line in lines)


def _branches_and_tags(pact: VerifiablePact) -> tuple[list[str], list[str]]:
    tags: list[str] = []
    branches: list[str] = []
    for selector in pact.selectors:
        if selector.latest_for_tag() and selector.tag and selector.tag not in tags:
            tags.append(selector.tag)
        branch = selector.branch
        if selector.latest_for_branch() and isinstance(branch, str) and branch not in branches:
            branches.append(branch)
    return tags, branches


def _provider_description(pact: VerifiablePact, any_or_a: str = "any") -> str:
    provider = pact.pact.provider_name
    if pact.provider_branch:
        return f"{any_or_a} version of {provider} from branch '{pact.provider_branch}'"
    tags = list(pact.pending_provider_tags)
    if not tags:
        return provider
    if len(tags) == 1:
        return f"{any_or_a} version of {provider} with tag '{tags[0]}'"
    return f"{any_or_a} versions of {provider} with tag {_join(tags)}"


def _non_pending_description(pact: VerifiablePact) -> str:
    provider = pact.pact.provider_name
    if pact.provider_branch:
        return f"a version of {provider} from branch '{pact.provider_branch}'"
    tags = list(pact.non_pending_provider_tags)
    if not tags:
        return provider
    if len(tags) == 1:
        return f"a version of {provider} with tag '{tags[0]}'"
    return f"a version of {provider} with tag {_join(tags)}"


def _inclusion_reason(pact: VerifiablePact, url: str) -> str:
    tags, branches = _branches_and_tags(pact)
    if pact.wip:
        version_text = "version" if len(tags) == 1 or len(branches) == 1 else "versions"
        parts = []
        if branches:
            parts.append(f"from {'branch' if len(branches) == 1 else 'branches'} {_join(branches)}")
        if tags:
            parts.append(f"tagged with {_join(tags)}")
        same = {1: "", 2: " (both have the same content)"}.get(
            len(pact.selectors), " (all have the same content)"
        )
        return (
            f"The pact at {url} is being verified because it is a 'work in progress' pact (ie. "
            f"it is the pact for the latest {version_text} of {pact.pact.consumer_name} "
            f"{' and '.join(parts)}{same} and it has not yet been successfully verified by "
            f"{_provider_description(pact, 'a')} when the pact's application version was "
            f"explicitly specified in the consumer version selectors). {READ_MORE_WIP}"
        )
    count = len(pact.selectors)
    versions = "the consumer version" if count == 1 else "the consumer versions"
    criteria = "criteria" if count > 1 else "criterion"
    return (
        f"The pact at {url} is being verified because the pact content belongs to {versions} "
        f"matching the following {criteria}:\n{_selector_descriptions(pact)}"
    )


def _pending_reason(pact: VerifiablePact) -> str:
    provider = pact.pact.provider_name
    if pact.pending and pact.wip:
        return (
            f"This pact is in pending state for this version of {provider} because it was "
            "included as a 'work in progress' pact. If this verification fails, it will not "
            f"cause the overall build to fail. {READ_MORE_PENDING}"
        )
    if pact.pending:
        return (
            f"This pact is in pending state for this version of {provider} because a "
            f"successful verification result for {_provider_description(pact, 'a')} has not "
            "yet been published. If this verification fails, it will not cause the overall "
            f"build to fail. {READ_MORE_PENDING}"
        )
    return (
        f"This pact has previously been successfully verified by "
        f"{_non_pending_description(pact)}. If this verification fails, it will fail the "
        f"build. {READ_MORE_PENDING}"
    )


def notices(
    pact: VerifiablePact, url: str, *, include_pending_status: bool, deprecated: bool = False
) -> list[dict[str, str]]:
    """``verificationProperties.notices``: ``[{"when", "text"}]``."""
    result = []
    if deprecated:
        result.append({"when": "before_verification", "text": DEPRECATED_GET})
    result.append({"when": "before_verification", "text": _inclusion_reason(pact, url)})
    if include_pending_status:
        result.append({"when": "before_verification", "text": _pending_reason(pact)})
        if pact.pending:
            count = len(pact.pending_provider_tags)
            these = {0: "", 1: "with this tag "}.get(count, "with these tags ")
            where = _provider_description(pact)
            still = (
                f"This pact is still in pending state for {where} as a successful verification "
                f"result {these}has not yet been published"
            )
            result += [
                {
                    "when": "after_verification:success_true_published_false",
                    "text": f"This pact is still in pending state for {where} as the successful "
                    f"verification results {these}have not yet been published.",
                },
                {"when": "after_verification:success_false_published_false", "text": still},
                {
                    "when": "after_verification:success_true_published_true",
                    "text": f"This pact is no longer in pending state for {where}, as a "
                    f"successful verification result {these}has been published. If a "
                    f"verification for a version of {pact.pact.provider_name} {these}fails in "
                    f"the future, it will fail the build. {READ_MORE_PENDING}",
                },
                {"when": "after_verification:success_false_published_true", "text": still},
            ]
    return result
