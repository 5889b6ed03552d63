"""``actionpact.yaml``: the consumer, how providers are named, where pacts go.

```yaml
consumer: ivr-flows                  # default consumer name (default: genesys-data-actions)
pact_specification: V4               # V4 (default) or V3
output: pacts                        # folder for the pact files, relative to this file
min_coverage: 80                     # percent of output fields an action's examples must fill
consumers:                           # optional: reads (GET) and writes as two consumers
  reads: ivr-flows-lookups
  writes: ivr-flows-updates
providers:                           # naming rules, first match wins; keys are globs
  - name: example-crm
    host: "*.example-crm.com"        # host of an absolute URL
  - name: genesys-routing
    integration: purecloud-data-actions
    url: "/api/v2/routing/*"         # the URL template
  - name: legacy-billing
    action: "Billing *"              # the action's name
credentials:                         # environment variables holding real credentials,
  example-crm:                       # per provider, read by `actionpact record`
    apiToken: EXAMPLE_CRM_API_TOKEN
broker: {base_url: ...}              # read by the broker commands, not here
```
"""

from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

from actionpact.contracts._yaml import Node, load_yaml
from actionpact.core.errors import ConfigError

if TYPE_CHECKING:
    from collections.abc import Mapping

    from actionpact.definition import ActionDefinition

__all__ = [
    "CONFIG_FILE_NAME",
    "DEFAULT_CONSUMER",
    "PLATFORM_PROVIDER",
    "ConsumerSplit",
    "ProjectConfig",
    "ProviderRule",
    "default_provider_name",
    "find_config",
    "load_config",
]

CONFIG_FILE_NAME = "actionpact.yaml"
DEFAULT_CONSUMER = "genesys-data-actions"
PLATFORM_PROVIDER = "genesys-cloud-platform-api"
SpecVersion = Literal["V3", "V4"]

# Integrations whose actions call one vendor API through relative URLs.
_INTEGRATION_PROVIDERS: dict[str, str] = {
    "purecloud-data-actions": PLATFORM_PROVIDER,
    "salesforce-datadip": "salesforce",
    "microsoft-dynamics-data-actions": "microsoft-dynamics",
    "zendesk-data-actions": "zendesk",
    "aws-lambda-data-actions": "aws-lambda",
    "google-data-actions": "google",
    "adobe-data-actions": "adobe",
    "function-data-actions": "genesys-function",
}
_ABSOLUTE_URL = re.compile(r"^\s*https?://(?:[^/?#@]*@)?([^/?#]+)", re.IGNORECASE)
# Sections other stages read from the same file (the broker's settings, ...): not ours to check.
_OTHER_SECTIONS = ("broker", "verify", "drift", "record")
_TEMPLATED = re.compile(r"\$!?\{[^}]*\}|\$!?[A-Za-z][\w.]*")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._ -]*$")


@dataclass(frozen=True, slots=True)
class ProviderRule:
    """Names the provider of the actions it matches; every given glob must match.

    Attributes:
        name: the provider name to use. host: glob on the host of an absolute URL.
        integration: glob on the integration type. url: glob on the URL template.
        action: glob on the action's name. line: where the rule stands in the file.
    """

    name: str
    host: str | None = None
    integration: str | None = None
    url: str | None = None
    action: str | None = None
    line: int | None = None

    def matches(self, definition: ActionDefinition) -> bool:
        """Whether this rule applies to ``definition``."""
        checks = (
            (self.host, url_host(definition.request.url_template) or ""),
            (self.integration, definition.integration_type or ""),
            (self.url, definition.request.url_template),
            (self.action, definition.name),
        )
        return all(
            fnmatch.fnmatchcase(value.lower(), pattern.lower())
            for pattern, value in checks
            if pattern is not None
        )


@dataclass(frozen=True, slots=True)
class ConsumerSplit:
    """Reads (GET) and writes (every other method) as two consumers."""

    reads: str
    writes: str


