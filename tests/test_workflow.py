"""The GitHub Actions workflow that checks and publishes the site, validated with actionlint."""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml
from conftest import BIN

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github/workflows/publish.yml"


def actionlint(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "actionlint"), "-no-color", str(path)], capture_output=True,
                          text=True, timeout=60)


def test_actionlint_accepts_the_workflow():
    result = actionlint(WORKFLOW)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_actionlint_would_catch_a_mistake(tmp_path):
    broken = tmp_path / "publish.yml"
    broken.write_text(WORKFLOW.read_text().replace("${{ github.run_id }}", "${{ github.run_idd }}"))
    result = actionlint(broken)
    assert result.returncode == 1 and 'property "run_idd" is not defined' in result.stdout


def test_the_workflow_checks_strictly_then_publishes_on_push_to_main():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    assert workflow[True]["push"]["branches"] == ["main"]  # YAML 1.1 reads the key `on` as True
    assert workflow["permissions"] == {"contents": "write"}
    steps = workflow["jobs"]["publish"]["steps"]
    runs = [s.get("run", "") for s in steps]
    check = next(i for i, r in enumerate(runs) if "podsite check --strict" in r)
    publish = next(i for i, r in enumerate(runs) if "podsite publish" in r)
    install = next(i for i, r in enumerate(runs) if "pip install ." in r)
    cache = next(i for i, s in enumerate(steps) if s.get("uses", "").startswith("actions/cache@"))
    assert install < cache < check < publish
    assert steps[cache]["with"]["path"] == ".cache/podsite"
    assert any(s.get("uses", "").startswith("actions/setup-python@") for s in steps[:install])
