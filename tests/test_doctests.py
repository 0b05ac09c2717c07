"""Every example in a docstring (``>>>``) runs and shows what it says, in every module."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import devcycle

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(devcycle.__path__, prefix="devcycle.")
    if info.name != "devcycle.__main__"  # runs the command line when imported
)


@pytest.mark.parametrize("name", MODULES)
def test_the_docstring_examples_of_each_module_hold(name: str) -> None:
    module = importlib.import_module(name)

    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False, report=True)

    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"


def test_the_doctest_runner_finds_modules_with_examples() -> None:
    with_examples = [
        name
        for name in MODULES
        if doctest.DocTestFinder().find(importlib.import_module(name))
        and any(t.examples for t in doctest.DocTestFinder().find(importlib.import_module(name)))
    ]
    assert "devcycle.sync" in with_examples
    assert "devcycle.interop.case" in with_examples
