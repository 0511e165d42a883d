"""Optional integrations stay optional: importing pagetidy never pulls them in."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def test_import_pagetidy_does_not_import_datatrove():
    check = "import pagetidy, sys; assert 'datatrove' not in sys.modules, 'datatrove imported'"
    subprocess.run([sys.executable, "-c", check], check=True)


def test_datatrove_only_in_its_extra():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    assert not any("datatrove" in dep for dep in project["dependencies"])
    assert any(dep.startswith("datatrove") for dep in project["optional-dependencies"]["datatrove"])
