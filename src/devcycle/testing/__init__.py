"""Test support shipped for embedders: Hypothesis strategies and contract test suites.

Importing this package needs the ``test`` extra (Hypothesis, pytest).
"""
