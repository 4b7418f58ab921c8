"""Benchmarks (`make bench`): budgets from DESIGN.md measured here, never by timed assertions in tests."""
