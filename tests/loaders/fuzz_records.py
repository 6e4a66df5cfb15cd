"""Hypothesis strategies for catalogue files: SciCat exports, PaNOSC search-API databases and codemeta.json.

Each strategy gives a :class:`Case`: the files to write (named as the loader wants them) and, for a broken
case, the record and field a refusal must name. The records are built from the fields the loaders read and
docs/mapping-scicat.md, docs/mapping-panosc.md and docs/mapping-software.md describe, in the shapes of the
reference records (../shared/reference/catalogues, software-catalogue/codemeta): MongoDB's extended JSON
(``{"$date": ...}``, ``{"$numberLong": ...}``) and REST JSON for SciCat, JSON text inside a LoopBack database
for PaNOSC, a value or a list, text or objects for CodeMeta. ICAT and DataCite, which also have XML
writers, are in :mod:`tests.loaders.fuzz_icat` and :mod:`tests.loaders.fuzz_datacite`.

``odd=False`` gives records every loader must load; ``odd=True`` records of the right types with values at
the edges (:mod:`tests.loaders.fuzz_values`); ``broken=True`` a case with one record broken
(:func:`tests.loaders.fuzz_cases.breaking`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from typing import Any

from hypothesis import strategies as st

from tests.loaders.fuzz_cases import Case, Named, breaking, dumps
from tests.loaders.fuzz_values import (
    count,
    day,
    doi,
    identifier,
    iso_date,
    number,
    optional,
    orcid,
    panet,
    text,
    unit,
    url,
    words,
)


@cache
def free_form(odd: bool) -> st.SearchStrategy[Any]:
    """SciCat's free-form metadata: named values with units, plain values, groups and lists of them."""
    quantity = st.fixed_dictionaries({"value": number(odd) | text(odd)}, optional={"unit": unit(odd)})
    leaf = st.one_of(number(odd), text(odd), st.booleans(), st.none(), quantity)
    keys = text(odd, 12) if odd else words()
    return st.dictionaries(keys, st.recursive(leaf, lambda inner: st.lists(inner, max_size=3)
                                               | st.dictionaries(keys, inner, max_size=3), max_leaves=8), max_size=4)


@cache
def mongo_date(odd: bool) -> st.SearchStrategy[Any]:
    """A date as SciCat writes it: ISO text, ``{"$date": ISO}``, epoch milliseconds, ``{"$date": {"$numberLong"}}``."""
    epoch = st.integers(-2208988800000, 4102444800000) if not odd else st.one_of(
        st.integers(-10**20, 10**20), st.sampled_from((1e300, -1e300, float("inf"))))
    return st.one_of(iso_date(odd), iso_date(odd).map(lambda d: {"$date": d}), epoch,
                     epoch.map(lambda ms: {"$date": {"$numberLong": str(ms)}}))


@cache
def mongo_count(odd: bool) -> st.SearchStrategy[Any]:
    found = count(odd)
    wrapped = found.map(lambda n: {"$numberLong": str(n)})
    if odd:
        wrapped = wrapped | st.sampled_from(({"$numberLong": "1e400"}, {"$numberLong": "nan"}, {"$numberLong": "x"},
                                             {"$numberDouble": "-Infinity"}, {"$numberInt": "9" * 30}))
    return found | wrapped


# ---------------------------------------------------------------- SciCat

@cache
def dataset_fields(odd: bool) -> dict[str, st.SearchStrategy[Any]]:
    """The optional fields of a SciCat dataset and their values (references to other datasets apart)."""
    t, names = text(odd), (text(odd) if odd else words())
    technique = st.one_of(panet(), st.fixed_dictionaries({}, optional={
        "pid": panet() | panet().map(lambda p: f"http://purl.org/pan-science/PaNET/{p}") | words(),
        "name": st.just("photon_and_neutron_technique.scattering.small_angle_scattering") | names}).filter(
        lambda d: d.get("pid", "").strip() or (d.get("name") or "").split(";")[0].strip(" ._")))
    fields: dict[str, st.SearchStrategy[Any]] = {
        **{key: t for key in ("datasetName", "description", "contactEmail", "sourceFolder", "sourceFolderHost",
                              "ownerGroup", "ownerEmail", "classification", "version", "createdBy")},
        **{key: names for key in ("owner", "principalInvestigator", "investigator")},
        **{key: mongo_date(odd) for key in ("creationTime", "createdAt", "updatedAt")},
        **{key: mongo_count(odd) for key in ("size", "numberOfFiles", "packedSize")},
        "orcidOfOwner": orcid() | t,
        "license": st.sampled_from(("CC-BY-4.0", "CC BY 4.0", "https://spdx.org/licenses/MIT")) | t,
        "isPublished": st.booleans(), "accessGroups": st.lists(t, max_size=3), "keywords": st.lists(t, max_size=3),
        "datasetlifecycle": st.fixed_dictionaries({}, optional={
            "dateOfPublishing": mongo_date(odd), "archiveRetentionTime": mongo_date(odd), "archivable": st.booleans()}),
        "techniques": st.lists(technique, max_size=3),
        "scientificMetadata": free_form(odd), "jobParameters": free_form(odd),
        "usedSoftware": st.lists(url() | words(), max_size=2), "history": st.just([]), "anUnknownField": t,
    }
    for one, many in (("sampleId", "sampleIds"), ("instrumentId", "instrumentIds"), ("proposalId", "proposalIds")):
        fields[one], fields[many] = identifier(odd), st.lists(identifier(odd), max_size=2)
    return fields


