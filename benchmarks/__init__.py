"""Performance and accuracy benchmarks (`python -m benchmarks [--quick]`); not timed tests."""
