"""Whole-graph analysis built on the queries: structure metrics, what-if scenarios,
streamlining recommendations."""
