"""Names of a package that load their module on first use, so importing it stays cheap.

A package lists ``{name: module}`` and gets a module-level ``__getattr__`` and
``__dir__`` (PEP 562): the module is imported when one of its names is first read, and
the name is then stored in the package, so later reads cost nothing.

>>> getattr_, dir_ = lazy_exports("demo", {"dumps": "json"}, {})
>>> getattr_("dumps").__name__
'dumps'
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, MutableMapping
from typing import Any


def lazy_exports(
    package: str, exports: Mapping[str, str], namespace: MutableMapping[str, Any]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package`` whose ``exports`` load lazily.

    ``namespace`` is the package's ``globals()``: a name, once loaded, is stored there.
    """

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(exports))

    return __getattr__, __dir__
