"""Real NeXus files written with h5py, for the NeXus loader's tests and benchmark.

A file is described as a nested dict: a key starting with "@" is an attribute of the group, a dict is a
child group, a :class:`Big` is a detector-sized array, a ``(value, {attribute: value})`` pair is a field
with attributes (``units``...), anything else a field. Text is written the way real writers do it:
variable-length UTF-8 by default, fixed-length bytes where a test gives ``numpy.bytes_``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import h5py
import numpy as np


@dataclass(frozen=True)
class Big:
    """A detector array; with ``external`` its values live in that raw file instead of the HDF5 file."""

    shape: tuple[int, ...] = (2000, 2000)
    dtype: str = "int32"
    external: Path | None = None


def saxs_entry(title: str = "Silica nanoparticles in water, 25 C", energy: tuple[float, str] = (12.4, "keV"),
               detector: Big | None = None) -> dict[str, Any]:
    """A SAXS entry as ESRF ID02 might write it (NXsas), with its detector image in NXdata."""
    return {
        "@NX_class": "NXentry",
        "@default": "data",
        "title": title,
        "definition": (np.bytes_(b"NXsas"), {"version": "v2024.02"}),
        "experiment_identifier": "SC-5432",
        "experiment_description": "Aggregation of silica nanoparticles under shear.",
        "entry_identifier": 17,
        "start_time": "2021-03-14T09:26:53+01:00",
        "end_time": "2021-03-14T09:31:10+01:00",
        "program_name": ("bliss", {"version": "1.11.0"}),
        "collection_time": (240.0, {"units": "s"}),
        "sample": {
            "@NX_class": "NXsample",
            "name": "SiO2 nanoparticles, 20 nm",
            "chemical_formula": np.bytes_(b"SiO2"),
            "description": "Ludox TM-50 diluted to 1 wt%",
            "temperature": (298.15, {"units": "K"}),
            "thickness": (1.5, {"units": "mm"}),
            "situation": "air",
            "unit_cell_abc": np.array([1.0, 2.0, 3.0]),
        },
        "instrument": {
            "@NX_class": "NXinstrument",
            "name": ("ID02 Time-Resolved Ultra Small-Angle X-Ray Scattering", {"short_name": "ID02"}),
            "source": {
                "@NX_class": "NXsource",
                "name": ("European Synchrotron Radiation Facility", {"short_name": "ESRF"}),
                "type": "Synchrotron X-ray Source",
                "probe": "x-ray",
                "current": (198.7, {"units": "mA"}),
            },
            "monochromator": {
                "@NX_class": "NXmonochromator",
                "energy": (energy[0], {"units": energy[1]}),
                "wavelength": (0.99987, {"units": "Angstrom"}),
            },
            "detector": {"@NX_class": "NXdetector", "distance": (30.9, {"units": "m"}),
                         "data": detector or Big((4, 4))},
        },
        "user_pi": {"@NX_class": "NXuser", "name": "Josiah Carberry", "role": "principal_investigator",
                    "affiliation": "Brown University", "ORCID": "https://orcid.org/0000-0002-1825-0097",
                    "email": "josiah@example.org"},
        "user_lc": {"@NX_class": "NXuser", "name": "Local Contact", "role": "local_contact",
                    "affiliation": "https://ror.org/02550n020", "email": "lc@example.org"},
        "data": {"@NX_class": "NXdata", "@signal": "data"},
    }


def write_nexus(path: Path, entries: dict[str, dict[str, Any]]) -> Path:
    """Write ``entries`` (name -> entry tree) as a NeXus file; NXdata ``data`` links the detector's data."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with h5py.File(path, "w") as handle:
        handle.attrs["NX_class"] = "NXroot"
        handle.attrs["file_name"] = path.name
        handle.attrs["creator"] = "pankg tests"
        for name, tree in entries.items():
            tree = copy.deepcopy(tree)
            _write(handle.create_group(name), tree)
            detector = f"{name}/instrument/detector/data"
            if "data" in tree and detector in handle and "data" not in handle[f"{name}/data"]:
                handle[f"{name}/data/data"] = handle[detector]  # a hard link, as NeXus writers do
    return path


def _write(group: h5py.Group, tree: dict[str, Any]) -> None:
    for key, value in tree.items():
        if key.startswith("@"):
            group.attrs[key[1:]] = value
        elif isinstance(value, dict):
            _write(group.create_group(key), value)
        elif isinstance(value, Big):
            _big(group, key, value)
        elif isinstance(value, tuple):
            data, attrs = value
            ds = group.create_dataset(key, data=data)
            for name, text in attrs.items():
                ds.attrs[name] = text
        else:
            group.create_dataset(key, data=value)


def _big(group: h5py.Group, key: str, big: Big) -> None:
    if big.external is None:
        ds = group.create_dataset(key, shape=big.shape, dtype=big.dtype)
        ds[...] = np.arange(np.prod(big.shape), dtype=big.dtype).reshape(big.shape)
    else:
        ds = group.create_dataset(key, shape=big.shape, dtype=big.dtype,
                                  external=[(str(big.external), 0, h5py.h5s.UNLIMITED)])
        ds[(0,) * len(big.shape)] = 7  # creates the raw file
    ds.attrs["units"] = "counts"
    ds.attrs["signal"] = 1
