"""Consumer version selectors of ``/pacts/provider/{p}/for-verification``: parsing,
validation, ordering and the broker's wording of them.

Selectors are kept as the broker keeps them: ``branch`` and ``mainBranch`` imply
``latest``, ``matchingBranch`` becomes a branch selector for the provider's branch and
``deployedOrReleased`` is split into a ``deployed`` and a ``released`` selector.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from typing import Any

__all__ = ["Selector", "parse_selectors", "selector_errors", "sort_selectors"]


@dataclass(frozen=True, slots=True)
class Selector:
    """A consumer version selector, resolved once a pact is found for it."""

    latest: bool | None = None
    tag: str | None = None
    branch: str | bool | None = None
    consumer: str | None = None
    environment_name: str | None = None
    fallback_tag: str | None = None
    fallback_branch: str | None = None
    main_branch: bool = False
    matching_branch: bool = False
    currently_deployed: bool = False
    currently_supported: bool = False
    # set when resolved
    consumer_version_id: int | None = None
    consumer_version_number: str | None = None
    environment: str | None = None
    environment_production: bool = False
    target: str | None = None

    # ------------------------------------------------------------------ kinds

    def latest_for_main_branch(self) -> bool:
        """``{mainBranch: true}``."""
        return self.main_branch

    def latest_for_branch(self) -> bool:
        """``{branch: "x"}`` (latest implied)."""
        return self.latest is True and isinstance(self.branch, str)

    def latest_for_each_branch(self) -> bool:
        """``{branch: true, latest: true}``: the head of every branch."""
        return self.latest is True and self.branch is True

    def latest_for_tag(self, tag: str | None = None) -> bool:
        """``{tag: "x", latest: true}``."""
        if tag is not None:
            return bool(self.latest) and self.tag == tag
        return bool(self.latest) and bool(self.tag)

    def all_for_tag(self) -> bool:
        """``{tag: "x"}``: every version with the tag."""
        return bool(self.tag) and not self.latest

    def in_environment(self) -> bool:
        """An environment is named."""
        return bool(self.environment_name)

    def overall_latest(self) -> bool:
        """``{latest: true}`` alone: the latest pact of each consumer."""
        return bool(
            self.latest
            and not self.tag
            and not self.branch
            and not self.main_branch
            and not self.currently_deployed
            and not self.currently_supported
            and not self.environment_name
        )

    def kind(self) -> str:
        """The broker's ``Selector#type``, used to group descriptions."""
        checks = (
            ("latest_for_main_branch", self.latest_for_main_branch()),
            ("latest_for_each_branch", self.latest_for_each_branch()),
            ("latest_for_branch", self.latest_for_branch()),
            ("matching_branch", self.matching_branch),
            ("currently_deployed", self.currently_deployed),
            ("currently_supported", self.currently_supported),
            ("in_environment", self.in_environment()),
            ("latest_for_tag", self.latest_for_tag()),
            ("all_for_tag", self.all_for_tag()),
            ("overall_latest", self.overall_latest()),
        )
        return next((name for name, hit in checks if hit), "undefined")

    def resolve(self, version_id: int, number: str, **environment: Any) -> Selector:
        """Attach the consumer version (and environment) that the selector matched."""
        base = self if environment else replace(self, fallback_tag=None, fallback_branch=None)
        return replace(
            base, consumer_version_id=version_id, consumer_version_number=number, **environment
        )

    def metadata(self) -> dict[str, Any]:
        """The ``s[]`` entry of the pact URL metadata: b, t, l, e, cv."""
        entry = {
            "b": self.branch,
            "t": self.tag,
            "l": self.latest,
            "e": self.environment_name,
            "cv": self.consumer_version_id,
        }
        return {key: value for key, value in entry.items() if value is not None}


# --------------------------------------------------------------------------- parsing


def _truthy(value: Any) -> bool:
    return value is True or value == "true"


