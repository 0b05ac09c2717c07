"""Shared test configuration: Hypothesis profiles and common fixtures."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# Three profiles, chosen with HYPOTHESIS_PROFILE:
# - dev (default): fast, random examples for local runs;
# - ci: thorough but derandomised, so that a run gives the same verdict on the same code
#   and a landing never turns on the luck of the draw;
# - hunt: many random examples, for hunting bugs before a release (`scripts/hunt`);
# - wheel: few derandomised examples, for the second run of the suite against the built
#   wheel in CI (the thorough run has already been made against the source).
_SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large]
# Every profile suppresses the health checks that measure the machine's speed: on a slow or
# busy machine they failed tests that were right, which is a test that turns on timing.
settings.register_profile("dev", max_examples=25, deadline=None, suppress_health_check=_SLOW_OK)
settings.register_profile(
    "ci",
    max_examples=120,
    deadline=None,
    derandomize=True,
    suppress_health_check=_SLOW_OK,
    print_blob=True,
)
settings.register_profile(
    "hunt",
    max_examples=2_000,
    deadline=None,
    suppress_health_check=_SLOW_OK,
    print_blob=True,
)
settings.register_profile(
    "wheel",
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=_SLOW_OK,
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
