"""The error hierarchy and issues, public home of what :mod:`clientcore._errors` defines.

>>> from clientcore.errors import ValidationError, ClientCoreError
>>> issubclass(ValidationError, ClientCoreError)
True
"""

import importlib

from clientcore._errors import (
    ClientCoreError,
    ConflictError,
    FilterError,
    Issue,
    NotFound,
    PermissionDenied,
    TransitionDenied,
    UnknownField,
    ValidationError,
)
from clientcore._limits import DEFAULT_LIMITS, PLAN_LIMITS, Limits, check_input
from clientcore._messages import LANGS, render, templates
from clientcore._messages import known_codes as _defined_codes

# The modules that define message codes when they are imported. ``import clientcore``
# loads its subpackages only on first use, so the full catalogue loads them first.
_CODE_OWNERS = (
    "clientcore.model",
    "clientcore.query",
    "clientcore.status",
    "clientcore.bulk",
    "clientcore.completeness",
    "clientcore.sample",
)


def known_codes() -> frozenset[str]:
    """Every issue and reason code clientcore can report, each with en/nl/fr messages.

    >>> "party.name.blank" in known_codes()
    True
    """
    for module in _CODE_OWNERS:
        importlib.import_module(module)
    return _defined_codes()


__all__ = [
    "DEFAULT_LIMITS",
    "LANGS",
    "PLAN_LIMITS",
    "ClientCoreError",
    "ConflictError",
    "FilterError",
    "Issue",
    "Limits",
    "NotFound",
    "PermissionDenied",
    "TransitionDenied",
    "UnknownField",
    "ValidationError",
    "check_input",
    "known_codes",
    "render",
    "templates",
]
