"""Where the broker is and how to log in: flag > environment > ``actionpact.yaml`` > default.

The variable names are the Pact ecosystem's own, so a pipeline set up for the official
``pact-broker`` CLI works unchanged. Secrets come from flags or the environment only: a config
file gets committed, so a token or password found in it is an error, not a setting.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote, urlsplit

from actionpact.broker._hal import redact_url
from actionpact.core.errors import ConfigError

__all__ = [
    "CONFIG_FILE",
    "DEFAULT_LOCAL_DB",
    "ENV_BASE_URL",
    "ENV_PASSWORD",
    "ENV_TOKEN",
    "ENV_USERNAME",
    "BrokerSettings",
    "resolve_broker_settings",
]

ENV_BASE_URL = "PACT_BROKER_BASE_URL"
ENV_TOKEN = "PACT_BROKER_TOKEN"
ENV_USERNAME = "PACT_BROKER_USERNAME"
ENV_PASSWORD = "PACT_BROKER_PASSWORD"
CONFIG_FILE = Path("actionpact.yaml")
DEFAULT_LOCAL_DB = Path(".actionpact") / "broker.db"

_SECRET_KEYS = ("token", "password")

Source = Literal["flag", "environment", "config", "default"]


@dataclass(frozen=True, slots=True)
class BrokerSettings:
    """Resolved broker settings.

    Attributes:
        base_url: the broker's URL without credentials, or ``None`` for the embedded local
            broker (see ``local_db``).
        token: bearer token, if any. Never shown in ``repr``.
        username, password: basic-auth credentials, if any. The password is never shown.
        source: where ``base_url`` came from.
        local_db: the SQLite file of the embedded broker used when no URL is configured.
    """

    base_url: str | None
    token: str | None = field(default=None, repr=False)
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    source: Source = "default"
    local_db: Path = DEFAULT_LOCAL_DB

    @property
    def uses_local_broker(self) -> bool:
        """Whether no broker URL was configured, so the embedded one must be started."""
        return self.base_url is None


def _read_config(path: Path) -> Mapping[str, Any]:
    import yaml

    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"cannot read: {error.strerror}", file=path) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"not valid YAML{where}", file=path) from None
    if loaded is None:
        return {}
    if not isinstance(loaded, Mapping):
        raise ConfigError("the file must hold a mapping", file=path)
    broker = loaded.get("broker")
    if broker is None:
        return {}
    if not isinstance(broker, Mapping):
        raise ConfigError("must be a mapping such as {base_url: ...}", file=path, setting="broker")
    for key in _SECRET_KEYS:
        if key in broker:
            env = ENV_TOKEN if key == "token" else ENV_PASSWORD
            raise ConfigError(
                f"secrets are never read from files that get committed; set {env} instead",
                file=path,
                setting=f"broker.{key}",
            )
    return broker


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def resolve_broker_settings(
    *,
    base_url: str | None = None,
    token: str | None = None,
    username: str | None = None,
    password: str | None = None,
    environ: Mapping[str, str] | None = None,
    config_file: Path | None = CONFIG_FILE,
    local_db: Path = DEFAULT_LOCAL_DB,
) -> BrokerSettings:
    """Resolve the broker settings: flag > environment > config file > default.

    Args:
        base_url, token, username, password: values given as flags (``None`` when not given).
        environ: the environment to read ``PACT_BROKER_*`` from (``os.environ``).
        config_file: ``actionpact.yaml``; its ``broker.base_url`` and ``broker.username``
            are used when present. A missing file is fine.
        local_db: the embedded broker's database, used when no URL is configured anywhere.

    Raises:
        ConfigError: the config file is unreadable or holds a secret, the URL is not HTTP(S),
            or both a token and a username are set.
    """
    env = os.environ if environ is None else environ
    config: Mapping[str, Any] = {}
    if config_file is not None and config_file.is_file():
        config = _read_config(config_file)

    url: str | None = None
    source: Source = "default"
    candidates: tuple[tuple[str | None, Source], ...] = (
        (_clean(base_url), "flag"),
        (_clean(env.get(ENV_BASE_URL)), "environment"),
        (_clean(str(config["base_url"])) if config.get("base_url") else None, "config"),
    )
    for candidate, origin in candidates:
        if candidate:
            url, source = candidate, origin
            break

    user = _clean(username) or _clean(env.get(ENV_USERNAME))
    if user is None and config.get("username"):
        user = str(config["username"]).strip() or None
    secret = password if password is not None else env.get(ENV_PASSWORD)
    bearer = _clean(token) or _clean(env.get(ENV_TOKEN))

    if url is not None:
        parts = urlsplit(url)
        setting = "--broker-base-url" if source == "flag" else ENV_BASE_URL
        if source == "config":
            setting = "broker.base_url"
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(
                f"{redact_url(url)!r} is not an http(s) URL",
                file=config_file if source == "config" else None,
                setting=setting,
            )
        # Credentials in the URL are a common shortcut: they rank with the URL's own source
        # (a flag's beat the environment's), and are never shown.
        if parts.username is not None and (user is None or (source == "flag" and not username)):
            user = unquote(parts.username)
            if password is None and parts.password is not None:
                secret = unquote(parts.password)
        url = redact_url(url).rstrip("/")

    if bearer and user:
        raise ConfigError(
            f"give either a token ({ENV_TOKEN}) or a username and password "
            f"({ENV_USERNAME}/{ENV_PASSWORD}), not both",
            setting=ENV_TOKEN,
        )
    return BrokerSettings(
        base_url=url,
        token=bearer,
        username=user,
        password=secret,
        source=source,
        local_db=local_db,
    )
