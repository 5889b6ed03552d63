"""The JSONPath compiler: Jayway JsonPath 2.9's PathCompiler, token for token.

Jayway accepts a few texts that look wrong and rejects some that look right; matching it
matters because Genesys saves and runs whatever Jayway accepts. Notable cases:

* a path not starting with ``$`` or ``@`` gets ``$.`` in front: ``.total`` becomes the deep
  scan ``$..total`` and ``['a']`` becomes ``$.['a']``, the same as ``$['a']``;
* ``$$.id`` is rejected ("Illegal character at position 1 expected '.' or '['");
* a blank before the path (`` $.a``) is rejected, one after it is trimmed;
* one character left over after the last token is ignored (``$['a']x`` reads ``$['a']``);
* ``[1:5:2]`` ignores the step; ``[::2]`` is rejected.

Functions other than Jayway's no-argument ones, functions with arguments and functions
before the end of a path are refused here (Jayway would fail at run time or read nonsense).
"""

from __future__ import annotations

import re
from functools import lru_cache

from actionpact.core.errors import JsonPathSyntaxError
from actionpact.genesys._jsonpath_eval import (
    FUNCTIONS,
    K_FILTER,
    K_FUNC,
    K_INDEX,
    K_PROP,
    K_SCAN,
    K_SLICE,
    K_WILD,
    Plan,
    Step,
)
from actionpact.genesys._jsonpath_filter import compile_filter
from actionpact.genesys._jsonpath_model import (
    Child,
    CompiledPath,
    DeepScan,
    Filter,
    Index,
    Segment,
    Slice,
    Union,
    Wildcard,
)
from actionpact.genesys._jsonpath_text import (
    Cursor,
    InvalidPath,
    java_parse_int,
    java_split,
    java_trim,
    unescape,
)

__all__ = ["compile_path", "is_valid_path"]

# Jayway functions that need arguments (or, for concat after a scan, Java's toString of
# arbitrary values); a path using them does not compile here.
_UNSUPPORTED_FUNCTIONS = frozenset({"append", "index"})


def compile_path(expression: str) -> CompiledPath:
    """Compile a JSONPath the way Jayway JsonPath 2.9 does; cached by text.

    Args:
        expression: the path as written in the translation map.

    Returns:
        The compiled path; the same object for the same text.

    Raises:
        JsonPathSyntaxError: Jayway would reject the path (the message ends with Jayway's
            own), or the path uses a function actionpact does not evaluate. ``position`` is
            1-based in ``expression``.
    """
    try:
        return _compile(expression)
    except _Rejected as exc:
        raise JsonPathSyntaxError(
            exc.reason, expression=expression, position=exc.position
        ) from None


def is_valid_path(text: str) -> bool:
    """Whether ``text`` compiles (Jayway's ValueNode.isPath test for strings in lists)."""
    try:
        _compile(text)
    except _Rejected:
        return False
    return True


