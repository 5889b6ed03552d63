"""Developer tasks: `nox -s fmt lint typecheck test bench`."""

from __future__ import annotations

import nox

nox.options.sessions = ["lint", "typecheck", "test"]
nox.options.reuse_existing_virtualenvs = True


@nox.session
def fmt(session: nox.Session) -> None:
    """Format the code."""
    session.install("ruff")
    session.run("ruff", "format", "src", "tests", "bench", "noxfile.py")
    session.run("ruff", "check", "--fix", "src", "tests", "bench", "noxfile.py")


@nox.session
def lint(session: nox.Session) -> None:
    """Lint without changing anything."""
    session.install("ruff")
    session.run("ruff", "check", "src", "tests", "bench", "noxfile.py")
    session.run("ruff", "format", "--check", "src", "tests", "bench", "noxfile.py")


@nox.session
def typecheck(session: nox.Session) -> None:
    """Strict mypy on the package."""
    session.install("-e", ".[dev]")
    session.run("mypy")


@nox.session
def test(session: nox.Session) -> None:
    """The whole test suite, as CI runs it."""
    session.install("-e", ".[dev]")
    session.run("pytest", "-n", "2", "-q", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """Every benchmark in bench/; each prints its figures."""
    session.install("-e", ".[dev]")
    for script in sorted(__import__("pathlib").Path("bench").glob("bench_*.py")):
        session.run("python", str(script), *session.posargs)
