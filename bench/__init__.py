"""The benchmark (docs/PERFORMANCE.md): `make bench N=…` or `python -m bench --count N`."""
