"""`mkdocs gh-deploy` into a real bare git remote, and `mkdocs serve` reloading on an edit."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from conftest import BIN, edit, mkdocs

GIT_ENV = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.invalid",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.invalid"}


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                            env={**os.environ, **GIT_ENV}, check=True)
    return result.stdout


def test_gh_deploy_publishes_every_episode_page(project, tmp_path):
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--bare", "-q", str(remote))
    git(project, "init", "-q", "-b", "main")
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "sample")
    git(project, "remote", "add", "origin", str(remote))

    result = mkdocs(project, "gh-deploy", "--strict", env=GIT_ENV)
    assert result.returncode == 0, result.stderr

    published = git(remote, "ls-tree", "-r", "--name-only", "gh-pages").split()
    episodes = {p for p in published if p.startswith("episodes/") and p.endswith("/index.html")
                and not p.endswith("/embed/index.html")}
    assert "episodes/building-alliances-the-four-packs/index.html" in episodes
    assert len(episodes - {"episodes/index.html"}) == 9
    assert "episodes/building-alliances-the-four-packs/embed/index.html" in published
    assert "pagefind/pagefind.js" in published
    # nothing of the staging machinery reaches the branch or lingers on disk
    assert not any("podsite-new" in p for p in published)
    assert not (project / "site.podsite-new").exists()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode()


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_serve_rebuilds_once_after_a_note_is_edited(project, tmp_path):
    port = free_port()
    log_path = tmp_path / "serve.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [str(BIN / "mkdocs"), "serve", "-a", f"127.0.0.1:{port}"], cwd=project, stdout=log,
            stderr=subprocess.STDOUT, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    try:
        page = f"http://127.0.0.1:{port}/episodes/auditing-your-alliances/"
        wait_for(lambda: "Auditing your alliances" in fetch(page), 60, "the first build")
        time.sleep(1.5)  # let the watcher settle before the edit
        builds_before = log_path.read_text().count("Building documentation")

        edit(project / "content/episodes/008-auditing-alliances.md", "A practical follow-up",
             "A freshly edited follow-up")
        wait_for(lambda: "A freshly edited follow-up" in fetch(page), 30, "the edit to show")
        time.sleep(3)  # a rebuild loop would show up as more builds here
        log = log_path.read_text()
        assert log.count("Building documentation") - builds_before == 1, log

        # a mistake while previewing: a clear error, the server stays up, the fix is picked up
        note = project / "content/episodes/008-auditing-alliances.md"
        edit(note, "virtues: [alliances]", "virtues: [aliances]")
        wait_for(lambda: "unknown virtue 'aliances'" in log_path.read_text(), 30, "the error")
        edit(note, "virtues: [aliances]", "virtues: [alliances]")
        edit(note, "A freshly edited", "A fixed")
        wait_for(lambda: "A fixed follow-up" in fetch(page), 30, "the fix to show")
        assert "Traceback" not in log_path.read_text()
    finally:
        server.terminate()
        server.wait(timeout=10)
