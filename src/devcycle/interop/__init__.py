"""Adapters to other formats and systems: each imports its optional library itself."""
