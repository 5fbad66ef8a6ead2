"""Where tabular data enters and leaves clientcore: CSV, XLSX, JSON, DataFrames.

:func:`read` recognises columns by field path, en/nl/fr label or synonym (or as an
import :class:`Profile` or ``columns`` say), detects the encoding and delimiter, reads
values with the model's one vocabulary, and reports all of it in a :class:`Reading`.
The writers (:func:`write_csv`, :func:`write_xlsx`, :func:`write_table`,
:func:`write_sheets`) are formula-safe; :func:`to_frame` gives a DataFrame.

>>> from clientcore.io import read
>>> table = read("Naam,Soort,BTW-nummer,Btw-plichtig,Klant sinds\\n"
...              "Peeters BV,Klant-Bedrijf,BE 0403.170.701,ja,31/01/2020\\n")
>>> party = next(iter(table)).party
>>> party.name, party.kind.value, party.vat_liable, party.client_since.isoformat()
('Peeters BV', 'client_company', True, '2020-01-31')
>>> [(c.source, c.path, c.how) for c in table.reading.columns][2]
('BTW-nummer', 'vat_number', 'label')
"""

from clientcore.io._headers import (
    AMBIGUOUS,
    SYNONYMS,
    ColumnMatch,
    HeaderMapping,
    How,
    map_header,
)
from clientcore.io._profile import (
    EXACT_ONLINE,
    GENERIC,
    PROFILES,
    KindRule,
    Profile,
    load_profile,
)
from clientcore.io._read import (
    MissingExtra,
    Prepare,
    Progress,
    Reading,
    Table,
    decode,
    parse_map,
    read,
    sniff_delimiter,
)
from clientcore.io._write import to_frame, write_csv, write_table, write_xlsx
from clientcore.io._write_xlsx import write_sheets

__all__ = [
    "AMBIGUOUS",
    "EXACT_ONLINE",
    "GENERIC",
    "PROFILES",
    "SYNONYMS",
    "ColumnMatch",
    "HeaderMapping",
    "How",
    "KindRule",
    "MissingExtra",
    "Prepare",
    "Profile",
    "Progress",
    "Reading",
    "Table",
    "decode",
    "load_profile",
    "map_header",
    "parse_map",
    "read",
    "sniff_delimiter",
    "to_frame",
    "write_csv",
    "write_sheets",
    "write_table",
    "write_xlsx",
]
