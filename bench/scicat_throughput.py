"""SciCat loader throughput at scale, against oxigraph's raw bulk_load of the same triples.

    python bench/scicat_throughput.py --datasets 100000

Each phase runs in its own process so that its peak RSS is its own:
1. generate: write SciCat-shaped records as the backend exports them (``Dataset.json`` with raw and
   derived datasets: people, PaNET techniques, lifecycle, scientific metadata in mixed units, input
   datasets, software URLs, job parameters; ``OrigDatablock.json`` with one to three files each) into a
   temporary folder (not timed).
2. pankg: ``pankg load scicat`` of that folder into a fresh on-disk store: read the JSON, map every
   record, stage, swap and count, exactly what the CLI does.
3. export, raw, raw-graphs: as in ``bench/load_throughput.py``: the loaded triples as N-Triples (and as
   N-Quads in pankg's named graphs) bulk-loaded by oxigraph alone.
The figure is pankg / raw NT (target >= 50 %); pankg / raw NQ compares the same graph layout.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from phases import baselines, load_phase, print_comparison, run_phase, serve_phase  # noqa: E402

TECHNIQUES = [
    ("PaNET01168", "serial_femtosecond_crystallography"),
    ("PaNET01188", "small_angle_x-ray_scattering"),
    ("PaNET01189", "small_angle_neutron_scattering"),
    ("PaNET01207", "x-ray_tomography"),
    ("PaNET01102", "x-ray_single_crystal_diffraction"),
    ("PaNET01239", "neutron_reflectometry"),
]
SOFTWARE = [
    "https://github.com/dials/dials",
    "https://github.com/mantidproject/mantid",
    "https://doi.org/10.1107/S1600576715014685",
    "https://github.com/silx-kit/pyFAI",
    "https://software.pan-data.eu/software/160/ptypy",
]
NAMES = [
    "Ada Lovelace",
    "Rosalind Franklin",
    "Dorothy Hodgkin",
    "Kathleen Lonsdale",
    "Max Perutz",
    "William Bragg",
    "Lise Meitner",
    "Clifford Shull",
    "Bertram Brockhouse",
    "Chien-Shiung Wu",
]
UNITS = {
    "beamEnergy": ("keV", 5, 30),
    "temperature": ("K", 80, 400),
    "exposureTime": ("ms", 1, 500),
    "detectorDistance": ("mm", 100, 5000),
    "wavelength": ("angstrom", 0.5, 12),
}


def _date(day: dt.datetime) -> dict[str, str]:
    return {"$date": day.strftime("%Y-%m-%dT%H:%M:%S.000Z")}


def make_records(datasets: int, seed: int = 42) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Datasets (60 % raw, 40 % derived from earlier raw ones of the same proposal) and their origdatablocks."""
    from loaders.demo import fake_orcid

    rng = random.Random(seed)
    start = dt.datetime(2018, 1, 1)
    records: list[dict[str, Any]] = []
    blocks: list[dict[str, Any]] = []
    raws: list[str] = []
    for n in range(datasets):
        proposal = f"2024{n // 12:06d}"
        if n % 12 == 0:
            raws = []
        pid = f"20.500.12269/{seed:02d}{n:08d}-{rng.getrandbits(32):08x}"
        kind = "derived" if raws and rng.random() < 0.4 else "raw"
        created = start + dt.timedelta(minutes=rng.randrange(0, 8 * 365 * 24 * 60))
        technique = rng.choice(TECHNIQUES)
        owner = rng.choice(NAMES)
        files = rng.randint(1, 3)
        record: dict[str, Any] = {
            "_id": pid,
            "type": kind,
            "datasetName": f"scan_{n:06d}",
            "description": f"{technique[1]} of sample {n % 97}",
            "owner": owner,
            "ownerEmail": f"{owner.split()[0].lower()}@example.org",
            "orcidOfOwner": fake_orcid(rng.randrange(1, 5000)) if rng.random() < 0.3 else "",
            "contactEmail": "data@example.org",
            "sourceFolder": f"/data/{proposal}/raw/scan_{n:06d}",
            "sourceFolderHost": "fs.example.org",
            "size": rng.randrange(10**6, 10**11),
            "packedSize": 0,
            "numberOfFiles": files,
            "numberOfFilesArchived": files,
            "creationTime": _date(created),
            "classification": "IN=medium,AV=low,CO=low",
            "license": "CC-BY-4.0",
            "version": "3.1.0",
            "isPublished": created < dt.datetime(2023, 1, 1),
            "ownerGroup": f"p{proposal}",
            "accessGroups": ["staff"],
            "createdBy": "ingestor",
            "history": [],
            "datasetlifecycle": {
                "archivable": True,
                "retrievable": True,
                "publishable": False,
                "dateOfPublishing": _date(created + dt.timedelta(days=3 * 365)),
                "archiveRetentionTime": _date(created + dt.timedelta(days=10 * 365)),
                "isOnCentralDisk": True,
                "archiveStatusMessage": "datasetOnArchiveDisk",
                "retrieveStatusMessage": "",
                "retrieveIntegrityCheck": False,
            },
            "createdAt": _date(created),
            "updatedAt": _date(created + dt.timedelta(hours=1)),
            "techniques": [{"pid": technique[0], "name": f"photon_and_neutron_technique.{technique[1]}"}],
            "scientificMetadata": {
                name: {"value": round(rng.uniform(low, high), 3), "unit": unit}
                for name, (unit, low, high) in rng.sample(sorted(UNITS.items()), 4)
            },
        }
        if kind == "raw":
            record |= {
                "principalInvestigator": rng.choice(NAMES),
                "proposalId": proposal,
                "sampleId": f"sample-{proposal}-{n % 3}",
                "instrumentId": f"instrument-{n % 40}",
            }
            raws.append(pid)
        else:
            record |= {
                "investigator": owner,
                "inputDatasets": rng.sample(raws, min(len(raws), rng.randint(1, 3))),
                "usedSoftware": [rng.choice(SOFTWARE)],
                "jobParameters": {"nproc": 8, "dmin": {"value": 1.5, "unit": "angstrom"}},
            }
        records.append(record)
        blocks.append(
            {
                "_id": f"block-{n}",
                "datasetId": pid,
                "chkAlg": "sha256",
                "ownerGroup": f"p{proposal}",
                "accessGroups": [],
                "createdBy": "ingestor",
                "createdAt": _date(created),
                "updatedAt": _date(created),
                "dataFileList": [
                    {
                        "path": f"scan_{n:06d}_{f:03d}.nxs",
                        "size": rng.randrange(10**6, 10**10),
                        "time": _date(created),
                        "chk": f"{rng.getrandbits(256):064x}",
                        "uid": "1000",
                        "gid": "1000",
                        "perm": "-rw-r-----",
                    }
                    for f in range(files)
                ],
            }
        )
    return records, blocks


