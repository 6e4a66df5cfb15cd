"""Hypothesis strategies for ICAT dumps as python-icat writes them: ``icatdump -f YAML`` and ``icatdump -f XML``.

A dump is built once as plain data, the sections of an icatdump (objects keyed by dump key, references by
key), from the fields docs/mapping-icat.md lists and the shape of the reference dumps
(../shared/reference/catalogues/icat), and written as YAML (in several documents, as python-icat does, with
real YAML timestamps) or as XML (:func:`tests.loaders.test_icat_xml.to_xml`). XML has only text, so an XML
case holds text that XML 1.0 can carry, and its break is a dropped required field rather than a wrong type.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

import yaml
from hypothesis import strategies as st

from graph.model.relations import RELATION_TYPES
from tests.loaders.fuzz_cases import Broken, Case, Named, breaking, xml_clean
from tests.loaders.fuzz_values import (
    count,
    datetimes,
    day,
    doi,
    identifier,
    iso_date,
    number,
    orcid,
    panet,
    text,
    unit,
    words,
)
from tests.loaders.test_icat_xml import to_xml


class Plain(str):
    """A string YAML writes unquoted, so that an impossible date (2020-02-30) reaches the reader as a timestamp."""


def _plain(dumper: yaml.SafeDumper, value: Plain) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", str(value))


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(Plain, _plain)


# ---------------------------------------------------------------- ICAT

@cache
def icat_moment(odd: bool) -> st.SearchStrategy[Any]:
    """A date and time as a YAML dump holds it: a timestamp, a quoted ISO string, or a bare impossible date."""
    found = st.one_of(datetimes(odd), datetimes(odd).map(lambda d: d.isoformat()), day(False).map(dt.date.fromisoformat))
    if odd:
        found |= st.sampled_from((Plain("2020-02-30"), Plain("2021-13-01 10:00:00"))) | iso_date(True)
    return found


ICAT_REQUIRED = {"facility": ("name",), "technique": ("pid",), "instrument": ("facility", "name"),
                 "investigation": ("facility", "name"), "sample": ("investigation", "name"),
                 "dataset": ("investigation", "name"), "job": ("application",), "publication": ("fullReference",),
                 "dataPublication": ("facility", "pid", "title")}


@st.composite
def icat_sections(draw: st.DrawFn, odd: bool) -> dict[str, dict[str, Any]]:
    """An icatdump's sections: a few objects of every mapped entity and of those they refer to."""
    t, name = text(odd), (text(odd) if odd else words())
    s: dict[str, dict[str, Any]] = {}

    def objects(entity: str, build: Any, low: int = 1, high: int = 2) -> list[str]:
        keys = [f"{entity.capitalize()}_{n}" for n in range(draw(st.integers(low, high)))]
        s[entity] = {key: draw(build) for key in keys}
        return keys

    def ref(keys: list[str]) -> st.SearchStrategy[str]:  # a reference, dangling now and then (a warning)
        return st.sampled_from(keys) | st.just("Dangling_key") if keys else st.just("Dangling_key")

    def params(types: list[str]) -> st.SearchStrategy[list[dict[str, Any]]]:
        value = st.one_of(st.fixed_dictionaries({"numericValue": number(odd)}),
                          st.fixed_dictionaries({"stringValue": words() if not odd else t}),
                          st.fixed_dictionaries({"dateTimeValue": icat_moment(odd)}))
        return st.lists(st.builds(lambda v, ty: {**v, "type": ty}, value, ref(types)), max_size=2)

    fac = objects("facility", st.fixed_dictionaries({"name": name}, optional={"fullName": t, "url": t,
                                                                                "description": t}))
    tech = objects("technique", st.fixed_dictionaries(
        {"pid": panet().map(lambda p: f"http://purl.org/pan-science/PaNET/{p}") | panet().map(lambda p: f"panet:{p}")},
        optional={"name": t}), 0, 2)
    users = objects("user", st.fixed_dictionaries({"name": name}, optional={
        "fullName": t, "givenName": t, "familyName": t, "email": t, "orcidId": orcid() | t}), 0, 3)
    inst = objects("instrument", st.fixed_dictionaries({"facility": ref(fac), "name": name}, optional={
        "fullName": t, "technique": ref(tech), "instrumentTechniques": st.lists(
            st.fixed_dictionaries({"technique": ref(tech)}), max_size=2)}), 0, 2)
    ptypes = objects("parameterType", st.fixed_dictionaries({"facility": ref(fac), "name": name, "units": unit(odd)},
                                                            optional={"unitsFullName": t}), 0, 2)
    dtypes = objects("datasetType", st.fixed_dictionaries({"facility": ref(fac), "name": st.sampled_from(
        ("raw", "analyzed", "other")) | name}), 0, 2)
    stypes = objects("sampleType", st.fixed_dictionaries({"facility": ref(fac), "name": name},
                                                         optional={"molecularFormula": t}), 0, 1)
    invs = objects("investigation", st.fixed_dictionaries({"facility": ref(fac), "name": name}, optional={
        "visitId": t | st.integers(0, 9), "title": t, "summary": t, "releaseDate": icat_moment(odd),
        "startDate": icat_moment(odd), "doi": doi(odd), "keywords": st.lists(st.fixed_dictionaries({"name": t}),
                                                                             max_size=2),
        "investigationUsers": st.lists(st.fixed_dictionaries({"user": ref(users)}, optional={
            "role": st.sampled_from(("principal_investigator", "pi", "member")) | t}), max_size=2),
        "investigationInstruments": st.lists(st.fixed_dictionaries({"instrument": ref(inst)}), max_size=2)}))
    samples = objects("sample", st.fixed_dictionaries({"investigation": st.sampled_from(invs), "name": name}, optional={
        "type": ref(stypes), "parameters": params(ptypes)}), 0, 2)
    datasets = objects("dataset", st.fixed_dictionaries({"investigation": st.sampled_from(invs), "name": name}, optional={
        "type": ref(dtypes), "description": t, "startDate": icat_moment(odd), "releaseDate": icat_moment(odd),
        "doi": doi(odd), "complete": st.booleans(), "sample": ref(samples), "parameters": params(ptypes),
        "datasetTechniques": st.lists(st.fixed_dictionaries({"technique": ref(tech)}), max_size=2)}), 0, 3)
    files = objects("datafile", st.fixed_dictionaries({"dataset": ref(datasets), "name": name}, optional={
        "location": t, "fileSize": count(odd), "checksum": t, "datafileModTime": icat_moment(odd)}), 0, 3)
    collections = objects("dataCollection", st.fixed_dictionaries({}, optional={
        "dataCollectionDatasets": st.lists(st.fixed_dictionaries({"dataset": ref(datasets)}), max_size=2),
        "dataCollectionDatafiles": st.lists(st.fixed_dictionaries({"datafile": ref(files)}), max_size=2)}), 0, 2)
    apps = objects("application", st.fixed_dictionaries({"facility": ref(fac), "name": name},
                                                        optional={"version": t | st.integers(0, 99)}), 0, 1)
    objects("job", st.fixed_dictionaries({"application": ref(apps)}, optional={
        "inputDataCollection": ref(collections), "outputDataCollection": ref(collections), "arguments": t}), 0, 2)
    objects("publication", st.fixed_dictionaries({"fullReference": words() if not odd else t}, optional={
        "doi": doi(odd), "investigation": ref(invs)}), 0, 1)
    objects("dataPublication", st.fixed_dictionaries(
        {"facility": ref(fac), "pid": doi(odd).map(lambda d: f"DOI:{d}") | identifier(odd),
         "title": words() if not odd else t},
        optional={"content": ref(collections), "publicationDate": icat_moment(odd), "description": t,
                  "dataPublicationUsers": st.lists(st.fixed_dictionaries({"user": ref(users)}, optional={
                      "contributorType": st.sampled_from(("Creator", "Editor")), "orderKey": t}), max_size=2),
                  "relatedItems": st.lists(st.fixed_dictionaries({"identifier": words(), "relationType": st.sampled_from(
                      RELATION_TYPES)}), max_size=2)}), 0, 1)
    return s


