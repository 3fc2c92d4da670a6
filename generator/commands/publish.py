"""`podsite publish`: what `mkdocs gh-deploy` does, made safe for a site several people deploy.

    git present? repository? remote? -> check (refuse on errors) -> fetch the remote branch
    -> mkdocs build -> commit site/ on top of the REMOTE branch -> push (no force)
    -> rejected because someone deployed meanwhile? fetch, commit on their deploy, push again

`mkdocs gh-deploy` commits onto the local `gh-pages` branch, so after someone else deployed
from another clone its push is rejected and it stops with git's raw error. Here the new commit's
parent is always the remote branch as just fetched, and local branches are never touched: every
deploy stays in the branch's history and nothing is forced. The commit is made with git's
plumbing (a temporary index, `write-tree`, `commit-tree`), never touching the working tree,
and holds the site plus `.nojekyll` (GitHub Pages would otherwise hide `_`-folders).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .. import __version__

PUSH_ATTEMPTS = 3


class PublishError(Exception):
    """A reason not to publish, in a user's words; nothing was pushed."""


@dataclass(frozen=True)
class PublishOptions:
    config_file: str
    site_dir: Path
    remote: str = "origin"
    branch: str = "gh-pages"
    message: str | None = None
    strict: bool = False


@dataclass(frozen=True)
class Published:
    commit: str  # "" when there was nothing new to publish
    files: int


class Git:
    def __init__(self, repo: Path):
        self.repo = repo
        if shutil.which("git") is None:
            raise PublishError("git is not installed or not on PATH (install git, e.g. "
                               "apt-get install git; publish pushes the site to a git remote)")

    def run(self, *args: str, env: dict | None = None, input: str | None = None,
            cwd: Path | None = None):
        return subprocess.run(["git", *args], cwd=cwd or self.repo, capture_output=True, text=True,
                              input=input, env={**os.environ, **(env or {})})

    def out(self, *args: str, env: dict | None = None, input: str | None = None,
            cwd: Path | None = None) -> str:
        result = self.run(*args, env=env, input=input, cwd=cwd)
        if result.returncode != 0:
            raise PublishError(f"git {args[0]} failed: {_last_lines(result.stderr)}")
        return result.stdout.strip()


def _last_lines(text: str, count: int = 4) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return " / ".join(lines[-count:]) or "no message"


def _push_reason(stderr: str) -> str:
    """What the remote said (its `remote:` lines) and git's reason for each refused ref."""
    said = [line[len("remote:"):].strip() for line in stderr.splitlines()
            if line.startswith("remote:") and line[len("remote:"):].strip()]
    reasons = [line.rsplit("(", 1)[1].rstrip(")").strip() for line in stderr.splitlines()
               if line.lstrip().startswith("! [") and line.rstrip().endswith(")")]
    return "; ".join(said + reasons) or _last_lines(stderr)


def prepare(repo: Path, remote: str) -> Git:
    """Git, a repository and the remote are there; PublishError says which is missing."""
    git = Git(repo)
    if git.run("rev-parse", "--git-dir").returncode != 0:
        raise PublishError(f"{repo}: not a git repository (publish pushes the site to a branch of "
                           "a git remote: git init, commit, then git remote add origin URL)")
    if git.run("remote", "get-url", remote).returncode != 0:
        known = git.out("remote").split()
        raise PublishError(f"no git remote {remote!r} (known: {', '.join(known) or 'none'}; add "
                           f"it with git remote add {remote} URL, or set remote_name in mkdocs.yml)")
    return git


def remote_tip(git: Git, remote: str, branch: str) -> str | None:
    """Fetch `branch` from `remote`; its tip, or None when the remote has no such branch yet."""
    listed = git.run("ls-remote", "--exit-code", "--heads", remote, f"refs/heads/{branch}")
    if listed.returncode == 2:
        return None
    if listed.returncode != 0:
        raise PublishError(f"cannot reach the git remote {remote!r}: {_last_lines(listed.stderr)} "
                           "(check the URL with git remote -v, the network and your access)")
    fetched = git.run("fetch", "--quiet", "--no-tags", remote,
                      f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}")
    if fetched.returncode != 0:
        raise PublishError(f"cannot fetch {branch} from {remote!r}: {_last_lines(fetched.stderr)}")
    return git.out("rev-parse", f"refs/remotes/{remote}/{branch}")


