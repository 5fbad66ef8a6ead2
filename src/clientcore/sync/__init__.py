"""Re-import from another CRM: a linear-time diff, then a previewed, atomic, undoable plan.

:func:`diff` sorts an import against the registry into ``new``, ``only_ours``,
``duplicates`` (with a :class:`FieldDiff` per field), ``conflicts``, ``probable`` and
``invalid``; :meth:`SyncDiff.plan` turns the user's choices into a :class:`SyncPlan`
(creations, overwrites, engagements ended through the status machine) with ``preview``,
``apply`` in one transaction and an ``undo`` plan.

>>> from clientcore.model import Party
>>> from clientcore.sync import diff
>>> d = diff([Party(id="p1", kind="client_person", name="An", national_number="85073003328")],
...          [Party(id="x1", kind="client_person", name="An", national_number="85.07.30-033.28")])
>>> d.counts()["duplicates"], d.duplicates[0].key
(1, 'national_number')
"""

from clientcore.sync._diff import (
    BUCKETS,
    COMPARED,
    Conflict,
    FieldDiff,
    FieldState,
    Hit,
    Invalid,
    Match,
    New,
    Probable,
    Record,
    SyncDiff,
    compare,
    diff,
    incoming_records,
)
from clientcore.sync._keys import (
    DEFAULT_KEYS,
    GERMAN_POSTAL_CODES,
    KEY_FIELDS,
    LEGAL_FORM_WORDS,
    POSTAL_REGIONS,
    compact_key,
    language_of,
    language_of_postal_code,
    match_name,
)
from clientcore.sync._plan import (
    DEFAULTABLE,
    OVERWRITABLE,
    Overwrite,
    OverwriteFields,
    Removal,
    SyncEditPolicy,
    SyncEvent,
    SyncPlan,
    SyncPreview,
    SyncReceipt,
    SyncRejected,
)

__all__ = [
    "BUCKETS",
    "COMPARED",
    "DEFAULTABLE",
    "DEFAULT_KEYS",
    "GERMAN_POSTAL_CODES",
    "KEY_FIELDS",
    "LEGAL_FORM_WORDS",
    "OVERWRITABLE",
    "POSTAL_REGIONS",
    "Conflict",
    "FieldDiff",
    "FieldState",
    "Hit",
    "Invalid",
    "Match",
    "New",
    "Overwrite",
    "OverwriteFields",
    "Probable",
    "Record",
    "Removal",
    "SyncDiff",
    "SyncEditPolicy",
    "SyncEvent",
    "SyncPlan",
    "SyncPreview",
    "SyncReceipt",
    "SyncRejected",
    "compact_key",
    "compare",
    "diff",
    "incoming_records",
    "language_of",
    "language_of_postal_code",
    "match_name",
]
