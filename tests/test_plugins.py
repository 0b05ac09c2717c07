"""The suite loads only the pytest plugins it names (pyproject.toml's addopts).

CI runs in a Python that may hold pytest plugins the project never asked for. One of them,
an older pytest-benchmark, warns at start-up when pytest-xdist is active; the suite turns
warnings into errors, so the whole run stopped before its first test (stop 34: exit 3 after
80 s). The suite now disables plugin autoloading and names its own plugins with -p.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_FOREIGN = """
import warnings


def pytest_configure(config):
    warnings.warn(UserWarning("a plugin this project never asked for was loaded"))
"""


def _foreign_plugin(where: Path) -> None:
    """Install, on *where*, a distribution whose pytest11 entry point warns at start-up."""
    (where / "foreign_plugin.py").write_text(_FOREIGN, encoding="utf-8")
    info = where / "foreign_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: foreign-plugin\nVersion: 1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        "[pytest11]\nforeign = foreign_plugin\n", encoding="utf-8"
    )


def test_a_plugin_installed_beside_the_suite_is_not_loaded(tmp_path: Path) -> None:
    _foreign_plugin(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "DEVCYCLE_"))}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tmp_path), env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--co", "-q"]
    # with workers (as scripts/test runs) and without
    for spread in (["-n", "1"], ["-n", "0"]):
        result = subprocess.run(
            [*command, *spread, "tests/test_workers.py"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "never asked for" not in result.stdout + result.stderr


def test_the_suite_s_own_plugins_are_loaded(pytestconfig: object) -> None:
    import pytest

    assert isinstance(pytestconfig, pytest.Config)
    manager = pytestconfig.pluginmanager
    assert manager.has_plugin("xdist")  # scripts/test's -n auto
    assert manager.has_plugin("hypothesispytest")  # Hypothesis's reports and options