@st.composite
def scicat_dataset(draw: st.DrawFn, pid: str, refs: st.SearchStrategy[str], odd: bool) -> dict[str, Any]:
    r: dict[str, Any] = {draw(st.sampled_from(("_id", "pid"))): pid, "type": draw(st.sampled_from(("raw", "derived")))}
    for key, value in dataset_fields(odd).items():
        optional(draw, r, key, value)
    optional(draw, r, "inputDatasets", st.lists(refs, max_size=3))
    return r


@st.composite
def scicat_records(draw: st.DrawFn, collection: str, pids: list[str], odd: bool) -> Named:
    """1 to 4 records of one collection; PIDs from a small pool, so some are duplicated."""
    pool = draw(st.lists(identifier(odd), min_size=1, max_size=4))
    found: Named = []
    for pid in draw(st.lists(st.sampled_from(pool), min_size=1, max_size=4)):
        t = text(odd)
        refs = st.sampled_from(pids) if pids else identifier(odd)
        if collection == "dataset":
            r = draw(scicat_dataset(pid, refs, odd))
        elif collection == "origdatablock":
            entry = st.fixed_dictionaries({"path": words()}, optional={
                "size": mongo_count(odd), "time": mongo_date(odd), "chk": t, "uid": t, "perm": t})
            r = {"_id": pid, "datasetId": draw(refs), "dataFileList": draw(st.lists(entry, max_size=3))}
            for key in ("chkAlg", "ownerGroup"):
                optional(draw, r, key, t)
            optional(draw, r, "size", mongo_count(odd))
            optional(draw, r, "accessGroups", st.lists(t, max_size=2))
        elif collection == "proposal":
            r = {draw(st.sampled_from(("_id", "proposalId"))): pid}
            for key in ("title", "abstract", "pi_email", "pi_firstname", "pi_lastname", "email", "firstname",
                        "lastname", "ownerGroup"):
                optional(draw, r, key, t)
            optional(draw, r, "MeasurementPeriodList", st.lists(st.fixed_dictionaries(
                {"instrument": t, "start": mongo_date(odd)}), max_size=2))
        elif collection == "sample":
            r = {draw(st.sampled_from(("_id", "sampleId"))): pid}
            optional(draw, r, "description", t)
            optional(draw, r, "sampleCharacteristics", free_form(odd))
            optional(draw, r, "isPublished", st.booleans())
        elif collection == "instrument":
            r = {draw(st.sampled_from(("_id", "pid"))): pid}
            optional(draw, r, "name", t)
            optional(draw, r, "uniqueName", t)
        elif collection == "publisheddata":
            r = {"_id": draw(doi(odd)) if draw(st.booleans()) else pid}
            for key in ("publisher", "title", "abstract", "dataDescription", "resourceType", "status", "thumbnail"):
                optional(draw, r, key, t)
            optional(draw, r, "creator", st.lists(words() | st.sampled_from(("al.", "et al.")), max_size=3))
            optional(draw, r, "publicationYear", st.integers(1900, 2100) if not odd else st.integers())
            optional(draw, r, "pidArray", st.lists(refs, max_size=3))
            optional(draw, r, "registeredTime", mongo_date(odd))
            optional(draw, r, "relatedPublications", st.lists(doi(odd).map(lambda d: f"see doi:{d}.") | t, max_size=2))
            for key in ("url", "downloadLink"):
                optional(draw, r, key, url() | t)
            optional(draw, r, "numberOfFiles", mongo_count(odd))
        else:  # job
            listed = st.lists(st.fixed_dictionaries({"pid": refs}, optional={"files": st.just([])}), max_size=3)
            params = st.builds(lambda free, ds: {**free, "datasetList": ds}, free_form(odd), listed)
            r = {draw(st.sampled_from(("_id", "id"))): pid}
            for key in ("type", "statusCode", "statusMessage", "ownerUser", "ownerGroup", "contactEmail"):
                optional(draw, r, key, t)
            optional(draw, r, "jobParams", params)
            optional(draw, r, "isPublished", st.booleans())
            optional(draw, r, "createdAt", mongo_date(odd))
            optional(draw, r, "updatedAt", mongo_date(odd))
            optional(draw, r, "jobResultObject", free_form(odd))
        found.append((str(next(v for k, v in r.items() if k in ("_id", "pid", "proposalId", "sampleId", "id"))).strip(), r))
    return found


