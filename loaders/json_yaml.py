"""JSON and YAML as every loader reads them: one door, so that each loader refuses the same things the same way.

JSON (SciCat, PaNOSC, DataCite, Crossref and CodeMeta files, PaNOSC's records held as JSON text). orjson reads
a file first: it is fast and strict. What it refuses goes to the standard parser, which names the line and
column of real errors and reads what orjson cannot though it is JSON:

- a number too large for a double (``1e400``, an integer of 5,000 digits) is read as infinity (Python's own
  ``int`` would refuse more than 4,300 digits with an exception of its own); the field that holds it then
  refuses it, naming itself, or keeps it as a value without an SI value;
- ``NaN`` and ``Infinity``, which are not JSON, are refused;
- nesting too deep for the parser (a file of 100,000 ``[``) is refused, not a ``RecursionError``;
- a string holding a lone surrogate (``"\\ud800"``: JSON's grammar allows the escape, but it stands for no
  character, and no text can be written with it) is refused, naming where it is. Like bytes that are not
  UTF-8, this is a fault of the file's text, found before its records are read: the error names the file
  and the JSON path (``[2].titles[1].title``), not a record.

YAML (ICAT dumps, software catalogues): the safe loader, with three changes. A plain scalar that YAML takes for
a timestamp but that is no date (``2020-02-30``) stays text, so that the field refuses it, naming itself, rather
than the parser; lone surrogates (YAML's ``"\\ud800"`` escape) and nesting too deep are refused, naming the
file; and so are aliases that stand for more than :data:`MAX_ALIASED_NODES` nodes (a YAML "billion laughs").
Every refusal is :class:`~graph.errors.RecordInvalid` naming the file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import yaml

from graph.errors import RecordInvalid, SourceUnavailable

MAX_INT_DIGITS = 4300
"""Python's own limit on the digits ``int`` converts from text; longer integers are read as floats (infinity)."""
_SURROGATE = re.compile("[\ud800-\udfff]")


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SourceUnavailable(f"{path}: cannot read: {exc.strerror or exc}") from None


def read_json(path: Path) -> Any:
    """The parsed content of a JSON file; anything that is not JSON is :class:`RecordInvalid` naming the file."""
    return parse_json(read_bytes(path), str(path))


