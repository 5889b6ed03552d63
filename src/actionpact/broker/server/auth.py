"""Optional authentication, as the official broker image and PactFlow do it.

* Basic auth (``PACT_BROKER_BASIC_AUTH_USERNAME``/``_PASSWORD``): the read-write user.
* A read-only basic-auth user (``PACT_BROKER_BASIC_AUTH_READ_ONLY_USERNAME``/``_PASSWORD``):
  ``GET``/``HEAD``/``OPTIONS`` everywhere, and ``POST`` to pacts-for-verification (a read).
* A bearer token (``ACTIONPACT_BROKER_TOKEN``), as PactFlow's API tokens: read-write.

When anything is configured, a request without valid credentials gets 401 and a write by
the read-only user gets 403, unless reads are public (``PACT_BROKER_ALLOW_PUBLIC_READ``) or the
request is the heartbeat and ``PACT_BROKER_PUBLIC_HEARTBEAT`` is set, as in the official image.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["TOKEN_ENV", "Access", "BrokerAuth", "check_access"]

TOKEN_ENV = "ACTIONPACT_BROKER_TOKEN"

Access = Literal["write", "read", "none"]


@dataclass(frozen=True, slots=True)
class BrokerAuth:
    """Credentials the server accepts; every field is optional.

    Attributes:
        username, password: the read-write basic-auth user.
        read_only_username, read_only_password: the read-only basic-auth user.
        token: a bearer token with read-write access (PactFlow style).
        allow_public_read: reads need no credentials (writes still do).
        public_heartbeat: ``/diagnostic/status/heartbeat`` needs no credentials.
    """

    username: str | None = None
    password: str | None = field(default=None, repr=False)
    read_only_username: str | None = None
    read_only_password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)
    allow_public_read: bool = False
    public_heartbeat: bool = False

    @property
    def configured(self) -> bool:
        """Whether any credential is set (otherwise the broker is open)."""
        return bool(self.username or self.read_only_username or self.token)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> BrokerAuth:
        """Read the official broker image's variables and ``ACTIONPACT_BROKER_TOKEN``."""
        env = os.environ if environ is None else environ

        def get(name: str) -> str | None:
            value = env.get(name)
            return value if value else None

        return cls(
            username=get("PACT_BROKER_BASIC_AUTH_USERNAME"),
            password=get("PACT_BROKER_BASIC_AUTH_PASSWORD"),
            read_only_username=get("PACT_BROKER_BASIC_AUTH_READ_ONLY_USERNAME"),
            read_only_password=get("PACT_BROKER_BASIC_AUTH_READ_ONLY_PASSWORD"),
            token=get(TOKEN_ENV),
            allow_public_read=(get("PACT_BROKER_ALLOW_PUBLIC_READ") or "").lower() == "true",
            public_heartbeat=(get("PACT_BROKER_PUBLIC_HEARTBEAT") or "").lower() == "true",
        )


def _same(given: str, expected: str | None) -> bool:
    return expected is not None and hmac.compare_digest(given.encode(), expected.encode())


def check_access(auth: BrokerAuth, authorization: str | None) -> Access:
    """What the ``Authorization`` header grants: ``write``, ``read`` or ``none``."""
    if not authorization:
        return "none"
    scheme, _, value = authorization.strip().partition(" ")
    value = value.strip()
    if scheme.lower() == "bearer" and auth.token and _same(value, auth.token):
        return "write"
    if scheme.lower() != "basic":
        return "none"
    try:
        decoded = base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return "none"
    user, sep, password = decoded.partition(":")
    if not sep:
        return "none"
    if auth.username and _same(user, auth.username) and _same(password, auth.password or ""):
        return "write"
    if (
        auth.read_only_username
        and _same(user, auth.read_only_username)
        and _same(password, auth.read_only_password or "")
    ):
        return "read"
    return "none"
