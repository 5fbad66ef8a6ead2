"""The error hierarchy and issues, public home of what :mod:`clientcore._errors` defines.

>>> from clientcore.errors import ValidationError, ClientCoreError
>>> issubclass(ValidationError, ClientCoreError)
True
"""

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
from clientcore._messages import LANGS, known_codes, render, templates

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
