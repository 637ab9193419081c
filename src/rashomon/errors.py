"""Typed exceptions whose messages say what happened, the likely cause and the fix."""

from __future__ import annotations


class RashomonError(Exception):
    """Base of every error rashomon raises on purpose; its message is for a person."""

    exit_code = 1


class UsageError(RashomonError):
    """The call itself is wrong: a missing path, an unknown format, a bad option."""

    exit_code = 2


class InputError(RashomonError):
    """One source could not be read as an article (empty, binary, unreadable)."""

    def __init__(self, source: str, problem: str, fix: str) -> None:
        self.source = source
        self.problem = problem
        self.fix = fix
        super().__init__(f"{source}: {problem}; {fix}")


class NoArticlesError(RashomonError):
    """Nothing usable was left to compare."""


class ModelError(RashomonError):
    """A bundled model is missing or does not match its pinned checksum."""
