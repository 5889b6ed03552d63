"""Secrets out, personal data pseudonymised: what happens to an exchange before it is written.

Secrets (credential values, wherever they appear, and secret-bearing headers) are removed.
Personal data is *pseudonymised*, not blanked: a phone number becomes another phone-shaped
string, an e-mail another e-mail, an integer another integer of the same length, so recordings
still satisfy the contract's matchers. The replacement is a keyed hash of the value, so the same
value gives the same replacement in every run and diffs between runs stay quiet.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import quote, quote_plus

from actionpact.drift._select import PathRule, parse_rule_path

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

__all__ = [
    "DEFAULT_PATTERNS",
    "DROPPED_HEADERS",
    "KEY_ENV",
    "SECRET_HEADERS",
    "PatternRule",
    "RedactionRules",
    "Redactor",
    "placeholder",
]

KEY_ENV = "ACTIONPACT_REDACT_KEY"
_DEFAULT_KEY = b"actionpact-redaction/1"
_MIN_SECRET = 4  # shorter values would blank out ordinary text; their headers still go

SECRET_HEADERS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "cookie",
        "set-cookie",
        "x-api-key",
        "api-key",
        "apikey",
        "x-auth-token",
        "x-access-token",
        "x-csrf-token",
        "x-xsrf-token",
        "x-amz-security-token",
    }
)
_SECRET_HEADER_NAME = re.compile(
    r"auth|token|secret|passw|api[-_]?key|session|signature|cookie", re.IGNORECASE
)
# Hop-by-hop or different on every answer: noise in a diff and wrong once the body is redacted.
DROPPED_HEADERS = frozenset(
    {"date", "connection", "keep-alive", "transfer-encoding", "content-length", "age"}
)

Style = Literal["phone", "email", "text"]


@dataclass(frozen=True, slots=True)
class PatternRule:
    """Pseudonymise every match of ``pattern`` inside any string.

    Attributes:
        name: shown in summaries. pattern: the regular expression.
        style: how a replacement looks: ``phone`` (digits replaced, ``+`` and the first digit
            kept), ``email`` (local part and domain replaced, top-level domain kept) or
            ``text`` (letters for letters, digits for digits).
    """

    name: str
    pattern: re.Pattern[str]
    style: Style = "text"


DEFAULT_PATTERNS: tuple[PatternRule, ...] = (
    PatternRule(
        "email",
        re.compile(
            r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
        ),
        "email",
    ),
    # International with a `+` (E.164 +13175550123, or spaced +44 20 7946 0958) and North
    # American formats ((317) 555-0123, 317.555.0123).
    PatternRule("phone", re.compile(r"(?<![\w+])\+[1-9](?:[ .()-]{0,2}\d){6,14}(?!\w)"), "phone"),
    PatternRule(
        "phone-nanp",
        re.compile(r"(?<![\w(+])(?:\+?1[ .-]?)?\(?[2-9]\d{2}\)?[ .-]\d{3}[ .-]\d{4}(?!\w)"),
        "phone",
    ),
)


@dataclass(frozen=True, slots=True)
class RedactionRules:
    """What to pseudonymise.

    Attributes:
        paths: values at these paths are replaced whole, keeping their type.
        patterns: matches inside any string are replaced, keeping their format.
        key: the hash key; from ``ACTIONPACT_REDACT_KEY`` when set, so that replacements
            cannot be reversed by hashing candidate values. Never shown.
    """

    paths: tuple[PathRule, ...] = ()
    patterns: tuple[PatternRule, ...] = DEFAULT_PATTERNS
    key: bytes = field(default=_DEFAULT_KEY, repr=False)

    @classmethod
    def build(
        cls,
        *,
        paths: Iterable[str] = (),
        patterns: Iterable[tuple[str, str]] = (),
        defaults: bool = True,
        key: str | None = None,
    ) -> RedactionRules:
        """Rules from text, as the CLI and ``actionpact.yaml`` give them.

        Args:
            paths: JSONPath subset (``$.customers[*].name``, ``$..email``).
            patterns: ``(name, regex)`` pairs; a name starting with ``phone`` or ``email``
                picks that style, anything else ``text``.
            defaults: keep the built-in phone and e-mail patterns.
            key: the hash key (``ACTIONPACT_REDACT_KEY``).

        Raises:
            ValueError: a path outside the subset or a regular expression that does not compile.
        """
        rules: list[PatternRule] = list(DEFAULT_PATTERNS) if defaults else []
        for name, regex in patterns:
            try:
                compiled = re.compile(regex)
            except re.error as error:
                raise ValueError(f"pattern {name!r}: {error}") from None
            style: Style = (
                "phone"
                if name.startswith("phone")
                else "email"
                if name.startswith("email")
                else "text"
            )
            rules.append(PatternRule(name, compiled, style))
        return cls(
            paths=tuple(parse_rule_path(p) for p in paths),
            patterns=tuple(rules),
            key=key.encode("utf-8") if key else _DEFAULT_KEY,
        )

    def summary(self) -> dict[str, Any]:
        """What the rules are, without the key: for ``run.json`` and reports."""
        return {
            "paths": [rule.text for rule in self.paths],
            "patterns": [rule.name for rule in self.patterns],
            "keyed": self.key != _DEFAULT_KEY,
        }


def placeholder(name: str) -> str:
    """The text a credential value is replaced with: the one the contract renders too."""
    return f"<credentials.{name}>"


class Redactor:
    """Applies :class:`RedactionRules` and removes the given credential values.

    Thread-safe: it holds no per-call state; each method returns how much it changed.

    Args:
        rules: what to pseudonymise.
        secrets: credential field -> value (a mapping or pairs); every occurrence (also
            URL-encoded, JSON-escaped or base64) becomes ``<credentials.field>``.
    """

    def __init__(
        self,
        rules: RedactionRules,
        secrets: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
    ) -> None:
        self.rules = rules
        variants: dict[str, str] = {}
        pairs = secrets.items() if isinstance(secrets, Mapping) else (secrets or ())
        for name, value in pairs:
            if len(value) < _MIN_SECRET:
                continue
            for form in _forms(value):
                variants.setdefault(form, placeholder(name))
        self._secrets = variants
        self._secret_re = (
            re.compile("|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True)))
            if variants
            else None
        )

    # ------------------------------------------------------------------ secrets

    def scrub(self, text: str) -> tuple[str, int]:
        """Replace every credential value in ``text`` by its placeholder."""
        if self._secret_re is None:
            return text, 0
        return self._secret_re.subn(lambda m: self._secrets[m.group(0)], text)

    def scrub_deep(self, value: Any) -> tuple[Any, int]:
        """:meth:`scrub` every string (keys too) in a JSON value."""
        if self._secret_re is None:
            return value, 0
        count = 0

        def walk(node: Any) -> Any:
            nonlocal count
            if isinstance(node, str):
                text, n = self.scrub(node)
                count += n
                return text
            if isinstance(node, dict):
                return {walk(k): walk(v) for k, v in node.items()}
            if isinstance(node, list):
                return [walk(item) for item in node]
            return node

        return walk(value), count

    def headers(
        self, headers: Iterable[tuple[str, str]], *, drop_volatile: bool = False
    ) -> tuple[dict[str, str], tuple[str, ...], int]:
        """Remove secret headers and scrub the rest.

        Returns:
            The kept headers (lower-case names; repeated ones joined with ``, ``), the
            sorted names removed as secrets, and how many values were scrubbed.
        """
        kept: dict[str, str] = {}
        removed: set[str] = set()
        count = 0
        for raw_name, value in headers:
            name = raw_name.lower()
            if name in SECRET_HEADERS or _SECRET_HEADER_NAME.search(name):
                removed.add(name)
                continue
            if drop_volatile and name in DROPPED_HEADERS:
                continue
            text, n = self.scrub(value)
            count += n
            kept[name] = f"{kept[name]}, {text}" if name in kept else text
        return dict(sorted(kept.items())), tuple(sorted(removed)), count

    # ------------------------------------------------------------------ personal data

    def text(self, text: str) -> tuple[str, int]:
        """Pseudonymise pattern matches in a text body and scrub secrets."""
        out, count = self._patterns(text)
        out, n = self.scrub(out)
        return out, count + n

    def json(self, value: Any) -> tuple[Any, int]:
        """Apply path rules, then pattern rules to every string, then scrub secrets."""
        count = 0
        for rule in self.rules.paths:
            value, n = rule.replace(value, self.pseudonymise)
            count += n
        value, n = self._patterns_deep(value)
        count += n
        value, n = self.scrub_deep(value)
        return value, count + n

    def pseudonymise(self, value: Any) -> Any:
        """A replacement for a whole value, of the same type and shape (deterministic)."""
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, int):
            return _fake_int(self.rules.key, value)
        if isinstance(value, float):
            return _fake_float(self.rules.key, value)
        if isinstance(value, str):
            for rule in self.rules.patterns:
                if rule.pattern.fullmatch(value):
                    return _fake(self.rules.key, rule.style, value, rule.pattern)
            return _fake_string(self.rules.key, value)
        if isinstance(value, list):
            return [self.pseudonymise(item) for item in value]
        if isinstance(value, dict):
            return {k: self.pseudonymise(v) for k, v in value.items()}
        return value

    def _patterns(self, text: str) -> tuple[str, int]:
        # One left-to-right pass over all rules: a replacement is never matched again.
        pieces: list[str] = []
        position = count = 0
        while True:
            best: tuple[re.Match[str], PatternRule] | None = None
            for rule in self.rules.patterns:
                match = rule.pattern.search(text, position)
                if match is None or match.end() == match.start():
                    continue
                if best is None or match.start() < best[0].start():
                    best = (match, rule)
            if best is None:
                break
            match, rule = best
            fake = _fake(self.rules.key, rule.style, match[0], rule.pattern)
            pieces += [text[position : match.start()], fake]
            position = match.end()
            count += 1
        if not count:
            return text, 0
        pieces.append(text[position:])
        return "".join(pieces), count

    def _patterns_deep(self, value: Any) -> tuple[Any, int]:
        if isinstance(value, str):
            return self._patterns(value)
        if isinstance(value, dict):
            out: dict[str, Any] = {}
            total = 0
            for k, v in value.items():
                out[k], n = self._patterns_deep(v)
                total += n
            return out, total
        if isinstance(value, list):
            items: list[Any] = []
            total = 0
            for item in value:
                new, n = self._patterns_deep(item)
                items.append(new)
                total += n
            return items, total
        return value, 0


def _forms(value: str) -> set[str]:
    forms = {value, quote(value, safe=""), quote_plus(value), json.dumps(value)[1:-1]}
    forms.add(base64.b64encode(value.encode("utf-8")).decode("ascii"))
    return {form for form in forms if len(form) >= _MIN_SECRET}


# --------------------------------------------------------------------------- fakes

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_LOWER = "abcdefghijklmnopqrstuvwxyz"
_HEX = "0123456789abcdef"


def _stream(key: bytes, kind: str, value: str) -> Iterator[int]:
    counter = 0
    while True:
        block = hmac.new(key, f"{kind}\0{value}\0{counter}".encode(), hashlib.sha256).digest()
        yield from block
        counter += 1


def _scramble(
    text: str, draw: Iterator[int], *, keep: int = 0, hex_only: bool = False, letters: bool = True
) -> str:
    out = []
    for i, char in enumerate(text):
        if i < keep:
            out.append(char)
        elif hex_only and char in "0123456789abcdefABCDEF":
            new = _HEX[next(draw) % 16]
            out.append(new.upper() if char.isupper() else new)
        elif char.isdigit() and char.isascii():
            out.append(str(next(draw) % 10))
        elif letters and char.isascii() and char.isalpha():
            new = _LOWER[next(draw) % 26]
            out.append(new.upper() if char.isupper() else new)
        else:
            out.append(char)
    return "".join(out)


def _fake(key: bytes, style: Style, value: str, pattern: re.Pattern[str] | None = None) -> str:
    if style == "phone":
        digits = re.sub(r"\D", "", value)
        draw = _stream(key, "phone", digits)
        # Keep `+` and the first digit (country code or NANP area code start: 2-9).
        first = next((i for i, c in enumerate(value) if c.isdigit()), len(value))
        return _scramble(value, draw, keep=first + 1)
    if style == "email":
        local, _, domain = value.rpartition("@")
        draw = _stream(key, "email", value.lower())
        labels = domain.split(".")
        fake_domain = ".".join([*(_scramble(lb, draw) for lb in labels[:-1]), labels[-1]])
        return f"{_scramble(local, draw)}@{fake_domain}"
    # A custom pattern: digits alone first (ids such as `M-123456` keep their letters), then
    # everything; the first candidate the rule's own pattern still matches wins.
    candidates = []
    if any(c.isdigit() for c in value):
        candidates.append(_scramble(value, _stream(key, "digits", value), letters=False))
    candidates.append(_fake_string(key, value))
    for candidate in candidates:
        if pattern is None or pattern.fullmatch(candidate):
            return candidate
    return candidates[0]


def _fake_string(key: bytes, value: str) -> str:
    draw = _stream(key, "text", value)
    if _UUID.fullmatch(value):
        return _scramble(value, draw, hex_only=True)
    date = _DATE.match(value)
    if date:
        # A date stays a valid date (a birthday matcher would reject 2024-47-93).
        start = dt.date(1950, 1, 1).toordinal()
        fake = dt.date.fromordinal(start + (next(draw) * 256 + next(draw)) % 21915)
        return fake.isoformat() + value[date.end() :]
    return _scramble(value, draw)


def _fake_int(key: bytes, value: int) -> int:
    text = str(abs(value))
    draw = _stream(key, "int", str(value))
    digits = _scramble(text, draw)
    if len(digits) > 1 and digits[0] == "0":
        digits = str(1 + next(draw) % 9) + digits[1:]
    return -int(digits) if value < 0 else int(digits)


def _fake_float(key: bytes, value: float) -> float:
    text = repr(value)
    if not re.fullmatch(r"-?\d+\.\d+", text):
        return value  # inf, nan, exponent notation: no format to keep worth the risk
    draw = _stream(key, "float", text)
    sign = "-" if text.startswith("-") else ""
    whole, frac = text.lstrip("-").split(".")
    new_whole = _scramble(whole, draw)
    if len(new_whole) > 1 and new_whole[0] == "0":
        new_whole = str(1 + next(draw) % 9) + new_whole[1:]
    return float(f"{sign}{new_whole}.{_scramble(frac, draw)}")
