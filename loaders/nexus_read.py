"""Reading a NeXus/HDF5 file's metadata with h5py, and nothing else: the harvest step of the NeXus loader.

A NeXus file is mostly detector data (GBs, often in external files) wrapped in a few hundred bytes of
metadata. This module reads only that metadata: the ``NX_class`` of groups, a few text attributes of
fields (``units``, ``short_name``, ``version``) and the value of fields that hold one element. It
walks only the groups the mapping uses (each NXentry, its NXsample, NXinstrument, NXuser and NXsubentry
groups, and the NXsource and NXmonochromator inside an NXinstrument), so NXdata, NXdetector, NXmonitor
and NXlog groups are never entered, their arrays never opened. Any field with more than one element
is described by its shape (from the header) and not read; external links are not followed.

The result is plain data (:class:`NexusFile`), so it can be hashed (an unchanged file is not reloaded)
and mapped without h5py. A problem with one field or one entry is recorded where it happened and
raised by the mapping, which knows whether the load is strict or lenient; only a file that cannot be
opened at all raises here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import h5py
import numpy as np

from graph.errors import RecordInvalid, SourceUnavailable

Scalar = str | int | float | bool
_SURROGATE = re.compile("[\ud800-\udfff]")

MAX_ELEMENTS = 1
"""Fields with more elements than this are arrays: described by their shape, never read."""
TEXT_ATTRIBUTES = ("units", "short_name", "version")
"""The only attributes of a field that are read."""
WALK: dict[str, frozenset[str]] = {
    "NXentry": frozenset({"NXsample", "NXinstrument", "NXuser", "NXsubentry"}),
    "NXinstrument": frozenset({"NXsource", "NXmonochromator"}),
}
"""Which child groups of a group of each class are read; every other group is left closed."""
PRIVATE: dict[str, frozenset[str]] = {"NXuser": frozenset({"address", "telephone_number", "fax_number", "email"})}
"""Personal contact data: never read, so it cannot reach the graph (or even the content hash)."""


@dataclass(frozen=True)
class Field:
    """One HDF5 dataset of a group: its value if it holds one element, else why it was not read."""

    path: str
    value: Scalar | None = None
    attrs: dict[str, str] = field(default_factory=dict)
    skipped: str = ""
    """Why ``value`` is None although the field exists (an array, an unsupported type)."""
    problem: str = ""
    """The field could not be read (raised by the mapping as a wrong field)."""


@dataclass(frozen=True)
class Group:
    """One NeXus group the mapping uses, with its fields by name."""

    path: str
    nx_class: str
    fields: dict[str, Field]

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Entry:
    """One NXentry: the entry group first, then the groups below it that the mapping uses."""

    path: str
    groups: tuple[Group, ...] = ()
    problem: str = ""
    """The entry could not be walked (a broken file part); the mapping raises it for the whole entry."""

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    def of_class(self, nx_class: str) -> list[Group]:
        return [g for g in self.groups if g.nx_class == nx_class]


@dataclass(frozen=True)
class NexusFile:
    """What the harvest found in one file."""

    size: int
    entries: tuple[Entry, ...]


def read_file(path: Path) -> NexusFile:
    """Harvest the metadata of every NXentry of ``path``.

    Raises :class:`RecordInvalid` naming the file when it is not HDF5 or has no NXentry, and
    :class:`SourceUnavailable` when it cannot be read at all.
    """
    where = str(path)
    try:
        size = path.stat().st_size
        is_hdf5 = h5py.is_hdf5(str(path))
    except OSError as exc:
        raise SourceUnavailable(f"{where}: cannot read: {exc.strerror or exc}") from None
    if not is_hdf5:
        raise RecordInvalid("not an HDF5 file (no HDF5 signature)", file=where)
    try:
        # No file lock: a harvester must never stop the acquisition from opening a file it is writing.
        with h5py.File(path, "r", locking=False) as handle:
            entries = tuple(_entry(handle, name) for name in _children_of_class(handle, "NXentry"))
    except (OSError, RuntimeError, KeyError, ValueError) as exc:
        raise RecordInvalid(f"cannot read as HDF5: {exc}", file=where) from None
    if not entries:
        raise RecordInvalid("no NXentry group at the top of the file: not a NeXus file", file=where)
    return NexusFile(size, entries)


def _entry(handle: h5py.File, name: str) -> Entry:
    """One entry, with a failure anywhere inside it kept as the entry's problem."""
    path = f"/{name}"
    try:
        group = handle[path]
        return Entry(path, tuple(_walk(group, "NXentry")))
    except (OSError, RuntimeError, KeyError, ValueError) as exc:
        return Entry(path, problem=f"cannot read the entry: {exc}")


