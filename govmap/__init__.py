"""govmap: a graph of who is responsible, and accountable, for keeping The Promise.

The library is the product; the API (`govmap.api`), the CLI (`govmap.cli`) and the
renders (`govmap.visualisations`) are thin shells around it. Data flows one way:
seed -> store -> snapshot -> queries and analysis -> API, CLI, renders, reports.
"""

__version__ = "0.1.0"