@dataclass(frozen=True, slots=True)
class RedactConfig:
    """Personal-data redaction for recorded vendor answers (``redact:`` in actionpact.yaml).

    Attributes:
        paths: JSONPaths whose values are pseudonymised.
        patterns: rule name -> regular expression; matching text is pseudonymised.
        defaults: whether the built-in rules (phone numbers, e-mail addresses) apply too.
    """

    paths: tuple[str, ...] = ()
    patterns: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    defaults: bool = True


@dataclass(frozen=True, slots=True)
class ProjectConfig:
    """Project defaults from ``actionpact.yaml`` (or the built-in defaults).

    Attributes:
        file: the file they came from, ``None`` for the defaults.
        consumer: default consumer name. specification: ``V4`` or ``V3``.
        output: pact folder. min_coverage: percent, 0 to 100.
        consumers: the reads/writes split, when configured.
        providers: naming rules, first match wins.
        credentials: provider -> credential field -> environment variable name.
        redact: redaction rules for recordings.
    """

    file: Path | None = None
    consumer: str = DEFAULT_CONSUMER
    specification: SpecVersion = "V4"
    output: Path = Path("pacts")
    min_coverage: float = 0.0
    consumers: ConsumerSplit | None = None
    providers: tuple[ProviderRule, ...] = ()
    credentials: Mapping[str, Mapping[str, str]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    redact: RedactConfig = field(default_factory=RedactConfig)

    def consumer_for(self, definition: ActionDefinition, default: str | None = None) -> str:
        """The consumer name for ``definition``: ``default`` (a flag) when given, else the
        reads/writes split when configured, else the configured consumer."""
        if default:
            return default
        if self.consumers is not None:
            return (
                self.consumers.reads
                if definition.request.method == "GET"
                else (self.consumers.writes)
            )
        return self.consumer

    def provider_for(self, definition: ActionDefinition) -> str:
        """The provider name: the first matching rule, else :func:`default_provider_name`."""
        for rule in self.providers:
            if rule.matches(definition):
                return rule.name
        return default_provider_name(definition)

    def credential_env(self, provider: str) -> Mapping[str, str]:
        """Credential field -> environment variable for ``provider`` (``{}`` when none)."""
        return self.credentials.get(provider, MappingProxyType({}))


def url_host(url_template: str) -> str | None:
    """The host of an absolute URL template, without templated labels; ``None`` if relative.

    ``https://${input.tenant}.zendesk.com/api`` gives ``zendesk.com``: a templated label
    varies per call, the rest names the API.
    """
    match = _ABSOLUTE_URL.match(url_template)
    if match is None:
        return None
    host = match.group(1).rsplit(":", 1)[0] if "]" not in match.group(1) else match.group(1)
    host = _TEMPLATED.sub("\0", host)
    labels = [
        label for label in host.split(".") if label and "\0" not in label and "$" not in label
    ]
    return ".".join(labels).lower() or None


def default_provider_name(definition: ActionDefinition) -> str:
    """The provider a definition talks to, from its integration and URL.

    Web-services actions are named by the host of their absolute URL; the Genesys Cloud
    Platform API for relative ``/api/v2/...`` URLs; the vendor for vendor integrations.
    """
    host = url_host(definition.request.url_template)
    if host:
        return host
    integration = definition.integration_type or ""
    if integration in _INTEGRATION_PROVIDERS:
        return _INTEGRATION_PROVIDERS[integration]
    if definition.request.url_template.lstrip().startswith("/api/v2/"):
        return PLATFORM_PROVIDER
    return integration or "unknown-provider"


# --------------------------------------------------------------------------- reading


def find_config(start: str | Path | None = None) -> Path | None:
    """``actionpact.yaml`` in ``start`` (default: the current directory), if there is one."""
    candidate = Path(start or Path.cwd()) / CONFIG_FILE_NAME
    return candidate if candidate.is_file() else None


def load_config(file: str | Path | None = None) -> ProjectConfig:
    """Read ``actionpact.yaml``; ``None`` looks in the current directory, then uses defaults.

    The environment variable ``ACTIONPACT_CONFIG`` names the file when ``file`` is ``None``.

    Raises:
        ConfigError: the file cannot be read, is not YAML, or has a bad or unknown key.
    """
    if file is None:
        env = os.environ.get("ACTIONPACT_CONFIG")
        file = Path(env) if env else find_config()
        if file is None:
            return ProjectConfig()
    path = Path(file)
    if not path.is_file():
        raise ConfigError("no such file", file=path)
    return _parse(load_yaml(path, kind="config"))


def _name(node: Node) -> str:
    value = node.expect(str)
    if not _NAME.match(value):
        node.error(f"{value!r} is not a usable pacticipant name (letters, digits, '.', '_', '-')")
    return value


def _parse(root: Node) -> ProjectConfig:
    keys = root.mapping(
        (
            "consumer",
            "pact_specification",
            "output",
            "min_coverage",
            "consumers",
            "providers",
            "credentials",
            "redact",
            *_OTHER_SECTIONS,
        )
    )
    base = root.file.parent
    consumer = root.get("consumer", _name, DEFAULT_CONSUMER)
    spec: SpecVersion = root.get("pact_specification", _spec_version, "V4")
    output = root.get("output", lambda n: base / n.expect(str), base / "pacts")
    min_coverage = root.get("min_coverage", _percent, 0.0)
    consumers = None
    if "consumers" in keys:
        split = keys["consumers"].mapping(("reads", "writes"), required=("reads", "writes"))
        consumers = ConsumerSplit(_name(split["reads"]), _name(split["writes"]))
    rules: list[ProviderRule] = []
    if "providers" in keys:
        for item in keys["providers"].items():
            fields = item.mapping(
                ("name", "host", "integration", "url", "action"), required=("name",)
            )
            globs = {k: fields[k].expect(str) for k in fields if k != "name"}
            if not globs:
                item.error("a provider rule needs at least one of host, integration, url, action")
            rules.append(ProviderRule(name=_name(fields["name"]), line=item.line, **globs))
    credentials: dict[str, Mapping[str, str]] = {}
    if "credentials" in keys:
        for provider, node in keys["credentials"].mapping(keys["credentials"].children).items():
            entries = node.mapping(node.children)
            for env in entries.values():
                if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", env.expect(str)):
                    env.error(f"{env.value!r} is not an environment variable name")
            credentials[provider] = MappingProxyType({k: v.value for k, v in entries.items()})
    redact = RedactConfig()
    if "redact" in keys:
        fields = keys["redact"].mapping(("paths", "patterns", "defaults"))
        paths = (
            tuple(item.expect(str) for item in fields["paths"].items()) if "paths" in fields else ()
        )
        patterns: dict[str, str] = {}
        if "patterns" in fields:
            for name, node in fields["patterns"].mapping(fields["patterns"].children).items():
                try:
                    re.compile(node.expect(str))
                except re.error as error:
                    node.error(f"not a regular expression: {error}")
                patterns[name] = node.value
        defaults = fields["defaults"].expect(bool) if "defaults" in fields else True
        redact = RedactConfig(paths, MappingProxyType(patterns), defaults)
    return ProjectConfig(
        file=root.file,
        consumer=consumer,
        specification=spec,
        output=output,
        min_coverage=min_coverage,
        consumers=consumers,
        providers=tuple(rules),
        credentials=MappingProxyType(credentials),
        redact=redact,
    )


def _spec_version(node: Node) -> SpecVersion:
    value = str(node.value).upper()
    if value in ("V4", "4", "4.0"):
        return "V4"
    if value in ("V3", "3", "3.0", "3.0.0"):
        return "V3"
    return node.error(f"expected V4 or V3, got {node.value!r}")


def _percent(node: Node) -> float:
    value: float = node.expect((int, float), "a percentage")
    if not 0 <= value <= 100:
        node.error(f"expected a percentage between 0 and 100, got {value}")
    return float(value)
