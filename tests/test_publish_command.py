"""`podsite publish` into a real bare git repository, including a deploy from another clone."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import BIN, edit, mkdocs
from test_publish_and_serve import GIT_ENV, git

NOTE_8 = "content/episodes/008-auditing-alliances.md"


def podsite(project: Path, *args: str, env: dict | None = None):
    full_env = {**os.environ, **GIT_ENV, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    for name in ("PODCAST_FEED", "PODCAST_OFFLINE"):
        full_env.pop(name, None)
    return subprocess.run([str(BIN / "podsite"), *args], cwd=project, env=full_env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    path = tmp_path / "remote.git"
    git(tmp_path, "init", "--bare", "-q", str(path))
    return path


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture
def repo(project: Path, remote: Path) -> Path:
    (project / ".gitignore").write_text("site/\n.cache/\n")
    git(project, "init", "-q", "-b", "main")
    commit_all(project, "sample")
    git(project, "remote", "add", "origin", str(remote))
    git(project, "push", "-q", "origin", "main")
    return project


def published(remote: Path, path: str) -> str:
    return git(remote, "show", f"gh-pages:{path}")


def test_publish_pushes_the_site_with_nojekyll(repo, remote):
    result = podsite(repo, "publish")
    assert result.returncode == 0, result.stderr
    head = git(repo, "rev-parse", "--short", "HEAD").strip()
    commit = git(remote, "rev-parse", "gh-pages").strip()
    assert result.stdout.startswith(f"published {commit[:12]} to origin/gh-pages (")
    files = git(remote, "ls-tree", "-r", "--name-only", "gh-pages").split()
    assert ".nojekyll" in files and "pagefind/pagefind.js" in files
    assert "episodes/building-alliances-the-four-packs/index.html" in files
    assert git(remote, "log", "--format=%s", "gh-pages").strip() == \
        f"Deployed {head} with podsite 0.1.0"
    assert git(repo, "branch", "--list").split() == ["*", "main"]  # no local gh-pages branch made

    again = podsite(repo, "publish")  # nothing changed: nothing pushed
    assert again.returncode == 0
    assert again.stdout.startswith("nothing to publish: origin/gh-pages already has this site (")
    assert git(remote, "rev-parse", "gh-pages").strip() == commit


def test_a_deploy_from_another_clone_is_built_upon(repo, remote, tmp_path):
    # clone A deploys the way MkDocs does, which leaves a local gh-pages branch behind
    assert mkdocs(repo, "gh-deploy", env=GIT_ENV).returncode == 0
    # clone B (a colleague, or CI) changes a note and deploys
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", "-b", "main", str(remote), str(other))
    (other / ".cache").symlink_to(repo / ".cache", target_is_directory=True)
    edit(other / NOTE_8, "A practical follow-up", "A colleague's follow-up")
    commit_all(other, "colleague's edit")
    assert podsite(other, "publish").returncode == 0
    git(other, "push", "-q", "origin", "main")

    # back in clone A: gh-deploy builds on its stale gh-pages branch and is rejected...
    git(repo, "pull", "-q", "--no-rebase", "origin", "main")
    edit(repo / NOTE_8, "A colleague's follow-up", "Our follow-up")
    commit_all(repo, "our edit")
    stale = mkdocs(repo, "gh-deploy", env=GIT_ENV)
    assert stale.returncode != 0 and "rejected" in stale.stderr
    # ...while publish fetches first and commits on top of the colleague's deploy
    result = podsite(repo, "publish")
    assert result.returncode == 0, result.stderr
    history = git(remote, "log", "--format=%s", "gh-pages").splitlines()
    assert len(history) == 3  # every deploy kept, nothing forced
    assert "Our follow-up" in published(remote, "episodes/auditing-your-alliances/index.html")


def test_check_errors_refuse_before_anything_is_built(repo, remote):
    edit(repo / NOTE_8, "virtues: [alliances]", "virtues: [aliances]")
    result = podsite(repo, "publish")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: {NOTE_8}:3: unknown virtue 'aliances' (known: alliances, courage, curiosity, "
        "resilience)",
        "error: not published: podsite check found 1 error, 0 warnings; nothing would be "
        "generated (fix them, then publish again)"]
    assert not (repo / "site").exists()
    assert git(remote, "branch", "--list").split() == ["main"]


def test_a_rejected_push_says_what_the_remote_said(repo, remote):
    hook = remote / "hooks/pre-receive"
    hook.write_text("#!/bin/sh\necho 'deploys are frozen until Monday' >&2\nexit 1\n")
    hook.chmod(0o755)
    result = podsite(repo, "publish")
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        "error: the push to 'origin' was rejected: deploys are frozen until Monday; pre-receive "
        "hook declined (nothing was published; check your access to the remote and its branch "
        "protection)")
    assert git(remote, "branch", "--list").split() == ["main"]


def test_no_remote_no_repository_no_git(project, tmp_path):
    result = podsite(project, "publish")
    assert result.returncode == 1
    assert result.stderr == (f"error: {project}: not a git repository (publish pushes the site to a "
                             "branch of a git remote: git init, commit, then git remote add origin "
                             "URL)\n")
    git(project, "init", "-q", "-b", "main")
    result = podsite(project, "publish", "--remote", "pages")
    assert result.stderr == ("error: no git remote 'pages' (known: none; add it with git remote add "
                             "pages URL, or set remote_name in mkdocs.yml)\n")
    no_git = tmp_path / "bin"
    no_git.mkdir()
    result = podsite(project, "publish", env={"PATH": str(no_git)})
    assert result.stderr == ("error: git is not installed or not on PATH (install git, e.g. "
                             "apt-get install git; publish pushes the site to a git remote)\n")


def test_an_unreachable_remote(repo, tmp_path):
    git(repo, "remote", "set-url", "origin", str(tmp_path / "gone.git"))
    result = podsite(repo, "publish")
    assert result.returncode == 1
    assert result.stderr.startswith("error: cannot reach the git remote 'origin': ")
    assert result.stderr.endswith("(check the URL with git remote -v, the network and your access)\n")


def test_a_deploy_that_lands_while_publishing_is_built_upon(repo, remote, tmp_path):
    assert podsite(repo, "publish").returncode == 0
    # a colleague's deploy, ready to land at the worst moment: just before our push
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", "-b", "gh-pages", str(remote), str(other))
    (other / "index.html").write_text("the colleague's deploy\n")
    commit_all(other, "Deployed by a colleague")
    real_git, marker = shutil.which("git"), tmp_path / "raced"
    wrapper = tmp_path / "bin/git"
    wrapper.parent.mkdir()
    wrapper.write_text(f'#!/bin/sh\nif [ "$1" = push ] && [ ! -e {marker} ]; then\n'
                       f'  touch {marker}\n  {real_git} -C {other} push -q origin gh-pages\nfi\n'
                       f'exec {real_git} "$@"\n')
    wrapper.chmod(0o755)
    edit(repo / NOTE_8, "A practical follow-up", "Our follow-up")
    commit_all(repo, "our edit")
    result = podsite(repo, "publish", env={"PATH": f"{wrapper.parent}:{os.environ['PATH']}"})
    assert result.returncode == 0, result.stderr
    assert marker.exists()
    assert "someone else published to origin/gh-pages meanwhile; publishing on top of their " \
           "deploy" in result.stderr
    history = git(remote, "log", "--format=%s", "gh-pages").splitlines()
    assert len(history) == 3 and history[1] == "Deployed by a colleague"
    assert history[0].endswith(" with podsite 0.1.0") and history[2].endswith(" with podsite 0.1.0")
    assert "Our follow-up" in published(remote, "episodes/auditing-your-alliances/index.html")


def test_publish_builds_from_the_feed_it_checked(repo, remote):
    # a feed on the web: check downloads it, the build uses that copy instead of asking again
    body = (repo / "content/feed.xml").read_bytes()
    asked = []

    class Feed(BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Feed)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        edit(repo / "mkdocs.yml", "feed_url: content/feed.xml",
             f"feed_url: http://127.0.0.1:{server.server_address[1]}/feed.xml")
        commit_all(repo, "the feed is on the web")
        result = podsite(repo, "publish")
    finally:
        server.shutdown()
        server.server_close()
    assert result.returncode == 0, result.stderr
    assert asked == ["/feed.xml"]
    assert "episodes/building-alliances-the-four-packs/index.html" in \
        git(remote, "ls-tree", "-r", "--name-only", "gh-pages").split()