SCICAT_FILES = {"instrument": "Instrument.json", "proposal": "Proposal.json", "sample": "Sample.json",
                "dataset": "Dataset.json", "origdatablock": "OrigDatablock.json", "publisheddata": "PublishedData.json",
                "job": "Job.json"}
SCICAT_REQUIRED = {"dataset": ("type",), "origdatablock": ("datasetId", "dataFileList")}


@st.composite
def scicat(draw: st.DrawFn, odd: bool = False, broken: bool = False) -> Case:
    """A folder of SciCat collection files (datasets always, some of the others); one of them broken if asked."""
    chosen = ["dataset", *draw(st.lists(st.sampled_from([c for c in SCICAT_FILES if c != "dataset"]),
                                        unique=True, max_size=3))]
    datasets = draw(scicat_records("dataset", [], odd))
    pids = [pid for pid, _ in datasets]
    records = {c: datasets if c == "dataset" else draw(scicat_records(c, pids, odd)) for c in chosen}
    case = Case("scicat", {SCICAT_FILES[c]: dumps([r for _, r in named]) for c, named in records.items()})
    if not broken:
        return case
    target = draw(st.sampled_from(chosen))
    records[target], damage = draw(breaking(records[target], SCICAT_REQUIRED.get(target, ())))
    return Case("scicat", {**case.files, SCICAT_FILES[target]: dumps([r for _, r in records[target]])}, damage, case)


# ---------------------------------------------------------------- PaNOSC

PANOSC_MODELS = ("Dataset", "Document", "Instrument", "Technique", "Sample", "Person", "Affiliation", "Member", "File",
                 "Parameter", "DatasetSample", "DatasetTechnique", "DocumentDataset")


@st.composite
def panosc(draw: st.DrawFn, odd: bool = False, broken: bool = False) -> Case:
    """A search-API database: every model with a few records that refer to each other, as JSON text or objects."""
    from loaders.panosc_records import FIELDS, REQUIRED  # the models' own field lists

    t = text(odd)
    pools = {model: draw(st.lists(identifier(odd) | st.integers(1, 9), min_size=1, max_size=3, unique_by=str))
             for model in PANOSC_MODELS}
    refs = {"instrumentId": "Instrument", "datasetId": "Dataset", "documentId": "Document", "personId": "Person",
            "affiliationId": "Affiliation", "sampleId": "Sample", "techniqueId": "Technique"}
    kinds: dict[str, Callable[[str], st.SearchStrategy[Any]]] = {
        "text": lambda name: words() if name in ("title", "name", "fullName", "type") and not odd else t,
        "bool": lambda _: st.booleans(), "int": lambda _: count(odd), "datetime": lambda _: iso_date(odd),
        "date": lambda _: day(odd), "value": lambda _: number(odd) | (t if odd else words()) | st.booleans(),
        "texts": lambda _: st.lists(t, max_size=3),
    }
    tables: dict[str, Named] = {}
    for model in PANOSC_MODELS:
        rows: Named = []
        for key in draw(st.lists(st.sampled_from(pools[model]), min_size=int(model == "Dataset"), max_size=3)):
            record: dict[str, Any] = {}
            for name, kind in FIELDS[model].items():
                if kind == "id":
                    value = st.just(key)
                elif kind == "ref":
                    value = st.sampled_from(pools[refs[name]]) | identifier(odd)
                elif name == "unit":
                    value = unit(odd)
                elif name == "panetId":
                    value = panet() | t
                elif name == "type" and model == "Document":
                    value = st.sampled_from(("proposal", "publication", "Experiment", "dataset")) | words()
                elif name == "doi":
                    value = doi(odd)
                else:
                    value = kinds[kind](name)
                if name in REQUIRED[model]:
                    record[name] = draw(value)
                else:
                    optional(draw, record, name, value)
            rows.append((f"{model} {str(key).strip()}", record))  # the loader strips PIDs
        tables[model] = rows
    as_text, keyed, wrapped = draw(st.booleans()), draw(st.booleans()), draw(st.booleans())

    def body(tables: dict[str, Named]) -> dict[str, bytes]:
        models: dict[str, Any] = {}
        for model, rows in tables.items():
            values = [json.dumps(r) if as_text and isinstance(r, dict) else r for _, r in rows]
            models[model] = {str(n + 1): v for n, v in enumerate(values)} if keyed else values
        ids = {m: len(r) + 1 for m, r in tables.items()}
        return {"db.json": dumps({"ids": ids, "models": models} if wrapped else models)}

    case = Case("panosc", body(tables))
    if not broken:
        return case
    model = draw(st.sampled_from([m for m in PANOSC_MODELS if tables[m]]))
    # a record is named by its model and PID, else by its key in the file or its position
    rows, damage = draw(breaking(tables[model], REQUIRED[model], names=lambda n, name: {
        name, f"{model} {n + 1}", f"{model} #{n + 1}"}))
    return Case("panosc", body({**tables, model: rows}), damage, case)


