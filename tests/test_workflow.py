"""The GitHub Actions workflow that checks and publishes the site, validated with actionlint."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import yaml
from conftest import BIN
from test_fetch import conditional, send, server  # noqa: F401 (fixture)
from test_fetch_command import changed_feed

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
    restore = next(i for i, s in enumerate(steps) if s.get("uses", "").startswith("actions/cache/restore@"))
    save = next(i for i, s in enumerate(steps) if s.get("uses", "").startswith("actions/cache/save@"))
    assert install < restore < check < publish < save
    assert steps[restore]["with"]["path"] == steps[save]["with"]["path"] == ".cache/podsite"
    assert steps[restore]["with"]["key"] == steps[save]["with"]["key"]
    assert any(s.get("uses", "").startswith("actions/setup-python@") for s in steps[:install])


def _steps():
    return yaml.safe_load(WORKFLOW.read_text())["jobs"]["publish"]["steps"]


def test_the_workflow_runs_hourly_and_on_dispatch_and_builds_only_a_changed_feed():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    assert workflow[True]["schedule"] == [{"cron": "17 * * * *"}]
    assert workflow[True]["repository_dispatch"] == {"types": ["new-episode"]}
    steps = _steps()
    fetch = next(i for i, s in enumerate(steps) if "podsite fetch" in s.get("run", ""))
    assert steps[fetch]["if"] == ("github.event_name == 'schedule' || "
                                  "github.event_name == 'repository_dispatch'")
    later = steps[fetch + 1:]
    assert later and all(s["if"] == "steps.feed.outputs.changed != 'false'" for s in later)
    assert steps[fetch]["id"] == "feed"
    assert "--summary \"$GITHUB_STEP_SUMMARY\"" in next(s["run"] for s in later
                                                        if "podsite check" in s.get("run", ""))


def test_the_fetch_step_answers_for_a_feed_on_127_0_0_1(server, project, tmp_path):  # noqa: F811
    """The step's own shell script, run as GitHub runs it (bash -e -o pipefail), against a feed
    that answers 200, then 304, then a changed feed, then an error."""
    script = next(s["run"] for s in _steps() if s.get("id") == "feed")
    (project / "step.sh").write_text(script)
    output, summary = tmp_path / "output", tmp_path / "summary"
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
           "PODCAST_FEED": f"{server.url}/feed", "GITHUB_OUTPUT": str(output),
           "GITHUB_STEP_SUMMARY": str(summary), "NO_MKDOCS_2_WARNING": "1"}
    env.pop("PODCAST_OFFLINE", None)

    def step():
        output.write_text("")
        done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "step.sh"],
                              cwd=project, env=env, capture_output=True, text=True, timeout=120)
        return done.returncode, output.read_text()

    server.routes["/feed"] = conditional(etag='"v1"')
    assert step() == (0, "changed=true\n")
    assert step() == (0, "changed=false\n")
    assert server.requests[-1][1]["If-None-Match"] == '"v1"'
    server.routes["/feed"] = conditional(etag='"v2"', body=changed_feed())
    assert step() == (0, "changed=true\n")
    server.routes["/feed"] = lambda h: send(h, 503, b"busy")
    assert step() == (1, "")  # the run fails, so someone looks
    lines = summary.read_text().split("\n\n")
    assert lines[1].startswith("The feed has not changed since the copy fetched ")
    assert lines[2] == "The feed has changed: 1 new, 2 changed, 1 removed (9 episodes)."
    assert lines[3].startswith(f"The feed could not be fetched: {server.url}/feed: the server "
                               "answered 503")