class _Rejected(Exception):
    def __init__(self, reason: str, position: int | None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.position = position


@lru_cache(maxsize=4096)
def _compile(expression: str) -> CompiledPath:
    if not expression:
        raise _Rejected("path can not be null or empty", None)
    cursor = Cursor(expression)
    cursor.trim()
    prefixed = cursor.char_at(0) not in "$@"
    if prefixed:
        # Jayway's PathCompiler: "if the path does not start with $ or @, prepend '$.'".
        cursor = Cursor("$." + expression)
        cursor.trim()
    normalized = cursor.text[cursor.pos : cursor.end + 1]
    if normalized[1:3] == ".[":
        normalized = normalized[0] + normalized[2:]
    try:
        if cursor.last_is("."):
            raise InvalidPath("Path must not end with a '.' or '..'", cursor.end)
        return _PathCompiler(cursor).compile(expression, normalized)
    except InvalidPath as exc:
        index = exc.index if exc.index is not None else cursor.pos
        reason = exc.reason
    except (IndexError, RecursionError):
        # Java's StringIndexOutOfBoundsException (or a path nested too deep).
        index = cursor.pos
        reason = "unexpected end of path"
    except ValueError as exc:
        index = cursor.pos
        reason = f"java.lang.NumberFormatException: {exc}"
    shift = 2 if prefixed else 0
    position = min(max(index - shift, 0), max(len(expression) - 1, 0)) + 1
    raise _Rejected(reason, position)


def _is_java_int(token: str) -> bool:
    try:
        java_parse_int(token)
    except ValueError:
        return False
    return True


def _sub_path(text: str, index: int) -> CompiledPath:
    try:
        return _compile(text)
    except _Rejected as exc:
        where = index + (exc.position - 1 if exc.position is not None else 0)
        raise InvalidPath(exc.reason, where) from None


class _PathCompiler:
    def __init__(self, cursor: Cursor) -> None:
        self.c = cursor
        self.steps: list[Step] = []
        self.segments: list[Segment | None] = []
        self.function_at: list[tuple[int, int]] = []
        self.root = "$"

    def add(self, step: Step, segment: Segment | None) -> None:
        self.steps.append(step)
        self.segments.append(segment)

    def fail(self, reason: str) -> InvalidPath:
        return InvalidPath(reason, self.c.pos)

    def compile(self, expression: str, normalized: str) -> CompiledPath:
        self.read_context()
        self.check_functions()
        plan = Plan(self.steps, root_is_document=self.root == "$")
        last = self.steps[-1] if self.steps else None
        return CompiledPath(
            expression=expression,
            normalized=normalized,
            definite=plan.definite,
            function=last[1] if last is not None and last[0] == K_FUNC else None,
            segments=tuple(s for s in self.segments if s is not None),
            _run=plan.run,
            _plan=plan,
        )

    def check_functions(self) -> None:
        for step_index, position in self.function_at:
            name = self.steps[step_index][1]
            if name in _UNSUPPORTED_FUNCTIONS:
                raise InvalidPath(f"function {name}() is not supported by actionpact", position)
            if name not in FUNCTIONS:
                raise InvalidPath(f"Function with name: {name} does not exist.", position)
            if step_index != len(self.steps) - 1:
                raise InvalidPath(
                    f"function {name}() must end the path (Jayway would apply the rest of "
                    "the path to its result)",
                    position,
                )
            if name == "concat" and self.steps[0][0] == K_SCAN:
                raise InvalidPath(
                    "concat() after a deep scan is not supported by actionpact", position
                )

    # ----------------------------------------------------------------- structure

    def read_context(self) -> None:
        c = self.c
        while c.in_bounds() and c.current() in " \t\n\r":
            c.pos += 1
        if c.current() not in "$@":
            raise self.fail("Path must start with '$' or '@'")
        self.root = c.current()
        if c.is_tail():
            return
        c.pos += 1
        if c.current() not in ".[":
            raise self.fail(f"Illegal character at position {c.pos} expected '.' or '['")
        while True:
            self.read_next()
            if c.is_tail():
                return

    def read_next(self) -> None:
        c = self.c
        char = c.current()
        if char == "[":
            if not (
                self.read_bracket_property()
                or self.read_array()
                or self.read_wildcard()
                or self.read_filter()
                or self.read_placeholder()
            ):
                raise self.fail(
                    f"Could not parse token starting at position {c.pos}. Expected ?, ', 0-9, * "
                )
        elif char == ".":
            self.read_dot()
        elif char == "*":
            if not self.read_wildcard():
                raise self.fail(f"Could not parse token starting at position {c.pos}")
        elif not self.read_property_or_function():
            raise self.fail(f"Could not parse token starting at position {c.pos}")

    def read_dot(self) -> None:
        c = self.c
        if c.current_is(".") and c.next_is("."):
            self.add((K_SCAN, None), DeepScan())
            c.pos += 2
        elif not c.has_more():
            raise self.fail("Path must not end with a '.")
        else:
            c.pos += 1
        if c.current_is("."):
            raise self.fail(f"Character '.' on position {c.pos} is not valid.")
        self.read_next()

    def read_property_or_function(self) -> bool:
        c = self.c
        if c.current() in "[*. ":
            return False
        start = c.pos
        read = start
        end = 0
        is_function = False
        while c.in_bounds(read):
            char = c.text[read]
            if char == " ":
                raise self.fail(
                    "Use bracket notion ['my prop'] if your property contains blank "
                    f"characters. position: {c.pos}"
                )
            if char in ".[":
                end = read
                break
            if char == "(":
                is_function = True
                end = read
                break
            read += 1
        if end == 0:
            end = c.length()
        name = c.text[start:end]
        if not is_function:
            c.pos = end
            self.add((K_PROP, (name,)), Child(name))
            return True
        depth = 1
        for i in range(read + 1, c.length()):
            if c.text[i] == ")":
                depth -= 1
            elif c.text[i] == "(":
                depth += 1
            if depth == 0:
                break
        if depth != 0:
            raise self.fail(f"Arguments to function: '{name}' are not closed properly.")
        if c.in_bounds(read + 1) and c.text[read + 1] != ")":
            raise InvalidPath(f"function {name}() with arguments is not supported", start)
        c.pos = read + 1 if c.in_bounds(read + 1) else read
        self.function_at.append((len(self.steps), start))
        self.add((K_FUNC, name), None)
        return True

    # ----------------------------------------------------------------- brackets

    def read_wildcard(self) -> bool:
        c = self.c
        in_bracket = c.current_is("[")
        if in_bracket and not c.next_significant_is("*"):
            return False
        if not c.current_is("*") and not c.in_bounds(c.pos + 1):
            return False
        if in_bracket:
            star = c.next_significant_index("*")
            if not c.next_significant_is("]", star):
                raise InvalidPath(f"Expected wildcard token to end with ']' on position {star + 1}")
            c.pos = c.next_significant_index("]", star) + 1
        else:
            c.pos += 1
        self.add((K_WILD, None), Wildcard())
        return True

    def read_array(self) -> bool:
        c = self.c
        if not c.current_is("["):
            return False
        following = c.next_significant_char()
        if not (following.isdecimal() or following in "-:"):
            return False
        begin = c.pos + 1
        close = c.next_index_of("]", begin)
        if close == -1:
            return False
        text = java_trim(c.text[begin:close])
        if text == "*":
            return False
        if not all(ch.isdecimal() or ch in ",-: " for ch in text):
            return False
        if ":" in text:
            self.add_slice(text)
        else:
            self.add_indexes(text)
        c.pos = close + 1
        return True

    def add_slice(self, text: str) -> None:
        if not all(ch.isdecimal() or ch in "-:" for ch in text):
            raise self.fail(f"Failed to parse SliceOperation: {text}")
        tokens = java_split(text, ":")

        def read(i: int) -> int | None:
            if len(tokens) > i and tokens[i] != "":
                return java_parse_int(tokens[i])
            return None

        start, stop = read(0), read(1)
        if start is None and stop is None:
            raise self.fail(f"Failed to parse SliceOperation: {text}")
        self.add((K_SLICE, (start, stop)), Slice(start, stop))

    def add_indexes(self, text: str) -> None:
        tokens = re.split(r"\s*,\s*", text)
        try:
            indexes = tuple(java_parse_int(token) for token in tokens)
        except ValueError:
            bad = next(t for t in tokens if not _is_java_int(t))
            raise self.fail(f"Failed to parse token in ArrayIndexOperation: {bad}") from None
        if len(indexes) == 1:
            self.add((K_INDEX, indexes), Index(indexes[0]))
        else:
            self.add((K_INDEX, indexes), Union(indexes))

    def read_filter(self) -> bool:
        c = self.c
        open_at = c.pos
        question = c.next_significant_index("?")
        if question == -1:
            return False
        paren = c.next_significant_index("(", question)
        if paren == -1:
            return False
        close = c.matching_close(paren, "(", ")", strings=True, regex=True)
        if close == -1:
            return False
        if not c.next_significant_is("]", close):
            return False
        end = c.next_significant_index("]", close)
        condition, predicate = compile_filter(c.text[open_at : end + 1], open_at, _sub_path)
        self.add((K_FILTER, predicate), Filter(condition))
        c.pos = end + 1
        return True

    def read_placeholder(self) -> bool:
        c = self.c
        question = c.next_significant_index("?")
        if question == -1:
            return False
        following = c.next_significant_char(question)
        if following not in "],":
            return False
        close = c.next_index_of("]", c.pos + 1)
        if close == -1:
            return False
        # `[?]` takes its predicates from the Java API; a translation map cannot pass any.
        expression = c.text[c.pos + 1 : close]
        raise self.fail(
            f"Not enough predicates supplied for filter [{expression}] at position {c.pos}"
        )

    def read_bracket_property(self) -> bool:
        c = self.c
        quote = c.next_significant_char()
        if quote not in "'\"":
            return False
        names: list[str] = []
        start = c.pos + 1
        read = start
        end = 0
        in_name = False
        escaped = False
        after_comma = False
        while c.in_bounds(read):
            char = c.text[read]
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == "]" and not in_name:
                if after_comma:
                    raise InvalidPath(f"Found empty property at index {read}", read)
                break
            elif char == quote:
                if in_name:
                    following = c.next_significant_char(read)
                    if following not in "],":
                        raise InvalidPath(
                            "Property must be separated by comma or Property must be "
                            f"terminated close square bracket at index {read}",
                            read,
                        )
                    end = read
                    names.append(unescape(c.text[start:end]))
                    in_name = False
                else:
                    start = read + 1
                    in_name = True
                    after_comma = False
            elif char == "," and not in_name:
                if after_comma:
                    raise InvalidPath(f"Found empty property at index {read}", read)
                after_comma = True
            read += 1
        if in_name:
            raise self.fail(f"Property has not been closed - missing closing {quote}")
        close = c.next_significant_index("]", end)
        if close == -1:
            raise self.fail("Property has not been closed - missing closing ]")
        c.pos = close + 1
        if not names:
            raise self.fail("Empty properties")
        names_tuple = tuple(names)
        segment = Child(names[0]) if len(names) == 1 else Union(names_tuple)
        self.add((K_PROP, names_tuple), segment)
        return True