def build_site(options: PublishOptions, echo: Callable[[str], None]) -> None:
    command = [sys.executable, "-m", "mkdocs", "build", "--config-file", options.config_file]
    if options.strict:
        command.append("--strict")
    # offline: build from the feed and files `podsite check` just fetched, so what is published
    # is what was checked (and the server is not asked twice)
    result = subprocess.run(command, capture_output=True, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PODCAST_OFFLINE": "1"})
    if result.stderr.strip():
        echo(result.stderr.rstrip())
    if result.returncode != 0:
        raise PublishError("the build failed (see above); nothing was published")


def snapshot(git: Git, site_dir: Path) -> tuple[str, int]:
    """(tree, file count) of `site_dir` plus `.nojekyll`, written to the object store only."""
    if not site_dir.is_dir():
        raise PublishError(f"{site_dir}: the build left no site to publish")
    with tempfile.TemporaryDirectory(prefix="podsite-publish-") as scratch:
        env = {"GIT_INDEX_FILE": str(Path(scratch) / "index"),
               "GIT_DIR": git.out("rev-parse", "--absolute-git-dir"), "GIT_WORK_TREE": str(site_dir)}
        git.out("add", "--all", "--force", ".", env=env, cwd=site_dir)
        empty = git.out("hash-object", "-w", "--stdin", input="")
        git.out("update-index", "--add", "--cacheinfo", f"100644,{empty},.nojekyll", env=env)
        files = len(git.out("ls-files", env=env).splitlines())
        return git.out("write-tree", env=env), files


def commit(git: Git, tree: str, parent: str | None, message: str) -> str:
    args = ["commit-tree", tree, "-m", message] + (["-p", parent] if parent else [])
    result = git.run(*args)
    if result.returncode != 0:
        if "tell me who you are" in result.stderr or "user.email" in result.stderr:
            raise PublishError("git does not know who is publishing (set git config user.name "
                               "and user.email; in CI, set them in the workflow before publishing)")
        raise PublishError(f"git commit-tree failed: {_last_lines(result.stderr)}")
    return result.stdout.strip()


def default_message(git: Git) -> str:
    head = git.run("rev-parse", "--short", "HEAD")
    source = f" {head.stdout.strip()}" if head.returncode == 0 else ""
    return f"Deployed{source} with podsite {__version__}"


def publish(options: PublishOptions, git: Git, echo: Callable[[str], None]) -> Published:
    """Build and push; `check` must have passed already (the command line runs it first)."""
    parent = remote_tip(git, options.remote, options.branch)
    build_site(options, echo)
    tree, files = snapshot(git, options.site_dir)
    message = options.message or default_message(git)
    for attempt in range(1, PUSH_ATTEMPTS + 1):
        if parent is not None and git.out("rev-parse", f"{parent}^{{tree}}") == tree:
            return Published("", files)
        made = commit(git, tree, parent, message)
        pushed = git.run("push", "--quiet", options.remote, f"{made}:refs/heads/{options.branch}")
        if pushed.returncode == 0:
            git.run("update-ref", f"refs/remotes/{options.remote}/{options.branch}", made)
            return Published(made, files)
        now = remote_tip(git, options.remote, options.branch)
        if now == parent:  # not a race with another deploy: the remote said no
            raise PublishError(f"the push to {options.remote!r} was rejected: "
                               f"{_push_reason(pushed.stderr)} (nothing was published; check your "
                               "access to the remote and its branch protection)")
        echo(f"someone else published to {options.remote}/{options.branch} meanwhile; "
             "publishing on top of their deploy")
        parent = now
    raise PublishError(f"{options.remote}/{options.branch} kept changing during {PUSH_ATTEMPTS} "
                       "attempts (someone else is publishing too: try again in a minute)")
