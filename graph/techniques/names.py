"""Free-text technique names ("SAXS", "x-ray diffraction", "Small angle X-ray scattering") to ontology IRIs.

Catalogues often name a technique in words instead of a PaNET IRI. Users search by PaNET technique, so a
name pankg can place with confidence becomes the IRI, and the original words are kept beside it. What
cannot be placed with confidence (no candidate, or two candidates as good as each other) stays a name and
is reported: a wrong technique on a dataset is worse than none, since it hides the dataset from the
searches that should find it.

Matching, in order; the first step with a single answer wins, several answers at one step are ambiguous:
1. *pinned*: the facility's own mapping file (``name: IRI``), for names nobody else would guess;
2. *label*: the ontology's ``rdfs:label``, compared after normalization (case, ``-``, ``_``, spaces);
3. *synonym*: ``skos:altLabel`` (PaNET gives acronyms such as SAXS and XRD this way);
4. *acronym*: the initials of a label ("small angle neutron scattering" -> SANS; "x-ray" gives X or XR);
5. *fuzzy*: rapidfuzz's ratio over labels and synonyms, at least ``FUZZY_CUTOFF`` and ahead of the
   next best term by ``FUZZY_MARGIN`` (typos and word order, not loose similarity).
A term under one of the ontology's technique roots (PaNET00001 "photon and neutron technique") is preferred
to a term of the same name outside them (PaNET's "diffraction" is both a technique and a specifier class).
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import fuzz, process

How = Literal["pinned", "label", "synonym", "acronym", "fuzzy", "unmapped", "ambiguous"]
FUZZY_CUTOFF = 90.0
FUZZY_MARGIN = 4.0
_SEPARATORS = re.compile(r"[\s_\-/,.;:()]+")
_SMALL_WORDS = frozenset({"of", "and", "in", "by", "the", "on", "for", "with", "a", "an", "to"})


def normalize(text: str) -> str:
    """The form names are compared in: lower case, words separated by one space, x-ray as one word."""
    text = re.sub(r"(?i)\bx[\s-]?rays?\b", "xray", text.replace("_", " "))
    return " ".join(w for w in _SEPARATORS.split(text.lower()) if w)


def acronyms(label: str) -> set[str]:
    """The initials a label is usually shortened to; "xray" may give X (SAXS) or XR (XRD)."""
    words = [w for w in normalize(label).split() if w not in _SMALL_WORDS]
    if len(words) < 2:
        return set()
    found = {""}
    for word in words:
        options = ("x", "xr") if word == "xray" else (word[0],)
        found = {prefix + option for prefix in found for option in options}
    return found


@dataclass(frozen=True)
class Term:
    """One ontology class as name resolution needs it."""

    iri: str
    labels: tuple[str, ...]
    synonyms: tuple[str, ...] = ()
    technique: bool = True
    """Under a technique root (or the ontology has none): preferred over a namesake that is not."""


@dataclass(frozen=True)
class Resolution:
    """What a name became: an IRI (``how`` says by which step) or nothing, with the candidates seen."""

    text: str
    iri: str | None
    how: How
    candidates: tuple[str, ...] = ()

    @property
    def problem(self) -> str:
        """A sentence for the load report, empty when the name was placed."""
        if self.how == "unmapped":
            return f"technique name {self.text!r} matches no known technique; kept as a name"
        if self.how == "ambiguous":
            return f"technique name {self.text!r} is ambiguous ({', '.join(self.candidates)}); kept as a name"
        return ""


@dataclass
class TechniqueNames:
    """Resolves names against an ontology's terms and a facility's pinned names."""

    terms: Iterable[Term]
    pinned: Mapping[str, str] = field(default_factory=dict)
    _known: set[str] = field(init=False, default_factory=set)
    _namespaces: set[str] = field(init=False, default_factory=set)
    _technique: dict[str, bool] = field(init=False, default_factory=dict)
    _steps: list[tuple[How, dict[str, set[str]]]] = field(init=False, default_factory=list)
    _choices: dict[str, set[str]] = field(init=False, default_factory=dict)
    _cache: dict[str, Resolution] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        labels: dict[str, set[str]] = defaultdict(set)
        synonyms: dict[str, set[str]] = defaultdict(set)
        initials: dict[str, set[str]] = defaultdict(set)
        for term in self.terms:
            self._known.add(term.iri)
            self._namespaces.add(term.iri[: max(term.iri.rfind("/"), term.iri.rfind("#")) + 1])
            self._technique[term.iri] = term.technique
            for label in term.labels:
                labels[normalize(label)].add(term.iri)
                for acronym in acronyms(label):
                    initials[acronym].add(term.iri)
            for synonym in term.synonyms:
                synonyms[normalize(synonym)].add(term.iri)
        pinned = {normalize(name): {iri} for name, iri in self.pinned.items()}
        self._steps = [("pinned", pinned), ("label", labels), ("synonym", synonyms), ("acronym", initials)]
        self._choices = defaultdict(set)
        for table in (labels, synonyms):
            for name, iris in table.items():
                self._choices[name] |= iris

    def covers(self, iri: str) -> bool:
        """Whether ``iri`` is in the namespace of a known term, so that the ontology should know it."""
        cut = max(iri.rfind("/"), iri.rfind("#")) + 1
        return iri[:cut] in self._namespaces

    def knows(self, iri: str) -> bool:
        """Whether the ontology has this IRI (a record's IRI that it lacks is kept but flagged)."""
        return iri in self._known

    def resolve(self, text: str) -> Resolution:
        """The IRI for ``text``, or why there is none."""
        key = normalize(text)
        if key not in self._cache:
            self._cache[key] = self._resolve(text, key)
        found = self._cache[key]
        return found if found.text == text else Resolution(text, found.iri, found.how, found.candidates)

    def _resolve(self, text: str, key: str) -> Resolution:
        if not key:
            return Resolution(text, None, "unmapped")
        for how, table in self._steps:
            iris = table.get(key if how != "acronym" else key.replace(" ", ""))
            if iris:
                return self._choose(text, how, iris)
        return self._fuzzy(text, key)

    def _choose(self, text: str, how: How, iris: set[str]) -> Resolution:
        techniques = {i for i in iris if self._technique.get(i, True)}
        best = techniques or iris
        if len(best) == 1:
            return Resolution(text, next(iter(best)), how)
        return Resolution(text, None, "ambiguous", tuple(sorted(best)))

    def _fuzzy(self, text: str, key: str) -> Resolution:
        if len(key) < 5:  # short names are acronyms: a near miss of one is another technique
            return Resolution(text, None, "unmapped")
        matches = process.extract(key, list(self._choices), scorer=fuzz.ratio, limit=8, score_cutoff=FUZZY_CUTOFF)
        if not matches:
            return Resolution(text, None, "unmapped")
        top = matches[0][1]
        close = [name for name, score, _ in matches if top - score < FUZZY_MARGIN]
        iris = set().union(*(self._choices[name] for name in close))
        return self._choose(text, "fuzzy", iris)

    @property
    def fingerprint(self) -> str:
        """Changes when the terms or the pinned names do: a catalogue resolved against other terms reloads."""
        digest = hashlib.sha256()
        for iri in sorted(self._known):
            digest.update(iri.encode() + b"\0")
        for how, table in self._steps:
            for name in sorted(table):
                digest.update(f"{how}|{name}|{'|'.join(sorted(table[name]))}\n".encode())
        return digest.hexdigest()[:16]
