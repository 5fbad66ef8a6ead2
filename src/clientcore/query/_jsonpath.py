"""JSON paths and type names for error messages of the filter readers.

>>> json_key("$", "name"), json_key("$", "address.city")
('$.name', '$["address.city"]')
>>> json_type(None), json_type([1]), json_type(2.5)
('null', 'array', 'number')
"""

from __future__ import annotations

import json
import re
from typing import Any, Final

_IDENT: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_NAMES: Final[dict[type, str]] = {
    bool: "boolean",
    int: "number",
    float: "number",
    str: "text",
    list: "array",
    dict: "object",
}


def json_key(where: str, key: str, limit: int = 80) -> str:
    """``where`` followed by ``key``: ``$.name``, or ``$["address.city"]`` when quoting is due."""
    if _IDENT.match(key):
        return f"{where}.{key}"
    return f"{where}[{json.dumps(key[:limit], ensure_ascii=False)}]"


def json_type(value: Any) -> str:
    """The JSON name of a value's type, for messages."""
    if value is None:
        return "null"
    return _NAMES.get(type(value), type(value).__name__)
