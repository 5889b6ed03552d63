"""Differential test against the real Jayway JsonPath, when a JDK and its jars are at hand.

The jars are looked up in the local Maven repository (``~/.m2``); without them, or without
``java``/``javac``, the test is skipped. jayway.json holds the results of the same oracle for
the fixed cases, so those are checked on every run regardless.
"""

from __future__ import annotations

import json
import math
import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from actionpact.core import UNSET
from actionpact.core.errors import JsonPathSyntaxError
from actionpact.genesys._jsonpath import compile_path

CASES = Path(__file__).parent / "jsonpath_cases"
M2 = Path.home() / ".m2" / "repository"
JARS = [
    ("com/jayway/jsonpath/json-path", "json-path"),
    ("net/minidev/json-smart", "json-smart"),
    ("net/minidev/accessors-smart", "accessors-smart"),
    ("org/ow2/asm/asm", "asm"),
    ("org/slf4j/slf4j-api", "slf4j-api"),
]
# Paths that Jayway compiles and actionpact refuses on purpose (see _jsonpath_parse).
REFUSALS = ("does not exist", "must end the path", "not supported")


def _jar(folder: str, name: str) -> Path | None:
    found = sorted((M2 / folder).glob(f"*/{name}-*.jar")) if (M2 / folder).is_dir() else []
    found = [j for j in found if not j.name.endswith(("-sources.jar", "-javadoc.jar"))]
    if name == "json-path":
        found = [j for j in found if j.parent.name.startswith("2.")]
    return found[-1] if found else None


@pytest.fixture(scope="module")
def jayway(tmp_path_factory: pytest.TempPathFactory) -> Any:
    jars = [_jar(folder, name) for folder, name in JARS]
    if not shutil.which("java") or not shutil.which("javac") or None in jars:
        pytest.skip("no JDK or no Jayway JsonPath jars in ~/.m2")
    classes = tmp_path_factory.mktemp("oracle")
    classpath = ":".join(str(j) for j in jars)
    subprocess.run(
        ["javac", "-cp", classpath, "-d", str(classes), str(CASES / "Oracle.java")],
        check=True,
        capture_output=True,
        timeout=120,
    )

    def run(cases: list[tuple[str, Any]]) -> list[dict[str, Any]]:
        payload = json.dumps([{"path": p, "doc": json.dumps(d)} for p, d in cases])
        done = subprocess.run(
            ["java", "-cp", f"{classes}:{classpath}", "Oracle"],
            input=payload.encode(),
            capture_output=True,
            check=True,
            timeout=120,
        )
        result: list[dict[str, Any]] = json.loads(done.stdout)
        return result

    return run


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
            return True
        return type(a) is type(b) and a == b
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return bool(a == b)


def _disagreement(text: str, document: Any, oracle: dict[str, Any]) -> str | None:
    try:
        path = compile_path(text)
    except JsonPathSyntaxError as error:
        if "compile_error" in oracle or any(r in str(error) for r in REFUSALS):
            return None
        return f"we reject, Jayway compiles: {error}"
    if "compile_error" in oracle:
        return f"we compile, Jayway rejects: {oracle['compile_error']}"
    if path.definite is not oracle["definite"]:
        return f"definite {path.definite}, Jayway {oracle['definite']}"
    result = path.evaluate(document)
    if "error" in oracle:
        return None if result is UNSET else f"got {result!r}, Jayway fails: {oracle['error']}"
    if result is UNSET or not _same(result, oracle.get("value")):
        return f"got {result!r}, Jayway gives {oracle.get('value')!r}"
    return None


# --------------------------------------------------------------------------- random cases

NAMES = ["a", "b", "c", "x", "id"]


def _random_cases(seed: int, count: int) -> list[tuple[str, Any]]:
    r = random.Random(seed)

    def literal() -> str:
        return r.choice(
            ["1", "0", "-1", "1.5", "1.0", "'x'", "'1'", '"a"', "true", "null", "[1,'x']",
             "['a','b']", "/x.*/", "/A/i", "'1.0'", "[]", "{'a':1}", "''"]
        )  # fmt: skip

    def relative() -> str:
        n = r.choice(NAMES)
        return r.choice(
            ["@", f"@.{n}", f"@.{n}.{r.choice(NAMES)}", f"@.{n}[0]", f"@['{n}']",
             f"@.{n}.length()", f"$.{n}", f"@.{n}[*]", f"@..{n}", "@[0]"]
        )  # fmt: skip

    def condition(depth: int = 0) -> str:
        x = r.random()
        if depth < 2 and x < 0.15:
            return condition(depth + 1) + r.choice([" && ", " || "]) + condition(depth + 1)
        if depth < 2 and x < 0.22:
            return "!(" + condition(depth + 1) + ")"
        if x < 0.4:
            return r.choice(["", "!"]) + relative()
        op = r.choice(
            ["==", "!=", "<", "<=", ">", ">=", "=~", "in", "nin", "size", "empty", "contains",
             "anyof", "subsetof", "noneof", "===", "!=="]
        )  # fmt: skip
        return f"{relative()} {op} {literal() if r.random() < 0.85 else relative()}"

    def segment() -> str:
        n = r.choice(NAMES)
        return r.choice(
            [f".{n}", f".{n}", f"..{n}", "[0]", "[1]", "[-1]", "[1:3]", "[-2:]", "[:2]", "[*]",
             ".*", f"['{n}']", f"['{n}','{r.choice(NAMES)}']", "[0,1]", "..[0]", "..*",
             f"[?({condition()})]", f"..[?({condition()})]", "[-3:1]"]
        )  # fmt: skip

    def value(depth: int = 0) -> Any:
        x = r.random()
        if depth < 4 and x < 0.3:
            return {k: value(depth + 1) for k in r.sample(NAMES, r.randint(0, 4))}
        if depth < 4 and x < 0.5:
            return [value(depth + 1) for _ in range(r.randint(0, 4))]
        return r.choice([1, 0, -1, 2, 1.5, 1.0, "x", "1", "a", "A", "", "1.0", True, False, None])

    cases = []
    for _ in range(count):
        text = r.choice(["$", "$", "@", "", "."]) + "".join(
            segment() for _ in range(r.randint(0, 4))
        )
        if r.random() < 0.15:
            text += r.choice([".length()", ".size()", ".sum()", ".keys()", ".min()", ".avg()"])
        cases.append((text, value()))
    return cases


@pytest.mark.slow
def test_golden_file_matches_jayway(jayway: Any) -> None:
    golden = json.loads((CASES / "jayway.json").read_text("utf-8"))
    cases = [(c["path"], golden["documents"][c["doc"]]) for c in golden["cases"]]
    problems = []
    for (text, document), oracle in zip(cases, jayway(cases), strict=True):
        problem = _disagreement(text, document, oracle)
        if problem:
            problems.append(f"{text!r}: {problem}")
    assert not problems, "\n".join(problems[:20])


@pytest.mark.slow
def test_random_paths_match_jayway(jayway: Any) -> None:
    cases = _random_cases(seed=20240601, count=1500)
    problems = []
    for (text, document), oracle in zip(cases, jayway(cases), strict=True):
        problem = _disagreement(text, document, oracle)
        if problem:
            problems.append(f"{text!r} on {json.dumps(document)[:80]}: {problem}")
    assert not problems, "\n".join(problems[:20])
