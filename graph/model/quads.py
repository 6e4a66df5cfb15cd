"""What the model produces: quads of N-Triples text with the access key that picks their named graph.

Kept apart from :mod:`graph.model.writer` so that the modules holding groups of mappers (such as
:mod:`graph.model.scholarly`) share these names without importing the model they are part of. The access key
is ``"public"``, ``"restricted"`` (staff only) or a restricted key naming the group entitled to the quad
(:mod:`graph.model.access`); each key gets its own named graph.
"""

from __future__ import annotations

Access = str
"""An access key (:mod:`graph.model.access`): ``public``, ``restricted`` or
``restricted:<reader>[,<reader>...][@<date>]``."""
Quad = tuple[str, str, str, Access]

PUBLIC: Access = "public"
RESTRICTED: Access = "restricted"