def parse_selectors(
    raw: list[dict[str, Any]], provider_version_branch: str | None
) -> list[Selector]:
    """Turn selector objects (camelCase or snake_case keys) into :class:`Selector` values."""
    selectors: list[Selector] = []
    for item in raw:

        def get(*keys: str, item: dict[str, Any] = item) -> Any:
            return next((item[k] for k in keys if k in item), None)

        latest_raw = get("latest")
        selector = Selector(
            latest=_truthy(latest_raw) if latest_raw is not None else None,
            tag=get("tag"),
            branch=get("branch"),
            consumer=get("consumer"),
            environment_name=get("environment"),
            fallback_tag=get("fallbackTag", "fallback_tag"),
            fallback_branch=get("fallbackBranch", "fallback_branch"),
            main_branch=_truthy(get("mainBranch", "main_branch")),
            matching_branch=_truthy(get("matchingBranch", "matching_branch")),
            currently_deployed=_truthy(get("deployed")),
            currently_supported=_truthy(get("released")),
        )
        if selector.main_branch or selector.branch is not None or selector.matching_branch:
            selector = replace(selector, latest=True)
        if selector.matching_branch and provider_version_branch:
            selector = replace(selector, branch=provider_version_branch)
        if _truthy(get("deployedOrReleased", "deployed_or_released")):
            selector = replace(selector, currently_deployed=True, currently_supported=True)
        if selector.currently_deployed and selector.currently_supported:
            selectors.append(replace(selector, currently_supported=False))
            selectors.append(replace(selector, currently_deployed=False))
        else:
            selectors.append(selector)
    return selectors


BRANCH_KEYS = (
    "latest",
    "tag",
    "fallbackTag",
    "branch",
    "fallbackBranch",
    "matchingBranch",
    "mainBranch",
)
ENVIRONMENT_KEYS = ("environment", "deployed", "released", "deployedOrReleased")


def _plural(word: str, count: int) -> str:
    return word if count == 1 else word + "s"


def selector_errors(item: Any, provider_version_branch: Any, environment_exists: Any) -> list[str]:
    """The broker's messages for one selector object (``ConsumerVersionSelectorContract``)."""
    if not isinstance(item, dict):
        return ["must be a hash"]
    errors: list[str] = []
    expect_true = ("mainBranch", "matchingBranch", "deployed", "released", "deployedOrReleased")
    for key in expect_true:
        if key in item and item[key] is not True:
            errors.append(f"{key} must be one of: true")
    for key in ("tag", "fallbackTag", "fallbackBranch", "consumer", "environment"):
        if key in item and (not isinstance(item[key], str) or not item[key]):
            errors.append(
                f"{key} must be filled" if item[key] in ("", None) else f"{key} must be a string"
            )
    if (
        "branch" in item
        and not (isinstance(item["branch"], str) and item["branch"])
        and item["branch"] is not True
    ):
        errors.append("branch must be a string or true")
    if "latest" in item and item["latest"] not in (True, False):
        errors.append("latest must be one of: true, false")
    if errors:
        return errors
    if isinstance(item.get("consumer"), str) and not item["consumer"].strip():
        errors.append("consumer cannot be blank")
    present = {k for k, v in item.items() if v is not None and v is not False}
    if (
        not (
            present
            & {
                "mainBranch",
                "tag",
                "branch",
                "environment",
                "matchingBranch",
                "deployed",
                "released",
                "deployedOrReleased",
            }
        )
        and item.get("latest") is not True
    ):
        errors.append(
            "must specify a value for environment or tag or branch, or specify mainBranch=true, "
            "matchingBranch=true, latest=true, deployed=true, released=true or "
            "deployedOrReleased=true"
        )
    all_keys = set(BRANCH_KEYS) | set(ENVIRONMENT_KEYS) | {"consumer"}
    if item.get("mainBranch") and {k for k in item if k in all_keys} - {
        "consumer",
        "mainBranch",
        "latest",
    }:
        errors.append("cannot specify mainBranch=true with any other criteria apart from consumer")
    if item.get("mainBranch") and item.get("latest") is False:
        errors.append("cannot specify mainBranch=true with latest=false")
    if item.get("matchingBranch"):
        if {k for k in item if k in all_keys} - {"consumer", "matchingBranch"}:
            errors.append(
                "cannot specify matchingBranch=true with any other criteria apart from consumer"
            )
        if not (isinstance(provider_version_branch, str) and provider_version_branch.strip()):
            errors.append(
                "the providerVersionBranch must be specified when the selector "
                "matchingBranch=true is used"
            )
    if item.get("tag") and item.get("branch"):
        errors.append("cannot specify both a tag and a branch")
    branch_fields = sorted(k for k in item if k in BRANCH_KEYS)
    env_fields = sorted(k for k in item if k in ENVIRONMENT_KEYS)
    if branch_fields and env_fields:
        errors.append(
            f"cannot specify the {_plural('field', len(branch_fields))} {'/'.join(branch_fields)} "
            f"with the {_plural('field', len(env_fields))} {'/'.join(env_fields)}"
        )
    if item.get("fallbackTag") and not item.get("latest"):
        errors.append("fallbackTag can only be set if latest is true")
    if item.get("fallbackTag") and not item.get("tag"):
        errors.append("a tag must be specified when a fallbackTag is specified")
    if item.get("fallbackBranch") and not item.get("branch"):
        errors.append("a branch must be specified when a fallbackBranch is specified")
    if item.get("fallbackBranch") and item.get("latest") is False:
        errors.append("fallbackBranch can only be set if latest is true")
    if item.get("branch") and item.get("latest") is False:
        errors.append("cannot specify a branch with latest=false")
    if isinstance(item.get("environment"), str) and not environment_exists(item["environment"]):
        errors.append(f"environment with name '{item['environment']}' does not exist")
    pairs = (
        ("deployed", "released"),
        ("deployed", "deployedOrReleased"),
        ("released", "deployedOrReleased"),
    )
    for first, second in pairs:
        if item.get(first) and item.get(second):
            errors.append(f"cannot specify both {first}=true and {second}=true")
    return errors