def parse_json(data: bytes | str, file: str = "") -> Any:
    """Parsed JSON text (see the module docstring); errors name ``file`` (a record's JSON text: none, the
    caller names the record)."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        pass
    try:
        value = json.loads(data, parse_int=_integer, parse_constant=_not_json)
    except RecursionError:
        raise RecordInvalid("not valid JSON: nested too deeply to read", file=file) from None
    except ValueError as exc:  # JSONDecodeError names line and column; UnicodeDecodeError the byte
        raise RecordInvalid(f"not valid JSON: {exc}", file=file) from None
    where = lone_surrogate(value)
    if where is not None:
        raise RecordInvalid(f"not valid JSON: the string at {where or 'the top'} holds a lone surrogate (an escape "
                            "such as \\ud800 that stands for no character)", file=file)
    return value


def _integer(text: str) -> int | float:
    return int(text) if len(text.lstrip("-")) <= MAX_INT_DIGITS else float(text)


def _not_json(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def lone_surrogate(value: Any) -> str | None:
    """The path (``[2].titles[1].title``; "" for the value itself) of the first string or key that holds a lone
    surrogate, or None. Containers met twice (YAML aliases) are walked once."""
    for path, text in _strings(value):
        if not text.isascii() and _SURROGATE.search(text):
            return path
    return None


def _strings(value: Any) -> Iterator[tuple[str, str]]:
    stack: list[tuple[str, Any]] = [("", value)]
    seen: set[int] = set()
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            yield path, item
        elif isinstance(item, (dict, list)):
            if id(item) in seen:
                continue
            seen.add(id(item))
            if isinstance(item, dict):
                for key, inner in item.items():
                    step = f"{path}.{key}" if path else str(key)
                    if isinstance(key, str):
                        yield step, key
                    stack.append((step, inner))
            else:
                stack.extend((f"{path}[{n}]", inner) for n, inner in enumerate(item))


MAX_ALIASED_NODES = 100_000
"""Nodes YAML aliases may stand for, counted as if written out: nested aliases (``b: [*a, *a, ...]`` nine levels
deep) make a file of a few hundred bytes stand for a billion nodes, which a loader walking it would never finish;
a python-icat dump or a software catalogue uses few aliases, if any."""


class SafeLoader(yaml.SafeLoader):
    """Safe YAML (no Python objects); a timestamp that is no date stays the text it was, an integer of more
    digits than Python converts is read as a float (infinity), as in JSON, and aliases may stand for at most
    :data:`MAX_ALIASED_NODES` nodes."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            anchored = self.anchors.get(self.peek_event().anchor)
            if anchored is not None:
                aliased = getattr(self, "_aliased", 0) + _expanded(anchored, self.__dict__.setdefault("_sizes", {}))
                self._aliased = aliased
                if aliased > MAX_ALIASED_NODES:
                    raise yaml.composer.ComposerError(
                        None, None, f"its aliases stand for more than {MAX_ALIASED_NODES:,} nodes (an alias bomb?)",
                        self.peek_event().start_mark)
        return super().compose_node(parent, index)

    def construct_yaml_int(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_int(node)
        except ValueError:
            text = str(self.construct_scalar(node)).replace("_", "")
            if text.lstrip("+-").isdigit():
                return float(text)
            raise

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError, AttributeError):  # AttributeError: "!!timestamp xyz" matches no form
            return self.construct_scalar(node)


def _expanded(node: yaml.Node, sizes: dict[int, int]) -> int:
    """How many nodes ``node`` stands for, written out (aliases counted each time); memoized by node."""
    known = sizes.get(id(node))
    if known is not None:
        return known
    if isinstance(node, yaml.SequenceNode):
        size = 1 + sum(_expanded(item, sizes) for item in node.value)
    elif isinstance(node, yaml.MappingNode):
        size = 1 + sum(_expanded(k, sizes) + _expanded(v, sizes) for k, v in node.value)
    else:
        size = 1
    sizes[id(node)] = size
    return size


SafeLoader.add_constructor("tag:yaml.org,2002:timestamp", SafeLoader.construct_yaml_timestamp)
SafeLoader.add_constructor("tag:yaml.org,2002:int", SafeLoader.construct_yaml_int)


def read_yaml(path: Path, *, many: bool = False, loader: type[SafeLoader] = SafeLoader) -> Any:
    """The document of a YAML file (``many``: the list of its documents); see the module docstring."""
    try:
        text = read_bytes(path).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RecordInvalid(f"not valid YAML: not UTF-8 text: {exc}", file=str(path)) from None
    try:
        value: Any = list(yaml.load_all(text, Loader=loader)) if many else yaml.load(text, Loader=loader)
    except RecursionError:
        raise RecordInvalid("not valid YAML: nested too deeply to read", file=str(path)) from None
    except Exception as exc:  # noqa: BLE001 - YAMLError, and Python's own errors that PyYAML's constructors let
        # out for a tagged scalar that is not of its tag (!!float abc: ValueError, !!bool maybe: KeyError)
        reason = " ".join(str(exc).split()) if isinstance(exc, yaml.YAMLError) else f"{type(exc).__name__}: {exc}"
        raise RecordInvalid(f"not valid YAML: {reason}", file=str(path)) from None
    where = lone_surrogate(value)
    if where is not None:
        raise RecordInvalid(f"not valid YAML: the string at {where or 'the top'} holds a lone surrogate (an escape "
                            "such as \\ud800 that stands for no character)", file=str(path))
    return value