def phase_generate(folder: str, datasets: str) -> dict[str, float]:
    records, blocks = make_records(int(datasets))
    Path(folder).mkdir(parents=True, exist_ok=True)
    (Path(folder) / "Dataset.json").write_text(json.dumps(records))
    (Path(folder) / "OrigDatablock.json").write_text(json.dumps(blocks))
    return {"bytes": sum(p.stat().st_size for p in Path(folder).iterdir())}


def phase_pankg(store_dir: str, folder: str) -> dict[str, float]:
    return load_phase(store_dir, "scicat", folder)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--datasets", type=int, default=100_000)
    parser.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        serve_phase(args.phase, {"generate": phase_generate, "pankg": phase_pankg})
        return
    with tempfile.TemporaryDirectory(prefix="pankg-bench-scicat-") as tmp:
        generated = run_phase(__file__, "generate", f"{tmp}/scicat", str(args.datasets))
        ours = run_phase(__file__, "pankg", f"{tmp}/pankg", f"{tmp}/scicat")
        raw, raw_graphs = baselines(__file__, tmp, f"{tmp}/pankg")
    print(
        f"scicat at {args.datasets:,} datasets ({generated['bytes'] / 1e6:,.0f} MB of JSON): "
        f"{int(ours['triples']):,} triples, {int(ours['warnings'])} warnings"
    )
    print_comparison("pankg load scicat", ours, raw, raw_graphs)


if __name__ == "__main__":
    main()
