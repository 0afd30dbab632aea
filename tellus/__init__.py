"""The ``tellus`` command line (see cli.py)."""
