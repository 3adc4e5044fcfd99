"""Benchmarks at BACI scale: `python -m benchmarks.run --help`. They measure and record
(benchmarks/RESULTS.md), and never pass or fail on a number."""
