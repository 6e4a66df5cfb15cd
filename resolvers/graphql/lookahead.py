"""Look ahead: what a connection's nodes will ask, loaded with the page, so their fields resolve at once.

A page of 50 datasets with a dozen fields each is 600 resolvers. Each that waits for the batch loader costs
graphql-core a task and a few event-loop turns: about 35 of the 40 ms such a page took at 2,000 datasets went
there, not to the store. So a connection of datasets reads which fields its nodes select (``edges { node { ... } }``
and ``nodes { ... }``, through fragments) and loads them for the whole page before it returns, level by level
(``techniques { label }``: the page's technique links in one batch, then the labels of every technique found in
the next), up to :data:`MAX_LEVELS` levels; the resolvers (:func:`resolvers.graphql.eager.eager`) then find their
data loaded and answer without waiting. Only what is selected is loaded: a page that asks for ``iri`` alone
costs no store query. The store queries are the ones the resolvers would have made, level by level; only the
waiting is gone.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection

from resolvers.graphql.nodes import INFO

Link = tuple[str, str | None]
"""The batch loader's link a field reads (:mod:`resolvers.graphql.batch`), and the type of the nodes it gives
(None: a count, nothing below it)."""

LINKS: dict[str, dict[str, Link]] = {
    "Dataset": {
        "techniques": ("technique", "Technique"), "instrument": ("instrument", "Instrument"),
        "facility": ("facility", "Facility"), "proposal": ("proposal", "Proposal"), "samples": ("sample", "Sample"),
        "parameters": ("parameter", "Parameter"), "files": ("file", "File"), "dois": ("doi", "Doi"),
        "creators": ("creator", "Person"), "software": ("datasetSoftware", "SoftwareVersion"),
        "generatedBy": ("generatedBy", "AnalysisRun"), "derivedFrom": ("derivedFrom", "Dataset"),
        "derivatives": ("derivatives", "Dataset"), "usedBy": ("usedBy", "AnalysisRun"),
        "citedBy": ("citedBy", "Publication"), "citationCount": ("citedBy", None), "cites": ("cites", "Doi"),
    },
    "SoftwareVersion": {
        "software": ("versionOf", "Software"), "dois": ("doi", "Doi"), "runs": ("runs", "AnalysisRun"),
        "datasets": ("versionDatasets", "Dataset"), "citedBy": ("citedBy", "Publication"),
        "citationCount": ("citedBy", None),
    },
    "Software": {
        "techniques": ("technique", "Technique"), "versions": ("versions", "SoftwareVersion"),
        "citedBy": ("softwareCitedBy", "Publication"), "citationCount": ("softwareCitedBy", None),
    },
    "Publication": {
        "authors": ("creator", "Person"), "cites": ("cites", "Doi"), "citedBy": ("citedBy", "Publication"),
        "citationCount": ("citedBy", None),
    },
    "Doi": {
        "datasets": ("parts", "Dataset"), "software": ("doiSoftware", "SoftwareVersion"),
        "citedBy": ("citedBy", "Publication"), "citationCount": ("citedBy", None),
    },
    "Technique": {"parents": ("parents", "Technique"), "children": ("children", "Technique")},
    "Instrument": {"facility": ("facility", "Facility"), "techniques": ("technique", "Technique")},
    "Facility": {"instruments": ("instruments", "Instrument")},
    "Proposal": {"facility": ("facility", "Facility"), "principalInvestigator": ("principalInvestigator", "Person")},
    "Person": {"affiliations": ("affiliation", "Organization"), "datasets": ("personDatasets", "Dataset"),
               "publications": ("personPublications", "Publication")},
    "Sample": {"parameters": ("parameter", "Parameter")},
    "Parameter": {}, "File": {}, "Organization": {}, "AnalysisRun": {},
}
"""Per node type, its link fields (GraphQL names); every other field of a type listed here reads the node's
properties, except a field with arguments (a connection: it looks ahead itself). A type or field missing here
costs a wait, never a wrong answer: what is not loaded ahead is loaded when asked."""

MAX_LEVELS = 4
"""Levels loaded ahead of a page (each one store query); deeper fields are loaded as they are asked."""

_FREE = {"iri", "__typename"}


def _fields(selections: Iterable[Selection]) -> Iterator[SelectedField]:
    """The fields of ``selections``, fragments opened."""
    for selection in selections:
        if isinstance(selection, SelectedField):
            yield selection
        elif isinstance(selection, (FragmentSpread, InlineFragment)):
            yield from _fields(selection.selections)


def node_selections(info: INFO) -> list[SelectedField]:
    """The fields selected on the nodes of the connection being resolved (``edges { node }`` and ``nodes``)."""
    found: list[SelectedField] = []
    for connection in info.selected_fields:
        for part in _fields(connection.selections):
            if part.name == "nodes":
                found += _fields(part.selections)
            elif part.name == "edges":
                for node in (f for f in _fields(part.selections) if f.name == "node"):
                    found += _fields(node.selections)
    return found


async def load_datasets(info: INFO, iris: list[str]) -> None:
    """Load what the selected fields of a page of datasets read, level by level (one batch each), before the
    fields resolve."""
    batch = info.context.batch
    level: list[tuple[str, list[str], list[SelectedField]]] = [("Dataset", iris, node_selections(info))]
    for _ in range(MAX_LEVELS):
        keys: list[tuple[str, str]] = []
        below: list[tuple[str, str, list[str], list[SelectedField]]] = []
        for type_name, nodes, selected in level:
            links = LINKS.get(type_name)
            if links is None or not nodes:
                continue
            for field in selected:
                if field.name in _FREE or field.arguments:
                    continue
                link, child = links.get(field.name, ("props", None))
                keys += [(link, node) for node in nodes]
                if child is not None and field.selections:
                    below.append((link, child, nodes, list(_fields(field.selections))))
        if not keys:
            return
        await batch.prefetch(list(dict.fromkeys(keys)))
        level = []
        for link, child, nodes, selected in below:
            found = sorted({str(o) for node in nodes for o in batch.loaded(link, node)})
            level.append((child, found, selected))