def _walk(group: h5py.Group, nx_class: str) -> list[Group]:
    """The group's fields and, depth first, the groups below it that :data:`WALK` asks for (one pass)."""
    fields: dict[str, Field] = {}
    below: list[Group] = []
    wanted = WALK.get(nx_class, frozenset())
    private = PRIVATE.get(nx_class, frozenset())
    for name in _sorted_keys(group):
        if name in private:
            fields[name] = Field(f"{group.name}/{name}", skipped="personal contact data, not read")
            continue
        child = _child(group, name)
        if isinstance(child, h5py.Dataset):
            fields[name] = _field(child)
        elif isinstance(child, h5py.Group) and (child_class := nx_class_of(child)) in wanted:
            below += _walk(child, child_class)
    return [Group(group.name, nx_class, fields), *below]


def _children_of_class(group: h5py.Group, nx_class: str) -> list[str]:
    return [n for n in _sorted_keys(group)
            if isinstance(c := _child(group, n), h5py.Group) and nx_class_of(c) == nx_class]


def _sorted_keys(group: h5py.Group) -> list[str]:
    """The names of a group's members; h5py gives a name that is not UTF-8 as bytes (or as text holding lone
    surrogates), and such a name (a damaged file, or a writer's bug) is no NeXus name: it is not read."""
    return sorted(name for name in group if isinstance(name, str) and _unicode(name))


def _unicode(text: str) -> bool:
    """False for text holding lone surrogates: h5py's ``surrogateescape`` stand-ins for bytes that are no UTF-8."""
    return text.isascii() or not _SURROGATE.search(text)


def _child(group: h5py.Group, name: str) -> Any:
    """The object behind a hard or soft link; None for external links (never followed) and dangling ones."""
    if group.id.links.get_info(name.encode()).type == h5py.h5l.TYPE_EXTERNAL:
        return None
    try:
        return group[name]
    except KeyError:  # a soft link to nothing
        return None


def nx_class_of(obj: h5py.Group) -> str:
    """The group's ``NX_class`` attribute as text ("" if absent)."""
    return _text(obj.attrs.get("NX_class")) or ""


def _field(ds: h5py.Dataset) -> Field:
    """Read a dataset only when it holds exactly one element of text, number or boolean."""
    path = ds.name
    try:
        attrs = {key: text for key in ds.attrs if key in TEXT_ATTRIBUTES and (text := _text(ds.attrs[key])) is not None}
        shape = ds.shape
        if shape is None or ds.size == 0:  # a null or empty dataspace holds no value
            return Field(path, None, attrs, skipped="empty")
        if ds.size > MAX_ELEMENTS:
            return Field(path, None, attrs, skipped=f"an array of shape {shape}, not read")
        if not _readable(ds.dtype):
            return Field(path, None, attrs, skipped=f"values of HDF5 type {ds.dtype}, not read")
        raw = ds[()]
        value = _scalar(raw.reshape(-1)[0] if isinstance(raw, np.ndarray) else raw)
    except UnicodeDecodeError:
        return Field(path, problem="text that is not UTF-8")
    except (OSError, RuntimeError, KeyError, ValueError, TypeError) as exc:
        return Field(path, problem=f"cannot be read: {exc}")
    return Field(path, value, attrs)


def _readable(dtype: np.dtype[Any]) -> bool:
    """Text, integers, floats and booleans (h5py's enum of FALSE/TRUE reads as bool); not compounds,
    references, opaque or complex values."""
    return h5py.check_string_dtype(dtype) is not None or dtype.kind in "SUbiuf"


def _scalar(value: Any) -> Scalar:
    """A numpy or bytes value as a plain Python value (text decoded as UTF-8, trailing NULs dropped)."""
    if isinstance(value, bytes):
        return value.decode("utf-8").rstrip("\0")
    if isinstance(value, np.generic):
        value = value.item()
        if isinstance(value, bytes):
            return value.decode("utf-8").rstrip("\0")
    if isinstance(value, str) and not _unicode(value):
        raise UnicodeDecodeError("utf-8", b"", 0, 0, "text that is not UTF-8")
    if isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"unsupported value of type {type(value).__name__}")


def _text(value: Any) -> str | None:
    """An attribute as text: str, bytes, or a one-element array of either; None otherwise."""
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.reshape(-1)[0]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8").rstrip("\0")
        except UnicodeDecodeError:
            return None
    return value if isinstance(value, str) and _unicode(value) else None  # h5py decodes with surrogateescape