@st.composite
def icat(draw: st.DrawFn, odd: bool = False, broken: bool = False, xml: bool | None = None) -> Case:
    """An icatdump, as YAML (several documents) or as XML; one mapped object broken if asked."""
    as_xml = draw(st.booleans()) if xml is None else xml
    sections = draw(icat_sections(odd))
    if as_xml:
        sections = xml_clean(sections)
    split = draw(st.integers(0, len(sections)))  # python-icat writes a dump in several YAML documents

    def body(sections: dict[str, dict[str, Any]]) -> dict[str, bytes]:
        if as_xml:
            return {"dump.xml": to_xml([sections]).encode()}
        names = list(sections)
        documents = [{n: sections[n] for n in names[:split]}, {n: sections[n] for n in names[split:]}]
        return {"dump.yaml": ("%YAML 1.1\n# Generator: icatdump (pankg fuzz)\n" + yaml.dump_all(
            [d for d in documents if d], Dumper=_Dumper, explicit_start=True, allow_unicode=True,
            sort_keys=False)).encode()}

    case = Case("icat", body(sections))
    if not broken:
        return case
    entity = draw(st.sampled_from([e for e in ICAT_REQUIRED if sections.get(e)]))
    named: Named = list(sections[entity].items())
    if as_xml:  # XML has no types and no nesting: a required field dropped
        key, obj = draw(st.sampled_from(named))
        field = draw(st.sampled_from([f for f in ICAT_REQUIRED[entity] if f in obj]))
        changed = {**sections[entity], key: {k: v for k, v in obj.items() if k != field}}
        damage = Broken(frozenset({key}), frozenset({field}), f"{field} dropped", must_refuse=True)
    else:
        rows, damage = draw(breaking(named, ICAT_REQUIRED[entity], names=lambda n, name: {name}))
        changed = dict(rows)
    return Case("icat", body({**sections, entity: changed}), damage, case)
