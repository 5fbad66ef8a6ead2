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
