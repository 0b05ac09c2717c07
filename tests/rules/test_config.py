"""Per-school configuration from TOML: lexicons, severities, thresholds, window."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from devcycle.errors import ConfigError
from devcycle.rules import CheckConfig, CheckContext, Severity, check, load_config

CONFIG = """
[check]
ignore = ["L702"]
fail-on = "warning"
max-objectives = 4
window = ["2026-09-01", "2027-08-31"]

[check.severity]
P602 = "error"
vague-aim = "warning"

[check.lexicons]
trivial = ["minibus rota"]
"""


def test_a_school_configuration_loads(tmp_path: Path) -> None:
    """Every key is read from the [check] table."""
    path = tmp_path / "devcycle.toml"
    path.write_text(CONFIG, encoding="utf-8")

    config = load_config(path)

    assert config.ignore == ("L702",)
    assert config.fail_on is Severity.WARNING
    assert config.max_objectives == 4
    assert config.window == (date(2026, 9, 1), date(2027, 8, 31))
    assert config.severities["P602"] is Severity.ERROR


def test_lexicon_additions_and_severities_change_findings(tmp_path: Path) -> None:
    """A school's own trivial word is flagged; a severity override applies."""
    path = tmp_path / "devcycle.toml"
    path.write_text(CONFIG, encoding="utf-8")
    config = load_config(path)

    trivial = check("Keep the minibus rota up to date by Easter.", config=config)
    vague = check("Improve my teaching.", config=config)

    assert "R401" in {f.code for f in trivial.findings}
    assert "R401" not in {f.code for f in check("Keep the minibus rota up to date.").findings}
    assert next(f for f in vague.findings if f.code == "S101").severity is Severity.WARNING


def test_the_configured_window_applies_without_a_cycle() -> None:
    """config.window stands in for the cycle when no context gives one."""
    config = CheckConfig(window=(date(2026, 9, 1), date(2027, 8, 31)))

    result = check("Finish the unit by 31/12/2030.", config=config)

    assert "T502" in {f.code for f in result.findings}
    assert "T502" not in {
        f.code
        for f in check(
            "Finish the unit by 31/12/2030.",
            config=config,
            context=CheckContext(window=(date(2030, 9, 1), date(2031, 8, 31))),
        ).findings
    }


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("[check]\nmax-objectives = 0\n", "max-objectives"),
        ("[check]\nfail-on = 'fatal'\n", "fail-on must be one of: info, warning, error"),
        ("[check]\ncolour = 'red'\n", "unknown key check.colour"),
        ("[check.lexicons]\nunicorns = ['x']\n", "check.lexicons.unicorns is not a lexicon"),
        ("[check]\nwindow = ['2027-01-01', '2026-01-01']\n", "check.window"),
        ("[check\n", "not valid TOML"),
    ],
)
def test_bad_configuration_names_the_key(tmp_path: Path, text: str, match: str) -> None:
    """Config errors name the key and what is accepted."""
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(ConfigError, match=match):
        load_config(path)


def test_a_missing_file_is_a_config_error(tmp_path: Path) -> None:
    """A missing file is reported with its name."""
    with pytest.raises(ConfigError, match=r"missing\.toml"):
        load_config(tmp_path / "missing.toml")
