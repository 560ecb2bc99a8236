"""Samplers, learners and suites of modinfo, and the ``modinfo`` command line."""

__all__: list[str] = []
