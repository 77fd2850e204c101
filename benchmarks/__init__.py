"""Benchmarks for syndet: a seeded synthetic corpus and the runs that measure speed and accuracy on it."""
