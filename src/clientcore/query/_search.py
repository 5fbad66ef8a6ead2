"""Quick search: find parties by name or by any identifier, typed in any format.

A :class:`SearchIndex` is built once over parties (or mappings with the same field
paths) and answers the grid's search box in well under a millisecond on 100,000 clients:
identifiers first (``BE 0403.170.701``, ``+32 2 123 45 67``, an IBAN with spaces, a
client number), then names by prefix, then names that merely contain the text.

>>> from clientcore import Party
>>> index = SearchIndex([
...     Party(id="p1", kind="client_company", name="Bakkerij Peeters BV",
...           enterprise_number="0403170701"),
...     Party(id="p2", kind="client_person", name="Ann Bakker"),
...     Party(id="p3", kind="client_person", name="Jan Debakker"),
... ])
>>> [(h.record.id, h.kind.value, h.matched) for h in index.search("BE 0403 170 701")]
[('p1', 'identifier', 'enterprise_number')]
>>> for hit in index.search("bak"):
...     print(hit.record.name, hit.kind.value)
Bakkerij Peeters BV name_prefix
Ann Bakker token_prefix
Jan Debakker contains
"""

from __future__ import annotations

import heapq
import re
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from enum import StrEnum
from itertools import accumulate, chain, compress, islice, repeat
from operator import attrgetter, contains, ne
from typing import Any, Final, Generic, TypeVar

import attrs

from clientcore._collector import collector_paused
from clientcore._errors import Issue, NotFound, ValidationError
from clientcore._messages import define
from clientcore._seen import StatusView, is_visible, viewer
from clientcore._text import fold
from clientcore.model import Actor, Schema, default_schema, path_reader, read_path
from clientcore.model import phone as _phone

__all__ = ["Hit", "MatchKind", "SearchIndex"]

define(
    {
        "search.limit.invalid": (
            "The number of results must be a whole number of at least 1, not {value}.",
            "Het aantal resultaten moet een geheel getal van minstens 1 zijn, niet {value}.",
            "Le nombre de résultats doit être un entier d'au moins 1, pas {value}.",
        ),
        "search.text.invalid": (
            "The search text must be text, not {type}.",
            "De zoektekst moet tekst zijn, geen {type}.",
            "Le texte recherché doit être du texte, pas {type}.",
        ),
        "search.id.missing": (
            "Record {position} has no id; every searchable record needs one.",
            "Record {position} heeft geen id; elk doorzoekbaar record heeft er een nodig.",
            "L'enregistrement {position} n'a pas d'id ; chaque enregistrement en a besoin.",
        ),
        "search.id.duplicate": (
            "Id '{id}' occurs more than once in the records to search.",
            "Id '{id}' komt meer dan eens voor in de te doorzoeken records.",
            "L'id '{id}' apparaît plus d'une fois dans les enregistrements à chercher.",
        ),
    }
)

R = TypeVar("R")

MAX_QUERY: Final = 256
"""Longer search text is cut to this many characters (a search box, not a document)."""

# Identifier fields whose exact value makes a hit; postal codes are left out on purpose:
# "9000" would otherwise rank every client in Ghent as an exact match.
_SKIPPED_IDENTIFIERS: Final = frozenset({"postal_code"})
_CLIENT_NUMBER: Final = "number"
# Rebuild the sorted structures once this many records were added since the last build;
# until then added records are scanned one by one, which is cheap while they are few.
_MAX_EXTRA: Final = 1024

_WORD = re.compile(r"\w+")
_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]+")
_NOT_DIGIT = re.compile(r"\D+")
_PHONE_LIKE = re.compile(r"^\+?[\d\s().\-/]+$")
_MIN_PHONE_DIGITS: Final = 6


class MatchKind(StrEnum):
    """How a hit matched, best first: see :attr:`rank`."""

    IDENTIFIER = "identifier"
    """An identifier (enterprise, VAT, national, BSN, KvK number, IBAN, e-mail, phone,
    eID card or client number) equals the query, whatever its format."""
    NAME_PREFIX = "name_prefix"
    """The whole name starts with the query (``"bakkerij pee"``)."""
    TOKEN_PREFIX = "token_prefix"
    """Every word of the query starts some word of the name (``"pee bak"``)."""
    CONTAINS = "contains"
    """The name contains the query text somewhere (``"akker"``)."""

    @property
    def rank(self) -> int:
        """0 for the best kind (identifier) to 3 for the weakest (contains)."""
        return _RANKS[self]


_RANKS: Final[Mapping[MatchKind, int]] = {kind: rank for rank, kind in enumerate(MatchKind)}


