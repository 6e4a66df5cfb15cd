"""DataCite loader throughput at scale, against oxigraph's raw bulk_load of the same triples.

    python bench/datacite_throughput.py --records 20000 --files 4

Each phase runs in its own process so that its peak RSS is its own:
1. generate: write DataCite kernel-4.7 XML records, ``--files`` files each a bundle of ``<resource>``s
   (creators with ORCID iDs and ROR affiliations, a contact person, titles with a subtitle, subjects with
   valueURIs, three dates, an SPDX licence, an abstract and a methods description, a geolocation point,
   a funding reference, three related identifiers, sizes, formats, version) into a temporary folder (not timed).
2. pankg: ``pankg load datacite`` of that folder into a fresh on-disk store: parse the XML (defusedxml),
   map every record, stage, swap and count, exactly what the CLI does (one source per file).
3. export, raw, raw-graphs: as in ``bench/load_throughput.py``: the loaded triples as N-Triples (and as
   N-Quads in pankg's named graphs) bulk-loaded by oxigraph alone.
The figure is pankg / raw NT; pankg / raw NQ compares the same graph layout.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent))
from phases import baselines, load_phase, print_comparison, run_phase, serve_phase  # noqa: E402

KERNEL = "http://datacite.org/schema/kernel-4"
FACILITIES = [("https://ror.org/02550n020", "ESRF"), ("https://ror.org/01wntqw50", "DESY"),
              ("https://ror.org/05etxs293", "Diamond Light Source"), ("https://ror.org/01xtjs520", "ILL")]
NAMES = [("Lovelace", "Ada"), ("Franklin", "Rosalind"), ("Hodgkin", "Dorothy"), ("Lonsdale", "Kathleen"),
         ("Perutz", "Max"), ("Meitner", "Lise"), ("Shull", "Clifford"), ("Wu", "Chien-Shiung")]
RELATIONS = ["IsCitedBy", "IsDerivedFrom", "IsPartOf", "IsSupplementTo", "IsNewVersionOf", "References", "HasMetadata"]


def record(n: int, rng: random.Random) -> str:
    from loaders.demo import fake_orcid

    ror, facility = rng.choice(FACILITIES)
    creators = "".join(
        f'<creator><creatorName nameType="Personal">{family}, {given}</creatorName><givenName>{given}</givenName>'
        f'<familyName>{family}</familyName><nameIdentifier nameIdentifierScheme="ORCID">'
        f"https://orcid.org/{fake_orcid(rng.randrange(1, 5000))}</nameIdentifier>"
        f'<affiliation affiliationIdentifier="{ror}" affiliationIdentifierScheme="ROR">{facility}</affiliation>'
        '</creator>'
        for family, given in rng.sample(NAMES, rng.randint(1, 3))
    )
    related = "".join(
        f'<relatedIdentifier relatedIdentifierType="DOI" relationType="{rng.choice(RELATIONS)}" '
        f'resourceTypeGeneral="Dataset">10.5072/rel-{rng.randrange(10**6)}</relatedIdentifier>'
        for _ in range(3)
    )
    day = dt.date(2018, 1, 1) + dt.timedelta(days=rng.randrange(3000))
    return (
        f'<resource xmlns="{KERNEL}"><identifier identifierType="DOI">10.5072/bench-{n:07d}</identifier>'
        f"<creators>{creators}</creators><titles><title xml:lang=\"en\">Scan {n} of sample {n % 97}</title>"
        f'<title titleType="Subtitle">{escape(facility)} beamtime {n // 50}</title></titles>'
        f'<publisher publisherIdentifier="{ror}" publisherIdentifierScheme="ROR">{facility}</publisher>'
        f"<publicationYear>{day.year}</publicationYear>"
        f'<resourceType resourceTypeGeneral="Dataset">Raw data</resourceType>'
        '<subjects><subject subjectScheme="PaNET" '
        f'valueURI="http://purl.org/pan-science/PaNET/PaNET0{rng.randrange(1100, 1250)}">'
        f"technique</subject><subject>crystallography</subject></subjects>"
        '<contributors><contributor contributorType="ContactPerson">'
        f'<contributorName>{facility} data desk</contributorName>'
        f"</contributor></contributors>"
        f'<dates><date dateType="Collected">{day.isoformat()}/{(day + dt.timedelta(days=2)).isoformat()}</date>'
        f'<date dateType="Issued">{day.year}</date>'
        f'<date dateType="Available">{(day + dt.timedelta(days=1095)).isoformat()}</date></dates>'
        f"<language>en</language><relatedIdentifiers>{related}</relatedIdentifiers>"
        f"<sizes><size>{rng.randrange(1, 900)} GB</size></sizes><formats><format>application/x-hdf5</format></formats>"
        f"<version>1.0</version><rightsList><rights rightsURI=\"https://creativecommons.org/licenses/by/4.0/\" "
        'rightsIdentifier="CC-BY-4.0" rightsIdentifierScheme="SPDX">Creative Commons Attribution 4.0</rights>'
        '</rightsList>'
        f'<descriptions><description descriptionType="Abstract">Raw data of scan {n}.</description>'
        f'<description descriptionType="Methods">Rotation series, {rng.randrange(900, 3600)} frames.</description>'
        '</descriptions>'
        f"<geoLocations><geoLocation><geoLocationPlace>{facility}</geoLocationPlace><geoLocationPoint>"
        f"<pointLongitude>{rng.uniform(-10, 20):.4f}</pointLongitude>"
        f"<pointLatitude>{rng.uniform(40, 56):.4f}</pointLatitude>"
        f"</geoLocationPoint></geoLocation></geoLocations>"
        f'<fundingReferences><fundingReference><funderName>European Commission</funderName><funderIdentifier '
        f'funderIdentifierType="Crossref Funder ID">https://doi.org/10.13039/501100000780</funderIdentifier>'
        f"<awardNumber>{rng.randrange(800000, 900000)}</awardNumber></fundingReference></fundingReferences></resource>"
    )


def phase_generate(folder: str, records: str, files: str) -> dict[str, float]:
    rng = random.Random(42)
    total, count = int(records), int(files)
    Path(folder).mkdir(parents=True, exist_ok=True)
    for f in range(count):
        numbers = range(f * total // count, (f + 1) * total // count)
        body = "".join(record(n, rng) for n in numbers)
        (Path(folder) / f"datacite-{f:02d}.xml").write_text(
            f'<?xml version="1.0" encoding="UTF-8"?>\n<records>{body}</records>')
    return {"bytes": sum(p.stat().st_size for p in Path(folder).iterdir())}


def phase_pankg(store_dir: str, folder: str) -> dict[str, float]:
    return load_phase(store_dir, "datacite", folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--files", type=int, default=4)
    parser.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        serve_phase(args.phase, {"generate": phase_generate, "pankg": phase_pankg})
        return
    with tempfile.TemporaryDirectory(prefix="pankg-bench-datacite-") as tmp:
        generated = run_phase(__file__, "generate", f"{tmp}/datacite", str(args.records), str(args.files))
        ours = run_phase(__file__, "pankg", f"{tmp}/pankg", f"{tmp}/datacite")
        raw, raw_graphs = baselines(__file__, tmp, f"{tmp}/pankg")
    print(
        f"datacite at {args.records:,} records in {args.files} files ({generated['bytes'] / 1e6:,.0f} MB of XML): "
        f"{int(ours['triples']):,} triples, {int(ours['warnings'])} warnings"
    )
    print_comparison("pankg load datacite", ours, raw, raw_graphs)


if __name__ == "__main__":
    main()
