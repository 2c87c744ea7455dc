"""The Examples in docstrings are run, so they stay true."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import govmap

MODULES = sorted(
    m.name for m in pkgutil.walk_packages(govmap.__path__, "govmap.")
    if not m.name.startswith("govmap.api.main")  # importing it builds the app; no doctests there
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