@attrs.frozen
class Hit(Generic[R]):
    """One search result: the ``record``, how it matched and which field matched."""

    record: R
    kind: MatchKind
    matched: str
    """The field path that matched: ``"name"`` or an identifier field (``"vat_number"``)."""

    @property
    def rank(self) -> int:
        """The rank of :attr:`kind` (0 is best); hits come sorted by it."""
        return self.kind.rank


def normalise_name(text: str) -> tuple[str, tuple[str, ...]]:
    """The folded name as words joined by one space, and those words.

    >>> normalise_name("  Café d'Élan &  Zonen BV")
    ('cafe d elan zonen bv', ('cafe', 'd', 'elan', 'zonen', 'bv'))
    """
    words = tuple(_WORD.findall(fold(text)))
    return " ".join(words), words


def query_keys(text: str) -> list[str]:
    """Every index key an identifier typed as ``text`` may be stored under, best first.

    Everything but letters and digits is dropped; a ``BE``/``NL`` prefix is tried with
    and without; bare digits are tried with those prefixes (and a 9-digit old enterprise
    number with its leading zero); a phone-like text is read as a Belgian and as a Dutch
    number.

    >>> query_keys("BE 0403.170.701")
    ['BE0403170701', '0403170701', 'NL0403170701']
    >>> query_keys("02 123 45 67")[-2:]
    ['+3221234567', '+3121234567']
    """
    stripped = text.strip()
    if "@" in stripped:
        return [stripped.casefold()]
    compact = _NOT_ALNUM.sub("", stripped).upper()
    if not compact:
        return []
    keys = [compact]
    digits = compact
    if compact[:2] in ("BE", "NL") and compact[2:].isdigit() and len(compact) > 2:
        digits = compact[2:]
        keys.append(digits)
    if digits.isdigit():
        if len(digits) == 9:
            keys.append("0" + digits)
            digits = "0" + digits
        keys.extend(("BE" + digits, "NL" + digits))
    if _PHONE_LIKE.match(stripped):
        keys.extend(_phone_keys(stripped))
    return list(dict.fromkeys(keys))


def _phone_keys(text: str) -> list[str]:
    digits = _NOT_DIGIT.sub("", text)
    if len(digits) < _MIN_PHONE_DIGITS:
        return []
    if text.startswith("+"):
        return ["+" + digits]
    if digits.startswith("00"):
        return ["+" + digits[2:]]
    out = []
    for region in ("BE", "NL"):
        key = _phone_key(text, region)
        if key is not None:
            out.append(key)
    return out


def _phone_key(text: str, region: str | None) -> str | None:
    try:
        return _phone.compact(text, region)
    except ValidationError:
        return None


def _stored_key(kind: str, stored: Any, record: Any) -> str | None:
    """The index key of a stored identifier value (string work; phones parsed if needed).

    A phone not in international form is read in the country of ``record``'s address.
    """
    if isinstance(stored, int) and not isinstance(stored, bool):
        stored = str(stored)  # a client number read from a spreadsheet as a number
    if not isinstance(stored, str):
        return None
    value = str.__str__(stored)
    if kind == "email":
        return value.strip().casefold() or None
    if kind == "phone":
        if value[1:].isdigit() and value[:1] == "+":  # already E.164: the usual case
            return value
        text = value.strip()
        digits = _NOT_DIGIT.sub("", text)
        if text.startswith("+"):
            return "+" + digits if digits else None
        if text.startswith("00"):
            return "+" + digits[2:] if len(digits) > 2 else None
        country = read_path(record, "address.country") if record is not None else None
        return _phone_key(text, country if isinstance(country, str) else None)
    if value.isascii() and value.isalnum():
        compact = value.upper()
    else:
        compact = _NOT_ALNUM.sub("", value).upper()
    if kind == "enterprise_number":
        if compact.startswith("BE"):
            compact = compact[2:]
        if len(compact) == 9 and compact.isdigit():
            compact = "0" + compact
    return compact or None


def _e164_lines(blob: str, count: int) -> bool:
    """Whether each of the ``count`` lines of ``blob`` is ``+`` and ASCII digits.

    Plain string methods (each a C loop at memory speed) instead of a regular
    expression, which reads a million phone numbers several times slower.
    """
    return (
        blob.startswith("+")
        and blob.count("+") == count
        and blob.count("\n+") == count - 1
        and "+\n" not in blob
        and not blob.endswith("+")
        and blob.isascii()
        and blob[1:].replace("\n+", "").isdigit()
    )


def _has_upper(blob: str) -> bool:
    """Whether ASCII ``blob`` has an upper-case letter (``lower`` would change it):
    ``islower`` is one pass in C that makes no new text."""
    return not blob.isascii() or not (blob.islower() or blob.lower() == blob)


