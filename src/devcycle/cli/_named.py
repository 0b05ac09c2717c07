"""Problems of a record built from command-line options, placed at those options.

A domain record checks its own fields and names them as paths (``$.title``); on the command
line the person typed options (``--title``) and arguments (``MILESTONE``), so every command
that builds a record from options names the problems by them::

    with named_by({"$.id": "MILESTONE", "$.title": "--title"}):
        milestone = Milestone(id=milestone_id, title=title, ...)
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping

from devcycle.errors import Problem, ValidationError

__all__ = ["as_option", "named_by"]


def as_option(problem: Problem, options: Mapping[str, str]) -> Problem:
    """*problem* of a record built from options, placed at the option that gave the field."""
    option = options.get(problem.path)
    if option is None:
        return problem
    message = problem.message
    for path, name in options.items():  # the fields it names, by their options too
        message = message.replace(f"'{path.removeprefix('$.')}'", name)
    return Problem(message, option, value=problem.value, expected=problem.expected)


@contextlib.contextmanager
def named_by(options: Mapping[str, str]) -> Iterator[None]:
    """Place the problems of a record built from options at the options that gave them."""
    try:
        yield
    except ValidationError as exc:
        problems = [as_option(p, options) for p in exc.problems]
        raise ValidationError(problems, source=exc.source) from None
