"""HermiT reasoning for a PaNET whose hierarchy is only implied by its equivalent-class definitions.

PaNET's source is a ROBOT template in which most techniques are *defined* (``small angle x-ray scattering
= x-ray probe technique and small angle scattering``) and not placed under their parents; the built OWL
files carry the parents that a reasoner inferred. A file built without that step (from
``source/PaNET.csv``) has hundreds of classes with no parent at all, and a subtree search on it would miss
most of them.

So the loader asks HermiT (owlready2's ``sync_reasoner``, a Java program) for the hierarchy when it is
needed, and only then: the built files need nothing (HermiT adds no ancestor to them), and Java costs
seconds. Which mode applies is the load's ``panet_reason`` option (:class:`loaders.base.LoadOptions`; ``pankg``
sets it from ``PANKG_PANET_REASON``):

- ``auto`` (the default): reason when the file shows that its definitions were not materialized, that is
  when some class defined as ``A and B and ...`` is not, by its asserted parents, below ``A`` or ``B``;
- ``always``: reason whatever the file looks like (a partly materialized build);
- ``never``: take the asserted hierarchy as it is.

Where Java is missing, reasoning is skipped and the load report says so; the asserted hierarchy loads.
"""

from __future__ import annotations

import shutil
import subprocess
from typing import Literal

import owlready2

from graph.errors import LoaderError, RecordInvalid
from loaders.base import LoadWarning
from loaders.panet_read import OwlClass

ReasonMode = Literal["auto", "always", "never"]
MODES: tuple[ReasonMode, ...] = ("auto", "always", "never")
SETTING = "PANKG_PANET_REASON"
"""The setting (an environment variable of ``pankg``) that chooses the mode: what an error about it names."""


def reason_mode(value: str) -> ReasonMode:
    """The reasoning mode an option asks for (``auto`` when empty); anything else is a :class:`LoaderError`.

    >>> reason_mode(" Never "), reason_mode("")
    ('never', 'auto')
    """
    value = value.strip().lower() or "auto"
    if value not in MODES:
        raise LoaderError(f"{SETTING} must be one of {', '.join(MODES)}, not {value!r}")
    return value


def java() -> str | None:
    """The Java that owlready2 would run (``owlready2.JAVA_EXE``, looked up on PATH), or None."""
    return shutil.which(owlready2.JAVA_EXE)


def unmaterialized(classes: dict[str, OwlClass], ancestors: dict[str, set[str]]) -> list[str]:
    """Classes whose definition puts them below a class that their asserted parents do not.

    >>> c = OwlClass("x:saxs", parents=[], defined_under={"x:sas"})
    >>> unmaterialized({"x:saxs": c}, {"x:saxs": {"x:saxs"}})
    ['x:saxs']
    """
    return sorted(iri for iri, c in classes.items() if c.defined_under - ancestors.get(iri, {iri}))


def reason(world: owlready2.World, name: str, pending: int) -> list[LoadWarning]:
    """Classify ``world`` with HermiT, in place; warnings for what the data manager should know.

    When HermiT cannot run, the warning says so and ``pending`` (the classes whose parents are only
    implied) tells what the skipped step would have given. Unsatisfiable classes are listed. An
    inconsistent ontology is an error.
    """
    where = f"owlready2.JAVA_EXE = {owlready2.JAVA_EXE!r}"
    missing = f"; classes that lack the parents their definitions imply: {pending}" if pending else ""
    if java() is None:
        return [LoadWarning(f"HermiT reasoning skipped: Java not found ({where}); the asserted hierarchy was "
                            f"loaded{missing}", file=name)]
    try:
        owlready2.sync_reasoner_hermit(world, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError:
        raise RecordInvalid("HermiT finds the ontology inconsistent: nothing loaded", file=name) from None
    except (owlready2.OwlReadyJavaError, OSError, subprocess.SubprocessError) as exc:
        lines = str(exc).strip().splitlines()
        cause = lines[-1] if lines else type(exc).__name__
        return [LoadWarning(f"HermiT reasoning failed ({cause}; {where}); the asserted hierarchy was "
                            f"loaded{missing}", file=name)]
    empty = sorted(c.iri for c in world.inconsistent_classes() if c is not owlready2.Nothing)
    if empty:
        shown = ", ".join(empty[:5]) + (", ..." if len(empty) > 5 else "")
        return [LoadWarning(f"HermiT finds {len(empty)} classes unsatisfiable (equivalent to owl:Nothing): {shown}",
                            file=name)]
    return []