def _no_edge_space(blob: str) -> bool:
    """Whether no line of ``blob`` (ASCII lines joined by line breaks) is blank or
    starts or ends with a space, so ``strip`` leaves each line as it is (string
    methods, each a C loop over the text)."""
    return (
        blob.isascii()
        and "\n\n" not in blob
        and not blob.startswith(_EDGES)
        and not blob.endswith(_EDGES)
        and not any(
            space in blob and ("\n" + space in blob or space + "\n" in blob)
            for space in _ASCII_SPACES
        )
    )


# What ``str.strip`` takes away on ASCII text, but the line break that joins the lines.
_ASCII_SPACES: Final = (" ", "\t", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f")
_EDGES: Final = ("\n", *_ASCII_SPACES)


def _column_keys(
    kind: str, values: Sequence[Any], present: Sequence[int], records: Sequence[Any]
) -> list[str | None]:
    """The index key of every value of one column (``present[i]`` is the record of
    ``values[i]``), as :func:`_stored_key` makes it.

    The usual column (texts already compact: E.164 phones, alphanumeric numbers, trimmed
    e-mail addresses) is joined into one text and changed with one call, which runs in
    C and reads each value once; any other column is done value by value.
    """
    try:
        blob = "\n".join(values)
    except TypeError:  # a number read from a spreadsheet: value by value
        blob = None
    if blob is not None and blob.count("\n") == len(values) - 1:
        # Plain texts (no subclass) already in their key form are their own keys: the
        # usual column of a party, whose identifiers are stored compact, makes no text.
        plain = set(map(type, values)) == {str}
        if kind == "phone" and _e164_lines(blob, len(values)):
            return list(values) if plain else blob.split("\n")  # type: ignore[return-value]
        if kind == "email":
            if plain and not _has_upper(blob) and _no_edge_space(blob):
                return list(values)
            folded = blob.lower() if blob.isascii() else blob.casefold()  # same on ASCII
            lines = folded.split("\n")
            # No value blank or with space at an edge: ``strip`` returns the very same
            # text then, so the comparison is one pass of identity checks.
            if all(lines) and list(map(str.strip, lines)) == lines:
                return lines  # type: ignore[return-value]
        elif kind != "phone" and blob.isascii() and blob.replace("\n", "").isalnum():
            upper = blob.upper()
            keys: list[str | None] = (
                list(values) if plain and upper == blob else list(upper.split("\n"))
            )
            if kind == "enterprise_number" and set(map(len, keys)) != {10}:  # type: ignore[arg-type]
                keys = [_stored_key(kind, k, None) for k in keys]
            return keys
    if kind == "phone":  # not in E.164: read in the country of the record's address
        return [_stored_key(kind, v, records[p]) for p, v in zip(present, values)]
    return [_stored_key(kind, v, None) for v in values]


def _identifier_fields(schema: Schema) -> tuple[tuple[str, str], ...]:
    """(field path, identifier kind) of every field a quick search matches exactly."""
    out = []
    for field in schema.top_level():
        if field.path == _CLIENT_NUMBER:
            out.append((field.path, _CLIENT_NUMBER))
        elif field.identifier is not None and field.identifier not in _SKIPPED_IDENTIFIERS:
            out.append((field.path, field.identifier))
    return tuple(out)


def _columns(records: Sequence[Any], paths: Sequence[str]) -> list[list[Any]]:
    """The values at ``paths`` of every record, one sequence per path.

    Parties are read with ``map(attrgetter(...))``, which runs in C: several times
    faster than a comprehension, and than reading all fields of a record at once.
    """
    if any(issubclass(t, Mapping) for t in set(map(type, records))):
        return [[read_path(r, p) for r in records] for p in paths]
    columns: list[list[Any]] = []
    for path in paths:
        head, _, rest = path.partition(".")
        try:
            values: list[Any] = list(map(attrgetter(head), records))
        except AttributeError:
            values = [getattr(r, head, None) for r in records]
        if rest:
            read = path_reader(rest)
            values = [None if v is None else read(v) for v in values]
        columns.append(values)
    return columns


def _names(raw: Sequence[Any]) -> list[str]:
    """Every name normalised as by :func:`normalise_name`, with one space in front.

    The leading space lets ``" " + word in name`` test "some word starts with word".
    Works on one text of all names, which is several times faster than name by name,
    and on each distinct name once: names repeat a lot in a registry.
    """
    try:
        distinct = list(dict.fromkeys(raw))
    except TypeError:  # a value that cannot be a dict key: name by name
        return _distinct_names(raw)
    if len(distinct) == len(raw):
        return _distinct_names(raw)
    table = dict(zip(distinct, _distinct_names(distinct)))
    return list(map(table.__getitem__, raw))


def _distinct_names(raw: Sequence[Any]) -> list[str]:
    """:func:`_names` of ``raw``, on one text of all of them."""
    texts = [fold(n) if isinstance(n, str) else "" for n in raw]
    blob = "\n".join(texts)
    if blob.count("\n") != max(len(texts) - 1, 0):  # a name with a line break of its own
        return [" " + normalise_name(t)[0] for t in texts]
    blob = _NOT_WORD_OR_LINE.sub(" ", blob)
    blob = _SPACE_AT_LINE_END.sub("\n", blob).strip(" ")
    return (" " + blob.replace("\n", "\n ")).split("\n") if texts else []


_NOT_WORD_OR_LINE = re.compile(r"[^\w\n]+")
_SPACE_AT_LINE_END = re.compile(r" ?\n ?")
# How many positions the merged postings of word prefixes may hold in all (about 8 MB).
_CACHE_BUDGET: Final = 1_000_000
# "Contains" gathers candidates through the words while they are at most this many
# (word, record) pairs, and over this many words; beyond, matches are common and a scan
# of every name finds the first ones soonest.
_DENSE: Final = 20_000
_MANY_WORDS: Final = 2_000


class _Entry:
    """A record added after the last build: scanned one by one until the next rebuild."""

    __slots__ = ("id", "keys", "name", "record")

    def __init__(self, record: Any, rid: str, name: str, keys: dict[str, str]) -> None:
        self.record = record
        self.id = rid
        self.name = name
        self.keys = keys

    @property
    def order(self) -> tuple[str, str]:
        return (self.name, self.id)


class _Base:
    """Sorted structures over a snapshot of records.

    A record has a *place* (its index in ``records``, the order it was given in) and a
    *position* in (name, id) order: :attr:`order` gives the place at each position.
    Records, ids and identifier keys are kept by place, so nothing is copied into
    the sorted order.

    Records sharing a normalised name sit side by side and form a *run*; the word
    postings, the text of all names and the "contains" search work on runs (one per
    distinct name), and a run found stands for all its positions. A registry where
    many parties share a name is searched as fast as one with those names once.
    """

    __slots__ = (
        "blob",
        "by_key",
        "cached_size",
        "cumulative",
        "fields",
        "group",
        "heads",
        "held",
        "ids",
        "later",
        "order",
        "postings",
        "prefix_cache",
        "records",
        "run_names",
        "runs",
        "starts",
        "vocabulary",
        "word_starts",
        "words",
    )

    def __init__(
        self,
        records: list[Any],
        ids: list[str],
        names: Sequence[str],
        identifiers: Sequence[tuple[str, str, Sequence[Any]]],
        places: Sequence[int],
    ) -> None:
        # ``places`` is ``range(len(records))`` as a list: every list of positions or
        # places below holds these very int objects instead of making new ones.
        count = len(ids)
        # Sort the distinct names, then the records by the place of their name (ints,
        # stable), then each run of equal names by id: the (name, id) order at the cost
        # of a sort of distinct texts and one of ints.
        self.run_names: list[str] = sorted(set(names))
        run_of = dict(zip(self.run_names, places))
        runs = list(map(run_of.__getitem__, names))
        order = sorted(places[:count], key=runs.__getitem__)
        sizes = Counter(runs)
        run_sizes = map(sizes.__getitem__, places[: len(self.run_names)])
        self.heads: array[int] = array("q", accumulate(run_sizes, initial=0))
        if len(self.run_names) < count:
            _order_runs_by_id(order, self.heads, sizes, ids)
        self.order: array[int] = array("q", order)
        self.runs: array[int] = array("q", runs)  # the run of each place
        self.ids = ids
        self.records = records
        self._identifier_keys(identifiers, records, places)
        self.vocabulary, self.postings = _postings(self.run_names)
        self.cumulative = array("q", accumulate(map(len, self.postings), initial=0))
        self.prefix_cache: dict[str, array[int]] = {}
        self.cached_size = 0
        # One text of every distinct name, so a common "contains" runs at the speed of
        # str.find; one text of every distinct word, so a rare one finds its words first.
        self.blob = "\n".join(self.run_names)
        self.starts = array("q", _starts(self.run_names))
        self.words = "\n" + "\n".join(self.vocabulary) + "\n"
        self.word_starts = array("q", _starts(self.vocabulary, 1))

    def _identifier_keys(
        self,
        identifiers: Sequence[tuple[str, str, Sequence[Any]]],
        records: Sequence[Any],
        places: Sequence[int],
    ) -> None:
        """Fill :attr:`by_key`: per identifier field, a dict from key to the first
        entry holding it.

        ``identifiers`` holds (path, kind, values in the order of ``records``). An
        entry is a record with a key in the field: :attr:`held` gives its place. When several
        records share a key, the entries after the first are kept in :attr:`later`,
        grouped by the first entry of their key (:attr:`group`, ascending), so one
        bisection finds every holder. Every step is one C-level pass over a column (the
        keys of a whole column are made on one joined text, and a stored value already
        in its key form is its own key) or a sort of the shared entries only, so the
        build grows linearly with the records. Entries are kept in arrays of machine
        integers: no objects for the garbage collector to walk.
        """
        self.fields = [path for path, _, _ in identifiers]
        self.by_key: list[dict[str, int]] = []
        self.held: list[array[int]] = []
        self.later: list[array[int]] = []
        self.group: list[array[int]] = []
        for _, kind, column in identifiers:
            # Most fields are sparse: keep the records that have a value (C-level
            # compress), so every later step works on values only.
            present = list(compress(places, column))
            values = list(compress(column, column))
            made = _column_keys(kind, values, present, records)
            held = present
            keys: list[str] = made  # type: ignore[assignment]
            if None in made:
                held = list(compress(present, made))
                keys = list(filter(None, made))
            # One pass in C: ``first`` takes each key to its first entry (an index into
            # ``held``) and ``firsts`` gets, per entry, the first entry of its key.
            entries = places[: len(keys)]
            first: dict[str, int] = {}
            firsts = list(map(first.setdefault, keys, entries))
            later: list[int] = []
            if len(first) != len(keys):  # some key is shared
                later = list(compress(entries, map(ne, firsts, entries)))
                later.sort(key=firsts.__getitem__)  # stable: ascending in each group
            self.by_key.append(first)
            self.held.append(array("q", held))
            self.later.append(array("q", later))
            self.group.append(array("q", map(firsts.__getitem__, later)))

    def with_key(self, key: str) -> Iterator[tuple[int, str]]:
        """(place, field path) of every record holding identifier ``key``."""
        for path, by_key, held, later, group in zip(
            self.fields, self.by_key, self.held, self.later, self.group
        ):
            entry = by_key.get(key)
            if entry is not None:
                yield held[entry], path
                if group:
                    lo = bisect_left(group, entry)
                    for shared in later[lo : bisect_right(group, entry, lo)]:
                        yield held[shared], path

    def word_count(self, prefix: str) -> int:
        """How many (word, run) pairs a query word matches: its selectivity."""
        lo, hi = self._range(prefix)
        return self.cumulative[hi] - self.cumulative[lo]

    def with_word(self, prefix: str) -> array[int]:
        """Runs with a word starting with ``prefix``, ascending, once each."""
        lo, hi = self._range(prefix)
        if hi - lo == 1:
            return self.postings[lo]
        # Several words share the prefix: merge their postings once (in C) and keep the
        # result while the cache stays under its budget, oldest out first.
        cached = self.prefix_cache.get(prefix)
        if cached is None:
            cached = array("q", sorted(set(chain.from_iterable(self.postings[lo:hi]))))
            self.prefix_cache[prefix] = cached
            self.cached_size += len(cached)
            while self.cached_size > _CACHE_BUDGET and len(self.prefix_cache) > 1:
                oldest = next(iter(self.prefix_cache))
                self.cached_size -= len(self.prefix_cache.pop(oldest))
        return cached

    def merged(self, prefix: str) -> Iterator[int]:
        """As :meth:`with_word`, one run at a time and nothing kept."""
        lo, hi = self._range(prefix)
        if hi - lo == 1:
            return iter(self.postings[lo])
        return _once(heapq.merge(*self.postings[lo:hi]))

    def _range(self, prefix: str) -> tuple[int, int]:
        lo = bisect_left(self.vocabulary, prefix)
        hi = bisect_right(self.vocabulary, prefix + "\U0010ffff", lo)
        return lo, hi

    def name_range(self, prefix: str) -> tuple[int, int]:
        """Positions ``[lo, hi)`` of the names starting with ``prefix`` (with its space)."""
        first = bisect_left(self.run_names, prefix)
        end = bisect_right(self.run_names, prefix + "\U0010ffff", first)
        return self.heads[first], self.heads[end]

    def name(self, place: int) -> str:
        """The normalised name of the record at ``place``."""
        return self.run_names[self.runs[place]]

    def names(self) -> list[str]:
        """The normalised name at every position (for checks; a query never needs it)."""
        heads, run_names = self.heads, self.run_names
        return [
            run_names[run]
            for run in range(len(run_names))
            for _ in range(heads[run], heads[run + 1])
        ]

    def run_range(self, lo: int, hi: int) -> tuple[int, int]:
        """Runs ``[first, end)`` whose positions lie in ``[lo, hi)`` (whole runs only:
        a name range never cuts a run)."""
        return bisect_left(self.heads, lo), bisect_left(self.heads, hi)

    def positions(self, runs: Iterable[int]) -> Iterator[int]:
        """The positions of ``runs`` (ascending runs give ascending positions)."""
        heads = self.heads
        for run in runs:
            yield from range(heads[run], heads[run + 1])

    def containing(self, text: str) -> Iterator[int]:
        """Positions of names containing ``text`` (a normalised query), ascending, once each.

        Every piece of ``text`` between spaces lies inside one word of a matching name
        (the first ends a word, the last starts one, those between are whole words), so
        the runs holding the piece's rarest reading are the candidates, their names
        checked in C a batch at a time. When even the rarest is common, matches are
        dense and one pass of ``str.find`` over every distinct name finds the first ones
        soonest.
        """
        # A generator: nothing is gathered until a query has fewer hits than asked for
        # after the stronger kinds, which most queries never reach.
        candidates = self._candidates(text.split(" "))
        if candidates is None:
            yield from self.positions(self._scan(text))
        else:
            yield from self.positions(_having(iter(candidates), (text,), self.run_names))

    def _candidates(self, pieces: Sequence[str]) -> Sequence[int] | None:
        """The runs whose words hold the rarest piece, ascending; ``None`` when they
        are too many to gather (then scanning is faster)."""
        best: Sequence[int] | None = None
        found: Sequence[int] | None
        best_count = _DENSE + 1
        last = len(pieces) - 1
        for at, piece in enumerate(pieces):
            if last == 0:
                found = self._words_holding(piece, "", "")
            elif at == 0:
                found = self._words_holding(piece, "", "\n")  # ends a word
            elif at == last:
                found = range(*self._range(piece))  # starts a word
            else:
                lo, hi = self._range(piece)  # a whole word
                found = [lo] if lo < hi and self.vocabulary[lo] == piece else []
            if found is None:
                continue
            cumulative = self.cumulative
            if isinstance(found, range):
                count = cumulative[found.stop] - cumulative[found.start]
            else:
                count = sum(cumulative[w + 1] - cumulative[w] for w in found)
            if count < best_count:
                best_count = count
                best = found
                if count == 0:
                    return []
        if best is None:
            return None
        if len(best) == 1:
            return self.postings[best[0]]
        return sorted(set(chain.from_iterable(self.postings[w] for w in best)))

    def _words_holding(self, piece: str, before: str, after: str) -> list[int] | None:
        """The vocabulary indexes of the words holding ``piece`` (at their end when
        ``after`` is a line break); ``None`` when more than :data:`_MANY_WORDS` do."""
        words, starts = self.words, self.word_starts
        needle = before + piece + after
        if words.count(needle) > _MANY_WORDS:
            return None
        out: list[int] = []
        at = words.find(needle)
        while at >= 0:
            index = bisect_right(starts, at) - 1
            out.append(index)
            if index + 1 >= len(starts):
                break
            at = words.find(needle, starts[index + 1])
        return out

    def _scan(self, text: str) -> Iterator[int]:
        """Runs whose name contains ``text``: one pass of ``str.find`` over all."""
        blob, starts = self.blob, self.starts
        last = len(starts) - 1
        at = blob.find(text)
        while at >= 0:
            # ``text`` holds no line break, so a match never spans two names.
            run = bisect_right(starts, at) - 1
            yield run
            if run >= last:
                return
            at = blob.find(text, starts[run + 1])


def _order_runs_by_id(
    order: list[int], heads: Sequence[int], sizes: Mapping[int, int], ids: Sequence[str]
) -> None:
    """Sort each run of ``order`` (records sharing a name) by id, in place.

    Only runs of more than one record are visited, each sorted in C.
    """
    multiple = [run for run, size in sizes.items() if size > 1]
    for run in multiple:
        lo, hi = heads[run], heads[run + 1]
        order[lo:hi] = sorted(order[lo:hi], key=ids.__getitem__)


def _postings(names: Sequence[str]) -> tuple[list[str], list[array[int]]]:
    """Every word of the distinct ``names`` and, per word, the indexes of the names
    holding it (ascending, once each, in an array of machine integers)."""
    by_word: dict[str, list[int]] = {}
    for run, name in enumerate(names):
        for word in name.split():
            posting = by_word.get(word)
            if posting is None:
                by_word[word] = [run]
            elif posting[-1] != run:
                posting.append(run)
    vocabulary = sorted(by_word)
    return vocabulary, [array("q", by_word[word]) for word in vocabulary]


def _starts(texts: Sequence[str], first: int = 0) -> list[int]:
    """Where each text begins in ``"\\n".join(texts)`` (offset by ``first``)."""
    starts = list(accumulate(map((1).__add__, map(len, texts)), initial=first))
    starts.pop()
    return starts


def _record_id(record: Any, position: int) -> str:
    rid = read_path(record, "id")
    if not isinstance(rid, str) or not rid:
        raise ValidationError([Issue("search.id.missing", "id", {"position": position})])
    return rid


class SearchIndex(Generic[R]):
    """A quick-search index over parties or mappings with the same field paths.

    Built in well under a second for 100,000 records; :meth:`search` answers in well under a
    millisecond for most queries. :meth:`add` and :meth:`remove` keep it current.
    Every record needs a unique, non-empty ``id``; ``name`` may be blank.
    """

    def __init__(self, records: Iterable[R] = (), schema: Schema | None = None) -> None:
        self._fields = _identifier_fields(schema or default_schema())
        with collector_paused():
            self._build(list(records))

    def _build(self, records: list[Any]) -> None:
        paths = ["id", "name", *(path for path, _ in self._fields)]
        ids, raw_names, *values = _columns(records, paths)
        places = list(range(len(records) + 1))
        problems = []
        if set(map(type, ids)) - {str} or not all(ids):
            problems = [
                Issue("search.id.missing", "id", {"position": i})
                for i, rid in enumerate(ids)
                if not isinstance(rid, str) or not rid
            ]
        if problems:
            raise ValidationError(problems)
        # Id to the record's place in ``records``; a shorter dict means a repeated id.
        self._place: dict[str, int] = dict(zip(ids, places))
        if len(self._place) != len(ids):
            raise ValidationError(
                [
                    Issue("search.id.duplicate", "id", {"id": rid})
                    for rid, n in Counter(ids).items()
                    if n > 1
                ]
            )
        identifiers = [(p, k, v) for (p, k), v in zip(self._fields, values)]
        self._base = _Base(records, ids, _names(raw_names), identifiers, places)
        self._removed: set[int] = set()
        self._extra: dict[str, _Entry] = {}

    def _place_of(self, record_id: object) -> int | None:
        """The place of the indexed record with this id (removed or not)."""
        return self._place.get(record_id) if isinstance(record_id, str) else None

    # --- upkeep ---

    def __len__(self) -> int:
        return len(self._place) - len(self._removed) + len(self._extra)

    def __contains__(self, record_id: object) -> bool:
        if record_id in self._extra:
            return True
        place = self._place_of(record_id)
        return place is not None and place not in self._removed

    def add(self, record: R) -> None:
        """Index ``record``; a record with the same id is replaced."""
        rid = _record_id(record, len(self))
        if rid in self:
            self.remove(rid)
        keys: dict[str, str] = {}
        for path, kind in self._fields:
            value = read_path(record, path)
            if value is not None:
                key = _stored_key(kind, value, record)
                if key is not None:
                    keys.setdefault(key, path)
        self._extra[rid] = _Entry(record, rid, _names([read_path(record, "name")])[0], keys)
        if len(self._extra) > _MAX_EXTRA or len(self._removed) > len(self._place) // 2:
            self._rebuild()

    def remove(self, record_id: str) -> None:
        """Drop the record with this id; :class:`~clientcore.NotFound` when there is none."""
        if self._extra.pop(record_id, None) is not None:
            return
        place = self._place_of(record_id)
        if place is None or place in self._removed:
            raise NotFound("record", record_id)
        self._removed.add(place)

    def _rebuild(self) -> None:
        base, removed = self._base, self._removed
        kept = (r for i, r in enumerate(base.records) if i not in removed)
        with collector_paused():
            self._build([*kept, *(e.record for e in self._extra.values())])

    # --- searching ---

    def search(
        self,
        text: str,
        limit: int = 50,
        *,
        actor: Actor | str | None = None,
        machine: StatusView | None = None,
    ) -> list[Hit[R]]:
        """The records matching ``text``, best first, at most ``limit`` of them.

        Order: exact identifier, then whole-name prefix, then every query word
        prefixing a word of the name, then name containing the text; within each kind
        by folded name, then id. Case and accents never matter. Blank text finds nothing.

        With ``actor`` and ``machine`` (a :class:`~clientcore.status.StatusMachine`),
        the parties whose status the actor may not see are left out, as if they were
        not indexed: no hit, no identifier match, no place in the ranking.
        """
        seen_by = viewer(actor, machine)
        if not isinstance(text, str):
            raise ValidationError(
                [Issue("search.text.invalid", "text", {"type": type(text).__name__})]
            )
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ValidationError([Issue("search.limit.invalid", "limit", {"value": limit})])
        text = text[:MAX_QUERY]
        hits: list[Hit[R]] = []
        seen: set[str] = set()
        hidden = None if seen_by is None else _hidden_to(*seen_by)
        self._collect(self._by_identifier(text), MatchKind.IDENTIFIER, hits, seen, limit, hidden)
        query, words = normalise_name(text)
        if not words or len(hits) >= limit:
            return hits
        spaced = " " + query
        lo, hi = self._base.name_range(spaced)
        extra = self._extra.values()
        sources: tuple[tuple[MatchKind, Iterable[int], list[_Entry]], ...] = (
            (MatchKind.NAME_PREFIX, range(lo, hi), [e for e in extra if e.name.startswith(spaced)]),
            (
                MatchKind.TOKEN_PREFIX,
                self._by_words(words, lo, hi),
                [e for e in extra if _words_match([" " + w for w in words], e.name)],
            ),
            (
                MatchKind.CONTAINS,
                self._base.containing(query),
                [e for e in extra if query in e.name],
            ),
        )
        for kind, positions, added in sources:
            if len(hits) >= limit:
                break
            found: Iterator[tuple[str, str, Any]] = self._alive(positions, seen)
            if added:
                added.sort(key=lambda e: e.order)
                found = heapq.merge(found, ((e.name, e.id, e.record) for e in added))
            self._collect(
                ((rid, record, "name") for _, rid, record in found),
                kind,
                hits,
                seen,
                limit,
                hidden,
            )
        return hits

    def _collect(
        self,
        found: Iterable[tuple[str, Any, str]],
        kind: MatchKind,
        hits: list[Hit[R]],
        seen: set[str],
        limit: int,
        hidden: Callable[[Any], bool] | None,
    ) -> None:
        for rid, record, path in found:
            if len(hits) >= limit:
                return
            if rid not in seen:
                seen.add(rid)
                if hidden is None or not hidden(record):
                    hits.append(Hit(record, kind, path))

    def _alive(self, positions: Iterable[int], seen: set[str]) -> Iterator[tuple[str, str, Any]]:
        base, removed = self._base, self._removed
        order, ids, records = base.order, base.ids, base.records
        for position in positions:
            place = order[position]
            if place not in removed and ids[place] not in seen:
                yield base.name(place), ids[place], records[place]

    def _by_identifier(self, text: str) -> list[tuple[str, Any, str]]:
        found: dict[str, tuple[str, str, Any, str]] = {}
        base = self._base
        for key in query_keys(text):
            for place, path in base.with_key(key):
                if place not in self._removed:
                    rid = base.ids[place]
                    found.setdefault(rid, (base.name(place), rid, base.records[place], path))
            for entry in self._extra.values():
                path_of = entry.keys.get(key)
                if path_of is not None:
                    found.setdefault(entry.id, (entry.name, entry.id, entry.record, path_of))
        return [
            (rid, record, path)
            for _, rid, record, path in sorted(found.values(), key=lambda f: f[:2])
        ]

    def _by_words(self, words: tuple[str, ...], lo: int, hi: int) -> Iterator[int]:
        """Positions whose name has, for every query word, a word it prefixes.

        Takes the postings (runs of equal names) of the most selective query word and
        checks the others on the run's name, a batch at a time in C; positions in
        ``[lo, hi)`` are whole-name prefix hits, already reported. A generator: the
        postings are read only once the whole-name prefixes left room for more hits.
        """
        base = self._base
        ordered = sorted(set(words), key=base.word_count)
        runs: Iterator[int]
        if base.word_count(ordered[0]) > _DENSE and ordered[0] not in base.prefix_cache:
            # Even the rarest word is common: merge its postings lazily, so a page of
            # hits costs a page of runs rather than the whole merged list.
            runs = base.merged(ordered[0])
        else:
            runs = iter(base.with_word(ordered[0]))
        first, end = base.run_range(lo, hi)
        if first < end:
            runs = (r for r in runs if r < first or r >= end)
        if len(ordered) > 1:
            runs = _having(runs, [" " + word for word in ordered[1:]], base.run_names)
        yield from base.positions(runs)


def _hidden_to(actor: Actor | str, machine: StatusView) -> Callable[[Any], bool]:
    """Whether ``actor`` may not see the status of a record (the machine decides)."""
    return lambda record: not is_visible(record, actor, machine)


def _once(positions: Iterable[int]) -> Iterator[int]:
    """Ascending ``positions`` without repeats."""
    last = -1
    for position in positions:
        if position != last:
            last = position
            yield position


def _having(runs: Iterator[int], needles: Sequence[str], names: Sequence[str]) -> Iterator[int]:
    """The ``runs`` (ascending) whose name contains every needle, in that order.

    Runs are read in batches growing from 16 to 4,096 and each batch is filtered in C
    (``map`` and ``compress``), several times faster than a test per run in Python,
    while a first page of hits still costs only a few small batches.
    """
    size = 16
    while True:
        batch = list(islice(runs, size))
        if not batch:
            return
        for needle in needles:
            held = map(contains, map(names.__getitem__, batch), repeat(needle))
            batch = list(compress(batch, held))
        yield from batch
        size = min(size * 4, 4096)


def _words_match(spaced_words: Sequence[str], name: str) -> bool:
    """Whether every word (with its leading space) starts a word of ``name`` (spaced too)."""
    return all(word in name for word in spaced_words)
