"""``java.lang.String`` methods with Java semantics, for ``${input.x.replace(...)}`` and friends.

Java strings are UTF-16: ``length()``, ``substring`` and ``indexOf`` count code units, so a
string holding an emoji is handled as surrogate pairs. ``replace`` is literal, ``replaceAll``
and ``split`` take Java regular expressions (translated to Python's ``re``), and ``split``
drops trailing empty strings as Java does.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from actionpact.genesys._velocity_java import JavaThrown, MethodTable, java_equals, jm

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["STRING_METHODS", "java_regex", "java_split"]

_MAX_REPEAT = 1_000_000


# --------------------------------------------------------------------------- UTF-16 helpers


def _is_bmp(text: str) -> bool:
    return text.isascii() or max(text) <= "\uffff"


def _units(text: str) -> str:
    """The string as UTF-16 code units (astral characters split into surrogate pairs)."""
    if _is_bmp(text):
        return text
    return "".join(
        ch
        if ord(ch) <= 0xFFFF
        else chr(0xD800 + ((ord(ch) - 0x10000) >> 10)) + chr(0xDC00 + ((ord(ch) - 0x10000) & 0x3FF))
        for ch in text
    )


def _from_units(units: str) -> str:
    if _is_bmp(units) and not any("\ud800" <= ch <= "\udfff" for ch in units):
        return units
    return units.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def _null_check(*values: Any) -> None:
    if any(value is None for value in values):
        raise JavaThrown("java.lang.NullPointerException")


# --------------------------------------------------------------------------- methods


def _length(s: str) -> int:
    return len(_units(s))


def _substring(s: str, begin: int, end: int | None = None) -> str:
    units = _units(s)
    stop = len(units) if end is None else end
    if begin < 0 or stop > len(units) or begin > stop:
        raise JavaThrown(
            "java.lang.StringIndexOutOfBoundsException",
            f"begin {begin}, end {stop}, length {len(units)}",
        )
    return _from_units(units[begin:stop])


def _char_at(s: str, index: int) -> str:
    units = _units(s)
    if not 0 <= index < len(units):
        raise JavaThrown(
            "java.lang.StringIndexOutOfBoundsException",
            f"Index {index} out of bounds for length {len(units)}",
        )
    return units[index]


def _needle(value: Any) -> str | None:
    _null_check(value)
    if isinstance(value, int):
        return chr(value) if 0 <= value <= 0x10FFFF else None
    return str(value)


def _index_of(s: str, needle: Any, start: int = 0) -> int:
    wanted = _needle(needle)
    if wanted is None:
        return -1
    units, target = _units(s), _units(wanted)
    if not target:
        return min(max(start, 0), len(units))
    return units.find(target, max(start, 0))


def _last_index_of(s: str, needle: Any, start: int | None = None) -> int:
    wanted = _needle(needle)
    if wanted is None:
        return -1
    units, target = _units(s), _units(wanted)
    if start is None:
        return units.rfind(target)
    if start < 0:
        return -1
    return units.rfind(target, 0, start + len(target))


def _replace(s: str, old: Any, new: Any) -> str:
    _null_check(old, new)
    return s.replace(str(old), str(new))


def _trim(s: str) -> str:
    # Java trims every character up to U+0020, not Unicode whitespace.
    start, end = 0, len(s)
    while start < end and s[start] <= " ":
        start += 1
    while end > start and s[end - 1] <= " ":
        end -= 1
    return s[start:end]


# Character.isWhitespace: Unicode spaces except no-break ones, plus the ASCII separators.
_JAVA_WHITESPACE = frozenset(
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2008\u2009\u200a\u2028\u2029\u205f\u3000"
)


def _strip(s: str) -> str:
    start, end = 0, len(s)
    while start < end and s[start] in _JAVA_WHITESPACE:
        start += 1
    while end > start and s[end - 1] in _JAVA_WHITESPACE:
        end -= 1
    return s[start:end]


def _same_ignoring_case(a: str, b: str) -> bool:
    return a == b or a.upper() == b.upper() or a.lower() == b.lower()


def _equals_ignore_case(s: str, other: Any) -> bool:
    if not isinstance(other, str):
        return False
    left, right = _units(s), _units(other)
    return len(left) == len(right) and all(
        _same_ignoring_case(a, b) for a, b in zip(left, right, strict=True)
    )


def _compare_to(s: str, other: Any) -> int:
    _null_check(other)
    left, right = _units(s), _units(str(other))
    for a, b in zip(left, right, strict=False):
        if a != b:
            return ord(a) - ord(b)
    return len(left) - len(right)


def _repeat(s: str, count: int) -> str:
    if count < 0:
        raise JavaThrown("java.lang.IllegalArgumentException", f"count is negative: {count}")
    if len(s) * count > _MAX_REPEAT:
        raise JavaThrown("java.lang.OutOfMemoryError", "Repeating string exceeds the size limit")
    return s * count


def _starts_with(s: str, prefix: Any, offset: int = 0) -> bool:
    _null_check(prefix)
    units = _units(s)
    return 0 <= offset <= len(units) and units.startswith(_units(str(prefix)), offset)


def _string_op(op: Callable[[str, str], Any]) -> Callable[[str, Any], Any]:
    def method(s: str, other: Any) -> Any:
        _null_check(other)
        return op(s, str(other))

    return method


# --------------------------------------------------------------------------- Java regex

_POSIX = {
    "Lower": "a-z",
    "Upper": "A-Z",
    "ASCII": "\\x00-\\x7f",
    "Alpha": "a-zA-Z",
    "Digit": "0-9",
    "Alnum": "a-zA-Z0-9",
    "Punct": "!-/:-@\\[-`{-~",
    "Graph": "!-~",
    "Print": " -~",
    "Blank": " \\t",
    "Cntrl": "\\x00-\\x1f\\x7f",
    "XDigit": "0-9a-fA-F",
    "Space": " \\t\\n\\x0b\\f\\r",
    "L": "^\\W\\d_",
    "IsAlphabetic": "^\\W\\d_",
    "IsLetter": "^\\W\\d_",
    "N": "\\d",
    "Nd": "\\d",
    "IsDigit": "\\d",
}


@lru_cache(maxsize=512)
def java_regex(pattern: str) -> re.Pattern[str]:
    """Compile a Java regular expression with Python's ``re``.

    Translates what differs in common use: named groups ``(?<n>...)``, ``\\Q...\\E``
    quoting, POSIX classes ``\\p{Alpha}``, ``\\z``/``\\Z``.

    Raises:
        JavaThrown: ``java.util.regex.PatternSyntaxException`` for a pattern that does not
            compile.
    """
    out: list[str] = []
    i, n = 0, len(pattern)
    in_class = False
    while i < n:
        ch = pattern[i]
        if ch == "\\" and i + 1 < n:
            nxt = pattern[i + 1]
            if nxt == "Q":
                end = pattern.find("\\E", i + 2)
                literal = pattern[i + 2 :] if end < 0 else pattern[i + 2 : end]
                out.append(re.escape(literal))
                i = n if end < 0 else end + 2
                continue
            if nxt in "pP" and i + 2 < n:
                match = re.match(r"\{(?:Is)?([A-Za-z]+)\}|([A-Za-z])", pattern[i + 2 :])
                name = (match.group(1) or match.group(2)) if match else ""
                if name in _POSIX or f"Is{name}" in _POSIX:
                    body = _POSIX.get(name) or _POSIX[f"Is{name}"]
                    negate = nxt == "P"
                    if body.startswith("^"):
                        body, negate = body[1:], not negate
                    cls = ("^" if negate else "") + body
                    out.append(cls if in_class and not negate else f"[{cls}]")
                    i += 2 + (match.end() if match else 0)
                    continue
                raise JavaThrown(
                    "java.util.regex.PatternSyntaxException",
                    f"Unknown character property name near index {i + 2}",
                )
            out.append(
                {"z": "\\Z", "Z": "(?=\\n?\\Z)"}.get(nxt, "\\" + nxt)
                if not in_class
                else "\\" + nxt
            )
            i += 2
            continue
        if ch == "[" and not in_class:
            in_class = True
        elif ch == "]" and in_class:
            in_class = False
        elif (
            not in_class
            and pattern.startswith("(?<", i)
            and pattern[i + 3 : i + 4] not in ("=", "!")
        ):
            out.append("(?P<")
            i += 3
            continue
        out.append(ch)
        i += 1
    try:
        return re.compile("".join(out))
    except (re.error, OverflowError, RecursionError) as error:
        raise JavaThrown("java.util.regex.PatternSyntaxException", str(error)) from None


def _expand(replacement: str, match: re.Match[str]) -> str:
    """Java's ``Matcher.appendReplacement``: ``$1``, ``${name}``, ``\\x`` literal."""
    out: list[str] = []
    i, n = 0, len(replacement)
    groups = match.re.groups
    while i < n:
        ch = replacement[i]
        if ch == "\\":
            if i + 1 >= n:
                raise JavaThrown(
                    "java.lang.IllegalArgumentException", "character to be escaped is missing"
                )
            out.append(replacement[i + 1])
            i += 2
        elif ch == "$":
            if i + 1 >= n:
                raise JavaThrown(
                    "java.lang.IllegalArgumentException",
                    "Illegal group reference: group index is missing",
                )
            if replacement[i + 1] == "{":
                end = replacement.find("}", i + 2)
                name = replacement[i + 2 : end] if end > 0 else ""
                if end < 0 or name not in match.re.groupindex:
                    raise JavaThrown(
                        "java.lang.IllegalArgumentException", f"No group with name {{{name}}}"
                    )
                out.append(match.group(name) or "")
                i = end + 1
                continue
            if not replacement[i + 1].isdigit():
                raise JavaThrown("java.lang.IllegalArgumentException", "Illegal group reference")
            number = int(replacement[i + 1])
            if number > groups:
                raise JavaThrown("java.lang.IndexOutOfBoundsException", f"No group {number}")
            i += 2
            # Java takes further digits while the group number stays valid.
            while (
                i < n and replacement[i].isdigit() and number * 10 + int(replacement[i]) <= groups
            ):
                number = number * 10 + int(replacement[i])
                i += 1
            out.append(match.group(number) or "")
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _replace_all(s: str, regex: Any, replacement: Any, count: int = 0) -> str:
    _null_check(regex, replacement)
    pattern = java_regex(str(regex))
    return pattern.sub(lambda m: _expand(str(replacement), m), s, count=count)