# --------------------------------------------------------------------------- ordering


def _flag_cmp(mine: bool, theirs: bool) -> int | None:
    if mine == theirs:
        return None
    return -1 if mine else 1


def _cmp_values(a: Any, b: Any) -> int:
    return int(a > b) - int(a < b)


def _compare(a: Selector, b: Selector) -> int:
    def consumer_cmp() -> int:
        if a.consumer and b.consumer:
            return _cmp_values(a.consumer, b.consumer)
        return -1 if a.consumer else 1

    def env_cmp(flag_a: bool, flag_b: bool) -> int:
        first = _flag_cmp(flag_a, flag_b)
        if first is not None:
            return first
        if a.environment_production != b.environment_production:
            return 1 if a.environment_production else -1
        return _cmp_values(a.environment or "", b.environment or "")

    if a.overall_latest() or b.overall_latest():
        result = _flag_cmp(a.overall_latest(), b.overall_latest()) or 0
    elif a.latest_for_branch() or b.latest_for_branch():
        flag = _flag_cmp(a.latest_for_branch(), b.latest_for_branch())
        result = flag if flag is not None else _cmp_values(str(a.branch), str(b.branch))
    elif a.latest_for_tag() or b.latest_for_tag():
        flag = _flag_cmp(a.latest_for_tag(), b.latest_for_tag())
        result = flag if flag is not None else _cmp_values(a.tag or "", b.tag or "")
    elif a.tag or b.tag:
        if a.tag and b.tag:
            result = consumer_cmp() if a.tag == b.tag else _cmp_values(a.tag, b.tag)
        else:
            result = -1 if a.tag else 1
    elif a.currently_deployed or b.currently_deployed:
        result = env_cmp(a.currently_deployed, b.currently_deployed)
    elif a.currently_supported or b.currently_supported:
        result = env_cmp(a.currently_supported, b.currently_supported)
    elif a.consumer or b.consumer:
        result = consumer_cmp()
    else:
        result = 0
    if result == 0:
        return _cmp_values(a.consumer_version_id or 0, b.consumer_version_id or 0)
    return result


def sort_selectors(selectors: list[Selector]) -> list[Selector]:
    """Selectors in the broker's order (latest first, then branches, tags, environments)."""
    return sorted(selectors, key=functools.cmp_to_key(_compare))
