"""Benchmarks: `make bench` (python -m benchmarks) prints figures and ratios, each
against a baseline run in the same process."""
