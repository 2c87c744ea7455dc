"""Interchange: the map written in, and read from, the formats other tools use.

Each format is one module that registers itself by name (`govmap.interop.registry`);
importing this package registers them all.

>>> "graphml" in FORMATS and FORMATS["graphml"].read is not None
True
"""

from govmap.interop import (  # noqa: F401  (each registers its formats)
    actions_table,
    cypher_script,
    ftm,
    graphs,
    kumu,
    popolo,
    rdf,
    seed_yaml,
)
from govmap.interop.registry import FORMATS, InteropFormat, Row, export_as, interop_format, read_dataset

__all__ = ["FORMATS", "InteropFormat", "Row", "export_as", "interop_format", "read_dataset"]
