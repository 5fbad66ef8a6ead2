"""Case- and accent-insensitive text, the one way clientcore compares text by default.

>>> fold("Café ÉLAN"), fold("Straße")
('cafe elan', 'strasse')
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=65536)
def fold_slow(text: str) -> str:
    """The folded form of any text: accents removed (NFKD), then case-folded."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def fold(text: str) -> str:
    """Case- and accent-insensitive form of ``text`` (ASCII takes a fast path)."""
    return text.lower() if text.isascii() else fold_slow(text)


def fold_labels(labels: frozenset[str]) -> frozenset[str]:
    """The folded labels; the same object when folding changes nothing (most sets)."""
    for label in labels:
        if not ((label.isascii() and label.islower()) or label == fold(label)):
            return frozenset(fold(v) for v in labels)
    return labels


# OWASP's CSV-injection rule: a cell starting with one of these is a formula to a
# spreadsheet. A number (``-12``, ``-1,5``) is kept as it is.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    body = text[1:] if text[:1] in "+-" else text
    digits = body.replace(",", "", 1) if "," in body else body.replace(".", "", 1)
    return digits.isdigit() and text[:1] != "+"


def formula_safe(text: str) -> str:
    """``text`` as a spreadsheet cell that cannot run: a leading ``'`` (Excel's text
    marker) when it starts with ``=``, ``+``, ``-``, ``@``, TAB or CR and is no negative
    number; :func:`formula_unguarded` reads it back.

    >>> formula_safe("=HYPERLINK(1)"), formula_safe("-12,5"), formula_safe("Peeters")
    ("'=HYPERLINK(1)", '-12,5', 'Peeters')
    """
    bare = text.lstrip("'")
    if bare[:1] in _FORMULA_STARTS and bare and not _is_number(bare):
        return "'" + text
    return text


def formula_unguarded(text: str) -> str:
    """The text :func:`formula_safe` was given (one guarding ``'`` removed)."""
    if text[:1] == "'":
        bare = text.lstrip("'")
        if bare[:1] in _FORMULA_STARTS and bare and not _is_number(bare):
            return text[1:]
    return text
