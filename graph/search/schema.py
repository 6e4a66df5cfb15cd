"""The index's fields, its text analyzer and the keys that make orders and ranges exact.

What tantivy-py 0.27 (tantivy 0.27, index format 7) gives, found by trying it, and what this module does about it:

- ``Searcher.search(query, limit, count, order_by_field, offset, order)`` orders by ONE fast field (text, int,
  float, date, bool) and returns ``(order key, DocAddress)`` pairs (a date's key in nanoseconds), or the BM25
  score without ``order_by_field``. There is no second sort field: ties come back in index order.
- ``Query.range_query`` takes numeric, date and IP fields only ("Text fields are not supported"), bytes
  neither; ``Index.parse_query("f:>abc")`` and ``"f:[a TO b]"`` do build term ranges on a text field, but the
  parser owns its own syntax (quotes, colons, brackets), so a value put there must be made of safe characters.
  JSON fields take ranges through the parser too, but mixed integer and float values panicked a search
  (``range_query_fastfield.rs``: ``unwrap()`` on ``None``), so parameters do not go in a JSON field.
- Custom analyzers (``TextAnalyzerBuilder``) must be registered on every ``Index`` object, after each open:
  the index stores only their name.

Hence the keys: a sort key is one unique string, ``hex(entity, 0x00, value, 0x00, IRI)``, kept as a raw, fast text
field.
Hex keeps the byte order of what it encodes and is safe in the parser, so "after this cursor" is the range
``key:>HEX`` (or ``<``) and ties cannot happen: the IRI is part of the key. A parameter value is the term
``hex(name, 0x00, SI unit) + "x" + 16 hex digits`` of its double in an order-preserving encoding, so a range in
any unit, once in SI, is one term range of that name and unit. Relevance has no key to range over; its ties are
broken by ``tie`` (64 bits of sha256 of the IRI, a fast field read in bulk), see :mod:`graph.search.search`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import struct

import tantivy

from graph.model.access import PUBLIC, parse

ANALYZER = "pankg_text"
"""Words as tantivy's default analyzer cuts them (letters and digits), lower case, accents folded (Müller,
muller), words over 40 bytes dropped; no stemming, so a word matches that word (what SPARQL's word filter finds)."""

TEXT_FIELDS = ("title", "description", "techniques_text")
"""The full-text fields, each scored by BM25; a free-text word must be in one of them."""

FORMAT = 7
"""The index's layout: a new value (a field added or changed) makes every index on disk rebuild on open."""

ENTITIES = ("dataset", "publication", "software", "instrument", "person")
"""The kinds of documents (the ``entity`` field): every list of the GraphQL API is one of them."""


def analyzer() -> tantivy.TextAnalyzer:
    """The analyzer of the full-text fields, also used to cut a query's text into the same words."""
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).filter(tantivy.Filter.remove_long(40))
            .filter(tantivy.Filter.lowercase()).filter(tantivy.Filter.ascii_fold()).build())


def build_schema() -> tantivy.Schema:
    """One schema for every kind of entity (:data:`ENTITIES`): each document fills the fields that apply to it
    (a publication's, software's, instrument's or person's name is its ``title``, a publication's issue date its
    ``created``; :mod:`graph.search.entities`)."""
    b = tantivy.SchemaBuilder()

    def raw(name: str, stored: bool = False, fast: bool = False, index_option: str = "position") -> None:
        """A field of exact terms (IRIs, keys, names): the ``raw`` tokenizer keeps a value as one term."""
        b.add_text_field(name, stored=stored, fast=fast, tokenizer_name="raw", index_option=index_option)

    raw("iri", stored=True)  # the entity: delete-by-term, lookups
    raw("graphs", index_option="basic")  # every named graph a fact of the document came from: what a write touched
    raw("entity", fast=True)  # dataset, ...
    raw("role")  # full | stub: the two readers of an embargoed dataset (documents.py)
    raw("readers")  # who may find this document: "public", "reader:<group or proposal:pid>"
    raw("shadowed")  # a stub's: the readers who find the full document instead
    raw("pid")
    raw("kind", fast=True)  # raw, derived
    raw("access", fast=True)  # public, restricted (pankg:accessLevel)
    for name in TEXT_FIELDS:
        b.add_text_field(name, tokenizer_name=ANALYZER)
    raw("iri_key", fast=True)
    raw("title_key", fast=True)
    b.add_unsigned_field("created_num", indexed=True, fast=True)  # the date order: see created_number
    for name in ("technique", "facility", "instrument", "proposal", "licence", "doi", "creator", "affiliation"):
        raw(name, fast=True)
    b.add_date_field("created", indexed=True, fast=True)
    b.add_integer_field("year", indexed=True, fast=True)
    b.add_date_field("embargo_end", indexed=True, fast=True)
    b.add_unsigned_field("citations", indexed=True, fast=True)
    raw("param", index_option="basic")  # name, SI unit and value: see param_term
    raw("param_name", index_option="basic")
    raw("param_unit", fast=True, index_option="basic")  # name NUL SI unit
    b.add_unsigned_field("tie", fast=True)
    return b.build()


# ------------------------------------------------------------------------------------------------ keys