# ---------------------------------------------------------------- CodeMeta

@st.composite
def codemeta_record(draw: st.DrawFn, odd: bool) -> dict[str, Any]:
    t, names = text(odd), (text(odd) if odd else words())
    person = st.fixed_dictionaries({"@type": st.just("Person")}, optional={
        "givenName": names, "familyName": names, "@id": orcid().map(lambda o: o if o.startswith("http") else
                                                                     f"https://orcid.org/{o}") | url(),
        "email": t, "affiliation": st.fixed_dictionaries({"@type": st.just("Organization"), "name": names}) | names,
    }).filter(lambda p: any(str(p.get(k, "")).strip() for k in ("givenName", "familyName")))
    organization = st.fixed_dictionaries({"@type": st.just("Organization"), "name": names},
                                         optional={"@id": st.just("https://ror.org/02550n020") | url()})
    agents = st.lists(person | organization, max_size=3) | person
    language = words() | st.fixed_dictionaries({"@type": st.just("ComputerLanguage"), "name": names},
                                               optional={"version": t, "url": url()})
    prefix = draw(st.sampled_from(("", "schema:")))
    r: dict[str, Any] = {"@context": "https://w3id.org/codemeta/3.0",
                         "@type": draw(st.sampled_from(("SoftwareSourceCode", "SoftwareApplication"))),
                         prefix + "name": draw(names)}
    optional(draw, r, "identifier", words() | doi(odd) | st.just("swh:1:dir:" + "0" * 40)
             | st.fixed_dictionaries({"@type": st.just("PropertyValue"), "value": words()}))
    for key in ("version", "description", "developmentStatus", "dateCreated", "dateModified", "datePublished"):
        optional(draw, r, prefix + key, t)
    for key in ("codeRepository", "issueTracker", "continuousIntegration", "readme", "downloadUrl", "url"):
        optional(draw, r, key, url())
    optional(draw, r, "license", st.sampled_from(("MIT", "BSD-3-Clause", "https://spdx.org/licenses/MIT"))
             | st.lists(st.just("Apache-2.0"), max_size=2) | st.just({"@id": "https://spdx.org/licenses/GPL-3.0"}))
    for key in ("author", "contributor", "maintainer", "copyrightHolder"):
        optional(draw, r, key, agents)
    optional(draw, r, "funder", organization)
    optional(draw, r, "keywords", st.lists(t, max_size=3) | t)
    for key in ("programmingLanguage", "softwareRequirements", "softwareSuggestions"):
        optional(draw, r, key, st.lists(language, max_size=3) | language)
    for key in ("runtimePlatform", "operatingSystem", "applicationCategory"):
        optional(draw, r, key, st.lists(t, max_size=2) | t)
    optional(draw, r, "referencePublication", doi(odd).map(lambda d: f"https://doi.org/{d}"))
    return r


@st.composite
def codemeta(draw: st.DrawFn, odd: bool = False, broken: bool = False) -> Case:
    """A codemeta.json: one record, a list of them or a JSON-LD ``@graph``."""
    records = draw(st.lists(codemeta_record(odd), min_size=1, max_size=3))
    named: Named = []
    for n, r in enumerate(records, 1):
        name = r.get("name")  # a record goes by its name (unprefixed), else its position
        named.append((name if isinstance(name, str) and name.strip() else f"#{n}", r))
    # (a lone record takes no nesting: wrapped in a list it is a list of records, so not when broken)
    single = len(named) == 1 and not broken
    shape = draw(st.sampled_from(("one", "list", "graph"))) if single else draw(st.sampled_from(("list", "graph")))

    def body(named: Named) -> dict[str, bytes]:
        values = [r for _, r in named]
        return {"codemeta.json": dumps(values[0] if shape == "one" else values if shape == "list" else {
            "@context": "https://w3id.org/codemeta/3.0", "@graph": values})}

    case = Case("codemeta", body(named))
    if not broken:
        return case
    prefixed = {key: {key.split(":", 1)[1]} for r in records for key in r if key.startswith("schema:")}
    named, damage = draw(breaking(named, ("name",), prefixed))  # the mapper names fields without their prefix
    return Case("codemeta", body(named), damage, case)
