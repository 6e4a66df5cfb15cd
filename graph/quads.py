"""What the model produces: quads of N-Triples text with the access level that picks their named graph.

Kept apart from :mod:`graph.model` so that the modules holding groups of mappers (such as
:mod:`graph.scholarly`) share these names without importing the model they are part of.
"""

from __future__ import annotations

from typing import Literal

Access = Literal["public", "restricted"]
Quad = tuple[str, str, str, Access]

PUBLIC: Access = "public"
RESTRICTED: Access = "restricted"