def java_split(s: str, regex: str, limit: int = 0) -> list[str]:
    """Java's ``String.split``: a regex, and with ``limit`` 0 no trailing empty strings."""
    pattern = java_regex(regex)
    parts: list[str] = []
    index = 0
    limited = limit > 0
    for match in pattern.finditer(s):
        if limited and len(parts) >= limit - 1:
            break
        if index == 0 and match.start() == 0 and match.end() == 0:
            continue  # no empty leading piece for a zero-width match at the start
        parts.append(s[index : match.start()])
        index = match.end()
    if index == 0 and not parts:
        return [s]
    parts.append(s[index:])
    if limit == 0:
        while parts and parts[-1] == "":
            parts.pop()
    return parts


def _split(s: str, regex: Any, limit: int = 0) -> list[str]:
    _null_check(regex)
    return java_split(s, str(regex), limit)


def _matches(s: str, regex: Any) -> bool:
    _null_check(regex)
    return java_regex(str(regex)).fullmatch(s) is not None


STRING_METHODS: MethodTable = {
    "length": [jm(_length)],
    "isEmpty": [jm(lambda s: s == "")],
    "isBlank": [jm(lambda s: _strip(s) == "")],
    "trim": [jm(_trim)],
    "strip": [jm(_strip)],
    "toUpperCase": [jm(str.upper)],
    "toLowerCase": [jm(str.lower)],
    "substring": [jm(_substring, "int"), jm(_substring, "int", "int")],
    "charAt": [jm(_char_at, "int")],
    "indexOf": [
        jm(_index_of, "String"),
        jm(_index_of, "int"),
        jm(_index_of, "String", "int"),
        jm(_index_of, "int", "int"),
    ],
    "lastIndexOf": [
        jm(_last_index_of, "String"),
        jm(_last_index_of, "int"),
        jm(_last_index_of, "String", "int"),
        jm(_last_index_of, "int", "int"),
    ],
    "contains": [jm(_string_op(lambda s, o: o in s), "String")],
    "startsWith": [jm(_starts_with, "String"), jm(_starts_with, "String", "int")],
    "endsWith": [jm(_string_op(str.endswith), "String")],
    "concat": [jm(_string_op(lambda s, o: s + o), "String")],
    "equals": [jm(java_equals, "Object")],
    "equalsIgnoreCase": [jm(_equals_ignore_case, "Object")],
    "compareTo": [jm(_compare_to, "String")],
    "compareToIgnoreCase": [
        jm(lambda s, o: _compare_to(s.upper().lower(), str(o).upper().lower()), "String")
    ],
    "replace": [jm(_replace, "String", "String")],
    "replaceAll": [jm(_replace_all, "String", "String")],
    "replaceFirst": [jm(lambda s, r, p: _replace_all(s, r, p, 1), "String", "String")],
    "split": [jm(_split, "String"), jm(_split, "String", "int")],
    "matches": [jm(_matches, "String")],
    "repeat": [jm(_repeat, "int")],
    "toString": [jm(lambda s: s)],
}
