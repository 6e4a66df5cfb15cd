"""Every IRI pankg writes for an entity comes from :class:`Minter`, one function in one place.

Global PIDs keep their own IRIs, so two sources naming the same DOI, ORCID, ROR or PaNET technique
meet on one node: DOIs become ``https://doi.org/<doi in lower case>`` (DOIs are case-insensitive),
ORCIDs ``https://orcid.org/<id>``, RORs ``https://ror.org/<id>``, PaNET terms their PURL. Anything
else is minted under a configurable base as ``<base><kind>/<percent-encoded source PID>``, a pure
function of the PID, so reloads keep IRIs stable.

>>> m = Minter("https://w3id.org/pankg/id/")
>>> m.iri("dataset", "20.500.12269/abc def")
'https://w3id.org/pankg/id/dataset/20.500.12269%2Fabc%20def'
>>> m.iri("dataset", "doi:10.5281/ZENODO.123")
'https://doi.org/10.5281/zenodo.123'
>>> m.iri("person", "0000-0002-1825-0097")
'https://orcid.org/0000-0002-1825-0097'
"""

from __future__ import annotations

import re
from urllib.parse import quote

from graph.errors import RecordInvalid

DEFAULT_BASE = "https://w3id.org/pankg/id/"
PANET_NS = "http://purl.org/pan-science/PaNET/"

KINDS = frozenset(
    ["facility", "organization", "instrument", "proposal", "dataset", "file", "sample", "parameter", "technique",
     "software", "software-version", "run", "association", "person", "publication", "doi", "source", "graph",
     "contact"]
)

_DOI = re.compile(r"^(?:doi:|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)
_ORCID = re.compile(r"^(?:https?://orcid\.org/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$", re.IGNORECASE)
_ROR = re.compile(r"^(?:https?://ror\.org/)(0[a-hj-km-np-tv-z0-9]{6}\d{2})$", re.IGNORECASE)
_PANET = re.compile(r"^(?:https?://purl\.org/pan-science/PaNET/|panet:)(PaNET\d+)$", re.IGNORECASE)
# Unreserved characters stay as they are; everything else, "/" included, is percent-encoded so that a
# PID can never climb out of its kind's path ("../") or collide with another PID.
_SAFE = "-._~:@!$'()*+,;="
# DOIs keep their slashes; the characters N-Triples forbids in IRIs (SICI DOIs use "<" and ">") are encoded.
_DOI_SAFE = _SAFE + "/&"
_CACHE_SIZE = 1 << 18
# What quote(..., safe=_SAFE) does to an ASCII string, as one str.translate (several times faster).
_ASCII_QUOTED = {c: f"%{c:02X}" for c in range(128) if not (chr(c).isalnum() or chr(c) in _SAFE)}


_NEEDS_QUOTING = re.compile(r"[^A-Za-z0-9\-._~:@!$'()*+,;=]")


def _quote(pid: str) -> str:
    # As quote(pid, safe=_SAFE), at C speed: most PIDs hold one or two characters to encode ("/", "#"),
    # and one str.replace per distinct character beats str.translate, which goes char by char when a
    # character maps to several (it was a tenth of the time spent mapping SciCat records).
    found = _NEEDS_QUOTING.findall(pid)
    if not found:
        return pid
    if not pid.isascii():
        return quote(pid, safe=_SAFE)
    chars = set(found)
    if "%" in chars:  # first, so that the escapes added next stay as they are
        pid = pid.replace("%", "%25")
        chars.discard("%")
    for char in chars:
        pid = pid.replace(char, _ASCII_QUOTED[ord(char)])
    return pid


def doi_iri(value: str) -> str | None:
    """The https://doi.org/ IRI of a DOI in any usual form, or None if ``value`` is not a DOI."""
    match = _DOI.match(value.strip())
    return f"https://doi.org/{quote(match.group(1).lower(), safe=_DOI_SAFE)}" if match else None


def orcid_iri(value: str) -> str | None:
    """The https://orcid.org/ IRI of an ORCID iD (bare or as URL) with a valid check digit, else None."""
    match = _ORCID.match(value.strip())
    if not match:
        return None
    orcid = match.group(1).upper()
    return f"https://orcid.org/{orcid}" if orcid_check_digit(orcid[:-1]) == orcid[-1] else None


def orcid_check_digit(base: str) -> str:
    """ISO 7064 11,2 check character of the first 15 digits of an ORCID iD (dashes ignored)."""
    total = 0
    for char in base.replace("-", ""):
        total = (total + int(char)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def ror_iri(value: str) -> str | None:
    """The https://ror.org/ IRI of a ROR id given as its URL, else None."""
    match = _ROR.match(value.strip())
    return f"https://ror.org/{match.group(1).lower()}" if match else None


def panet_iri(value: str) -> str | None:
    """The PURL of a PaNET term given as PURL or ``panet:PaNETnnnnn``, else None."""
    match = _PANET.match(value.strip())
    return f"{PANET_NS}PaNET{match.group(1)[5:]}" if match else None


def global_pid_iri(value: str) -> str | None:
    """The IRI of a global PID (DOI, ORCID, ROR, PaNET), or None for a source-local identifier."""
    return doi_iri(value) or orcid_iri(value) or ror_iri(value) or panet_iri(value)


class Minter:
    """Turns (entity kind, source PID) into the entity's IRI, the same on every run."""

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        if not base.startswith(("http://", "https://")) or not base.endswith(("/", "#")):
            raise ValueError(f"base IRI must be an http(s) IRI ending in '/' or '#': {base!r}")
        self.base = base
        self._known: dict[tuple[str, str], str] = {}

    def iri(self, kind: str, pid: str) -> str:
        """The IRI of the entity of ``kind`` that its source names ``pid``.

        A global PID (DOI, ORCID, ROR, PaNET) is its own IRI whatever the kind; any other PID is
        minted under the base.
        """
        known = self._known.get((kind, pid))
        if known is not None:  # the same facility, person or dataset is named many times in a load
            return known
        if kind not in KINDS:
            raise ValueError(f"unknown entity kind {kind!r}")
        stripped = pid.strip()
        if not stripped:
            raise RecordInvalid(f"empty identifier for a {kind}")
        result = global_pid_iri(stripped) or self.minted(kind, stripped)
        if len(self._known) >= _CACHE_SIZE:
            self._known.clear()
        self._known[(kind, pid)] = result
        return result

    def minted(self, kind: str, pid: str) -> str:
        """The IRI under the base, ignoring global PIDs (used for nodes owned by another, e.g. files)."""
        return f"{self.base}{kind}/{_quote(pid)}"

    def owned(self, kind: str, owner_pid: str, local_name: str) -> str:
        """The IRI of a thing that exists only inside its owner (a dataset's file or parameter)."""
        return self.minted(kind, f"{owner_pid}#{local_name}")


SPDX = "https://spdx.org/licenses/"


def licence_iri(value: str) -> str:
    """A licence given as text, as the model writes it: an http(s) IRI as is, an SPDX id as its spdx.org IRI
    (``MIT`` -> ``https://spdx.org/licenses/MIT``). Not checked here: the caller validates the IRI."""
    return value if value.startswith(("http://", "https://")) else SPDX + value.strip()