MISSING_LAST = b"\xff"
"""Before a missing title: no UTF-8 text starts with 0xff, so datasets without a title (stubs) come last."""

TITLE_CHARS = 100
"""The title's first characters (lower case) in its sort key; longer titles that agree so far go by IRI."""

_HEX = re.compile(r"[0-9a-f]+")


def sort_key(entity: str, value: bytes, iri: str) -> str:
    """The unique, parser-safe sort key of ``value`` then ``iri`` among the documents of ``entity``:
    ``hex(entity 0x00 value 0x00 iri)``. The entity first keeps each list's keys together, so the windows a page
    is searched in (:mod:`graph.search.search`) hold that list's documents only."""
    return (entity.encode() + b"\x00" + value + b"\x00" + iri.encode()).hex()


def entity_bounds(entity: str) -> tuple[str, str]:
    """Keys just below and just above every sort key of ``entity``'s documents."""
    return (entity.encode() + b"\x00").hex(), (entity.encode() + b"\x01").hex()


def key_iri(key: str) -> str:
    """The IRI a sort key ends with (after its last NUL: an IRI holds none)."""
    raw = bytes.fromhex(key)
    return raw[raw.rindex(b"\x00") + 1:].decode()


def is_key(text: str) -> bool:
    """True if ``text`` could be a sort key (hex digits, even length): what a cursor may put in a range."""
    return bool(_HEX.fullmatch(text)) and len(text) % 2 == 0


def sort_keys(entity: str, iri: str, title: str | None) -> dict[str, str]:
    """The document's key in each text-keyed order: by IRI (a PID order: the IRI is minted from the PID); by
    title (lower case, its first :data:`TITLE_CHARS` characters; untitled last)."""
    title_value = title.lower()[:TITLE_CHARS].encode() if title else MISSING_LAST
    return {"iri_key": sort_key(entity, b"", iri), "title_key": sort_key(entity, title_value, iri)}


SORT_FIELDS = ("iri_key", "title_key")
"""The fields of the text-keyed orders (every document has both)."""

_EPOCH = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)


def created_number(created: dt.datetime | None, iri: str) -> int:
    """The date order's value: seconds since 1900 (UTC) plus one (0 without a date, so missing dates sort first, as
    SPARQL orders unbound values, and last when newest come first) in the high 34 bits, 30 bits of a hash of the
    IRI below. A number, not a text key: tantivy sorts a million numbers in milliseconds. The hash spreads the
    datasets of one second, and the many without a date, so a run of equal numbers is rare and short (it is
    ordered by IRI, :mod:`graph.search.search`)."""
    seconds = 0 if created is None else int((created.astimezone(dt.UTC) - _EPOCH).total_seconds()) + 1
    return min(max(seconds, 0), (1 << 34) - 1) << 30 | tie(iri) >> 34


SAMPLE = 1024
"""One document in about this many (by a hash of its IRI) gives its sort keys to the index's boundaries: the
marks that cut a key order into windows of about this many documents (:mod:`graph.search.search`)."""


def is_sample(iri: str) -> bool:
    """Whether the documents of ``iri`` give their keys to the boundaries (about one in :data:`SAMPLE`)."""
    return tie(iri) % SAMPLE == 0


def tie(iri: str) -> int:
    """The relevance tie-breaker: 64 bits of sha256 of the IRI (equal for two IRIs never in practice, and then
    the IRIs themselves decide)."""
    return int.from_bytes(hashlib.sha256(iri.encode()).digest()[:8], "big")


def _ordered_bits(value: float) -> int:
    """The bits of a double as an unsigned integer in the double's order (negatives flipped, sign bit set on
    positives; -0.0 is 0.0)."""
    bits: int = struct.unpack(">Q", struct.pack(">d", value + 0.0))[0]
    return bits ^ 0xFFFFFFFFFFFFFFFF if bits >> 63 else bits | 1 << 63


def param_prefix(name: str, si_unit: str) -> str:
    return (name.encode() + b"\x00" + si_unit.encode()).hex() + "x"


def param_term(name: str, si_unit: str, value: float) -> str | None:
    """The term of one parameter value; None for a value that is not a finite number."""
    if not math.isfinite(value):
        return None
    return f"{param_prefix(name, si_unit)}{_ordered_bits(value):016x}"


def param_range(name: str, si_unit: str, lo: float | None, hi: float | None) -> str:
    """The query-parser text of the values of ``name`` recorded in ``si_unit`` within ``[lo, hi]`` (None: open)."""
    prefix = param_prefix(name, si_unit)
    low = f"{prefix}{_ordered_bits(lo):016x}" if lo is not None else f"{prefix}{0:016x}"
    high = f"{prefix}{_ordered_bits(hi):016x}" if hi is not None else f"{prefix}{'f' * 16}"
    return f"param:[{low} TO {high}]"


def unit_term(name: str, si_unit: str) -> str:
    return f"{name}\x00{si_unit}"


def reader_tokens(key: str) -> list[str]:
    """The ``readers`` terms of an access key (:mod:`graph.model.access`): ``public``, or one
    ``reader:<group>`` / ``reader:proposal:<pid>`` per reader; none for staff only."""
    if key == PUBLIC:
        return [PUBLIC]
    return [f"reader:{r}" for r in parse(key)[0]]
