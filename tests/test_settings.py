"""pankg/settings.py: one object holds every setting; the table in docs/cli.md names each variable it reads."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from graph.errors import PankgError
from pankg.settings import VARIABLES, Settings
from resolvers.limits import ServerLimits
from resolvers.sparql_limits import Limits
from tests.helpers import ROOT


def variables_read() -> set[str]:
    """Every ``PANKG_*`` variable the settings read: their own, the limits' and the SPARQL services'."""
    limits = {f.metadata["env"] for f in dataclasses.fields(Limits)} | {v for v, _, _ in ServerLimits.settings()}
    return set(VARIABLES) | limits | {"PANKG_SPARQL_SERVICES"}


def test_every_variable_is_in_the_one_table_and_the_table_names_no_other() -> None:
    text = (ROOT / "docs" / "cli.md").read_text()
    table = text[text.index("| variable | default | used for |"):]
    table = table[: table.index("\n\n")]
    documented = set(re.findall(r"`(PANKG_[A-Z_]+)`", table))
    assert documented == variables_read()


def test_every_field_named_in_variables_is_a_field() -> None:
    fields = {f.name for f in dataclasses.fields(Settings)}
    assert set(VARIABLES.values()) <= fields


def test_settings_come_from_the_mapping_given_and_options_win(tmp_path: Path) -> None:
    env = {"PANKG_DATA": str(tmp_path / "kg"), "PANKG_SCICAT_TOKEN": " secret ", "PANKG_PANET_REASON": "NEVER",
           "PANKG_ASSETS": str(tmp_path / "a"), "PANKG_NPM_REGISTRY": "http://127.0.0.1:9/",
           "PANKG_TECHNIQUE_NAMES": str(tmp_path / "names.yaml"), "PANKG_PORT": "9001"}
    settings = Settings.from_env(env=env, serving=True)
    assert (settings.data, settings.scicat_token, settings.panet_reason) == (tmp_path / "kg", "secret", "never")
    assert (settings.assets, settings.npm_registry, settings.port) == (tmp_path / "a", "http://127.0.0.1:9/", 9001)
    assert settings.technique_names == tmp_path / "names.yaml"
    assert "secret" not in repr(settings)  # a token is never printed
    chosen = Settings.from_env(str(tmp_path / "other"), port=1234, env=env, serving=True,
                               technique_names=tmp_path / "x.yaml")
    assert (chosen.data, chosen.port, chosen.technique_names) == (tmp_path / "other", 1234, tmp_path / "x.yaml")
    cached = Settings.from_env(env={"XDG_CACHE_HOME": str(tmp_path / "c")})
    assert cached.assets.parent == tmp_path / "c" / "pankg"


@pytest.mark.parametrize(("variable", "value"), [("PANKG_PANET_REASON", "sometimes"), ("PANKG_PORT", "http"),
                                                 ("PANKG_BASE_IRI", "urn:x"), ("PANKG_QUERY_TIMEOUT", "-1")])
def test_a_bad_value_names_its_variable(variable: str, value: str) -> None:
    with pytest.raises(PankgError, match=variable):
        Settings.from_env(env={variable: value}, serving=True)
