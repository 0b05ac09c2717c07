"""No Hypothesis profile makes a verdict turn on the machine's speed (issue 14).

Timing the newcomer path from a fresh clone on a busy machine, the suite failed with
"Input generation is slow" from a strategy that is right: a health check that measures the
machine's speed. The run used Hypothesis' own default profile, whose health checks the
``dev`` profile (the README's command 2) shared.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings

PROFILES = ("dev", "ci", "hunt", "wheel")


@pytest.mark.parametrize("name", PROFILES)
def test_each_profile_ignores_how_fast_the_machine_is(name: str) -> None:
    profile = settings.get_profile(name)
    assert profile.deadline is None
    assert HealthCheck.too_slow in profile.suppress_health_check
