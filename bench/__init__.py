"""The benchmark harness: ``make bench`` (``python -m bench --help``)."""
