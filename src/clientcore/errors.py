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
from clientcore._messages import LANGS, known_codes, render, templates

__all__ = [
    "LANGS",
    "ClientCoreError",
    "ConflictError",
    "FilterError",
    "Issue",
    "NotFound",
    "PermissionDenied",
    "TransitionDenied",
    "UnknownField",
    "ValidationError",
    "known_codes",
    "render",
    "templates",
]
