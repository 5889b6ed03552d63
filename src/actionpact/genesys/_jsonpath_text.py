"""Character-level helpers shared by the JSONPath and filter compilers.

Jayway's compilers scan the text with a cursor bounded by a movable end position while
indexing into the whole string, and several accepted-or-rejected decisions depend on that
(for example a single character left after the last token is ignored). ``Cursor`` keeps the
same two bounds so that the compilers built on it accept exactly what Jayway accepts.
"""

from __future__ import annotations

import re
from decimal import Decimal

__all__ = [
    "Cursor",
    "InvalidPath",
    "java_decimal",
    "java_number_text",
    "java_parse_int",
    "java_split",
    "java_string_compare",
    "java_string_length",
    "java_trim",
    "unescape",
]


class InvalidPath(Exception):  # Jayway's InvalidPathException
    """Jayway's ``InvalidPathException`` raised while compiling; carries a 0-based index."""

    def __init__(self, reason: str, index: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.index = index


class Cursor:
    """A read position over ``text`` with Jayway's inclusive ``end`` bound."""

    __slots__ = ("end", "pos", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.end = len(text) - 1

    # Java's String.charAt raises outside the string, whatever the logical end.
    def char_at(self, index: int) -> str:
        if index < 0 or index >= len(self.text):
            raise IndexError(f"index {index} out of range")
        return self.text[index]

    def current(self) -> str:
        return self.char_at(self.pos)

    def current_is(self, char: str) -> bool:
        return self.char_at(self.pos) == char

    def last_is(self, char: str) -> bool:
        return self.char_at(self.end) == char

    def next_is(self, char: str) -> bool:
        return self.in_bounds(self.pos + 1) and self.text[self.pos + 1] == char

    def in_bounds(self, index: int | None = None) -> bool:
        i = self.pos if index is None else index
        return 0 <= i <= self.end

    def length(self) -> int:
        return self.end + 1

    def is_tail(self) -> bool:
        return self.pos >= self.end

    def has_more(self) -> bool:
        return self.in_bounds(self.pos + 1)

    def skip_blanks(self) -> Cursor:
        while self.in_bounds() and self.pos < self.end and self.text[self.pos] == " ":
            self.pos += 1
        return self

    def trim(self) -> Cursor:
        self.skip_blanks()
        while self.in_bounds() and self.pos < self.end and self.text[self.end] == " ":
            self.end -= 1
        return self

    def next_significant_index(self, char: str, start: int | None = None) -> int:
        """Index of ``char`` if it is the next non-blank after ``start``, else -1."""
        i = (self.pos if start is None else start) + 1
        while self.in_bounds(i) and self.text[i] == " ":
            i += 1
        return i if self.char_at(i) == char else -1

    def next_significant_is(self, char: str, start: int | None = None) -> bool:
        i = (self.pos if start is None else start) + 1
        while self.in_bounds(i) and self.text[i] == " ":
            i += 1
        return self.in_bounds(i) and self.text[i] == char

    def next_significant_char(self, start: int | None = None) -> str:
        i = (self.pos if start is None else start) + 1
        while self.in_bounds(i) and self.text[i] == " ":
            i += 1
        return self.text[i] if self.in_bounds(i) else " "

    def previous_significant_index(self, start: int | None = None) -> int:
        i = (self.pos if start is None else start) - 1
        while self.in_bounds(i) and self.text[i] == " ":
            i -= 1
        return i if self.in_bounds(i) else -1

    def previous_significant_char(self) -> str:
        i = self.previous_significant_index()
        return " " if i == -1 else self.text[i]

    def next_index_of(self, char: str, start: int) -> int:
        i = start
        while self.in_bounds(i):
            if self.text[i] == char:
                return i
            i += 1
        return -1

    def next_unescaped(self, char: str, start: int | None = None) -> int:
        i = (self.pos if start is None else start) + 1
        escaped = False
        while self.in_bounds(i):
            c = self.text[i]
            if escaped:
                escaped = False
            elif c == "\\":
                escaped = True
            elif c == char:
                return i
            i += 1
        return -1

    def matching_close(
        self, start: int, open_char: str, close_char: str, *, strings: bool, regex: bool
    ) -> int:
        """Index of the bracket closing the one at ``start``, skipping quoted text (and /re/)."""
        if self.char_at(start) != open_char:
            raise InvalidPath(f"Expected {open_char} but found {self.char_at(start)}", start)
        opened = 1
        i = start + 1
        while self.in_bounds(i):
            if strings:
                quote = self.char_at(i)
                if quote in "'\"":
                    i = self.next_unescaped(quote, i)
                    if i == -1:
                        raise InvalidPath(
                            f"Could not find matching close quote for {quote} when parsing : "
                            f"{self.text}",
                            start,
                        )
                    i += 1
            if regex and self.char_at(i) == "/":
                i = self.next_unescaped("/", i)
                if i == -1:
                    raise InvalidPath(
                        f"Could not find matching close for / when parsing regex in : {self.text}",
                        start,
                    )
                i += 1
            c = self.char_at(i)
            if c == open_char:
                opened += 1
            if c == close_char:
                opened -= 1
                if opened == 0:
                    return i
            i += 1
        return -1

    def has_significant(self, word: str) -> bool:
        """Consume ``word`` if it comes next (after blanks)."""
        self.skip_blanks()
        if not self.in_bounds(self.pos + len(word) - 1):
            return False
        if self.text[self.pos : self.pos + len(word)] != word:
            return False
        self.pos += len(word)
        return True

    def read_significant(self, char: str) -> None:
        if self.skip_blanks().current() != char:
            raise InvalidPath(f"Expected character: {char}", self.pos)
        self.pos += 1


# --------------------------------------------------------------------------- Java semantics

_JAVA_INT = re.compile(r"[+-]?[0-9]+\Z")
_BIG_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\Z")
_ESCAPES = {"\\": "\\", "'": "'", '"': '"', "r": "\r", "f": "\f", "t": "\t", "n": "\n", "b": "\b"}


def java_trim(text: str) -> str:
    """``String.trim()``: strips every character up to U+0020."""
    return text.strip("".join(chr(i) for i in range(33)))


def java_split(text: str, sep: str) -> list[str]:
    """``String.split(sep)``: like ``str.split`` but trailing empty strings are dropped."""
    parts = text.split(sep)
    while len(parts) > 1 and parts[-1] == "":
        parts.pop()
    if parts == [""] and text:
        return []
    return parts


def java_parse_int(text: str) -> int:
    """``Integer.parseInt``: decimal digits with an optional sign, 32-bit range."""
    if not _JAVA_INT.match(text):
        raise ValueError(f'For input string: "{text}"')
    value = int(text)
    if not -(2**31) <= value < 2**31:
        raise ValueError(f'For input string: "{text}"')
    return value


def java_decimal(text: str) -> Decimal | None:
    """``new BigDecimal(text)``, or None where Java throws NumberFormatException."""
    if not _BIG_DECIMAL.match(text):
        return None
    return Decimal(text)


def _double_text(value: float) -> str:
    # Java's Double.toString: shortest digits, plain between 1e-3 and 1e7, else d.dddE<n>.
    if value == 0:
        return "-0.0" if str(value).startswith("-") else "0.0"
    sign, digits, exponent = Decimal(repr(value)).as_tuple()
    assert isinstance(exponent, int)
    text_digits = "".join(map(str, digits)).rstrip("0") or "0"
    sci = len(digits) - 1 + exponent
    prefix = "-" if sign else ""
    if 1e-3 <= abs(value) < 1e7:
        plain = format(Decimal(repr(abs(value))), "f")
        if "." not in plain:
            plain += ".0"
        return prefix + plain
    mantissa = text_digits[0] + "." + (text_digits[1:] or "0")
    return f"{prefix}{mantissa}E{sci}"


def java_number_text(value: int | float | Decimal) -> str:
    """The text of ``new BigDecimal(number.toString()).toString()`` for a JSON number."""
    if isinstance(value, int):
        return str(value)
    dec = Decimal(_double_text(value)) if isinstance(value, float) else value
    # BigDecimal has no negative zero.
    if dec.is_zero():
        dec = dec.copy_abs()
    return str(dec)


def java_string_compare(left: str, right: str) -> int:
    """``String.compareTo``: UTF-16 code units, not code points."""
    if not (left.isascii() and right.isascii()):
        a = left.encode("utf-16-be", "surrogatepass")
        b = right.encode("utf-16-be", "surrogatepass")
        return (a > b) - (a < b)
    return (left > right) - (left < right)


def java_string_length(text: str) -> int:
    """``String.length()``: characters outside the BMP count twice."""
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for c in text if ord(c) > 0xFFFF)


def unescape(text: str) -> str:
    """Jayway's ``Utils.unescape``: Java escapes and ``\\uXXXX``; others lose the backslash."""
    if "\\" not in text:
        return text
    out: list[str] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch != "\\":
            out.append(ch)
            i += 1
            continue
        if i + 1 >= n:
            out.append("\\")
            break
        nxt = text[i + 1]
        if nxt == "u":
            digits = text[i + 2 : i + 6]
            if len(digits) < 4:
                # Java drops an unfinished \u sequence at the end of the text.
                break
            try:
                out.append(chr(int(digits, 16)))
            except ValueError:
                raise ValueError(f"Unable to parse unicode value: {digits}") from None
            i += 6
            continue
        out.append(_ESCAPES.get(nxt, nxt))
        i += 2
    return "".join(out)
