"""Your own module of derivations, for the command line: ``python -m derivations --module M``.

``M`` is an importable module name (the current folder is searched first, as ``python -m``
does) or the path of a ``.py`` file. It defines ``derivations()``, returning a list of
``Derivation`` objects; optionally ``TITLE`` (the document's title), ``SUBTITLE``,
``sections()`` (``derivations.document.Part`` objects) and ``figures()``
(``numeric.figures.FigureSpec`` objects), which ``build`` passes to
:func:`derivations.publish`.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import traceback
from functools import cache
from pathlib import Path
from types import ModuleType

from derivations.engine import Derivation
from derivations.publishing import PublishError, checked

__all__ = ["UserModuleError", "derivations_of", "load", "resolve"]


class UserModuleError(PublishError):
    """A module given with ``--module`` cannot be used: missing, broken, or no derivations()."""


@cache
def load(module: str) -> ModuleType:
    """Import ``module`` (a module name or a ``.py`` path); UserModuleError if it cannot be.

    >>> load("no_such_module_here")
    Traceback (most recent call last):
    ...
    derivations.user.UserModuleError: no module named 'no_such_module_here' (give an importable ...
    """
    if module.endswith(".py") or os.sep in module:
        return _load_file(Path(module))
    if os.getcwd() not in sys.path and "" not in sys.path:
        sys.path.insert(0, os.getcwd())  # as `python -m` does; the console script does not
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as error:
        if error.name is not None and module.startswith(error.name):
            raise UserModuleError(
                f"no module named {module!r} (give an importable module or a .py file)"
            ) from None
        raise UserModuleError(_failure(module, error)) from None
    except Exception as error:  # the module's own code failed: one line, with where
        raise UserModuleError(_failure(module, error)) from None


def _load_file(path: Path) -> ModuleType:
    if not path.is_file():
        raise UserModuleError(f"no such file: {path}")
    name = path.stem
    if not name.isidentifier() or name in sys.modules:  # never replace a loaded module
        name = f"user_derivations_{len(sys.modules)}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise UserModuleError(f"cannot import {path}: not a Python file")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses and pickling look the module up by name
    try:
        spec.loader.exec_module(module)
    except Exception as error:
        del sys.modules[name]
        raise UserModuleError(_failure(str(path), error)) from None
    return module


def _failure(module: str, error: Exception) -> str:
    frames = traceback.extract_tb(error.__traceback__)
    where = f" ({frames[-1].filename}, line {frames[-1].lineno})" if frames else ""
    return f"cannot import {module}: {type(error).__name__}: {error}{where}"


@cache
def derivations_of(module: str) -> dict[str, Derivation]:
    """The derivations of ``module``'s ``derivations()``, by slug, in its order."""
    loaded = load(module)
    function = getattr(loaded, "derivations", None)
    if not callable(function):
        raise UserModuleError(f"module {module!r} has no derivations() function")
    items = checked(function(), f"{module}.derivations()")
    return {d.slug: d for d in items}


def resolve(slug: str, module: str | None = None) -> Derivation:
    """The derivation ``slug``: the module's (when given), else the built-in catalog's.

    KeyError naming the known slugs when neither has it, as ``derivations.get``.

    >>> resolve("sigmoid-derivative").slug
    'sigmoid-derivative'
    """
    from derivations.catalog import get

    if module is None:
        return get(slug)
    own = derivations_of(module)
    if slug in own:
        return own[slug]
    try:
        return get(slug)
    except KeyError:
        raise KeyError(
            f"no derivation {slug!r} in {module} ({', '.join(own)}) or in the catalog"
        ) from None
