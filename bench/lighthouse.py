"""Lighthouse scores of the sample site on a phone: home, an episode and a worksheet page.

    .venv/bin/python bench/lighthouse.py [--runs 3]

Builds the sample (mkdocs build into a temp folder), serves it on 127.0.0.1 with gzip, as web
hosts send it, and runs npm's `lighthouse` (installed once into .cache/bench-tools/) with
Debian's Chromium in its default mobile emulation (a mid-range phone, slow 4G, 4x CPU slowdown).
Prints each category's score per page, the median of the runs (scores move a few points between
runs on a shared machine, which is why this is a benchmark and not a test). Target: >= 95 in all
four categories.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / ".cache" / "bench-tools"
LIGHTHOUSE_VERSION = "12"
CHROMIUM = "/usr/bin/chromium"
PAGES = {"home": "", "episode": "episodes/courage-is-a-small-step-taken-twice/",
         "worksheet": "worksheets/courage/"}
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
GZIP_TYPES = (".html", ".css", ".js", ".json", ".xml", ".svg")


class Handler(SimpleHTTPRequestHandler):
    """Static files, gzipped when the browser accepts it (as any real host does)."""

    def log_message(self, *args) -> None:
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if (path.suffix in GZIP_TYPES and path.is_file()
                and "gzip" in self.headers.get("Accept-Encoding", "")):
            body = gzip.compress(path.read_bytes(), 6)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "max-age=600")
            self.end_headers()
            import io
            return io.BytesIO(body)
        return super().send_head()


def lighthouse() -> Path:
    cli = TOOLS / "node_modules" / "lighthouse" / "cli" / "index.js"
    if not cli.is_file():
        TOOLS.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(TOOLS),
                        f"lighthouse@{LIGHTHOUSE_VERSION}"], check=True)
    return cli


def build(into: Path, site_url: str) -> Path:
    project = into / "project"
    for folder in ("content", "templates"):
        shutil.copytree(ROOT / folder, project / folder)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(config.replace("https://small-brave-steps.example/", site_url))
    subprocess.run([str(Path(sys.executable).parent / "mkdocs"), "build", "--quiet"], cwd=project,
                   check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    return project / "site"


def scores(cli: Path, url: str) -> dict[str, int]:
    result = subprocess.run(["node", str(cli), url, "--quiet", "--output=json", "--output-path=stdout",
                             f"--only-categories={','.join(CATEGORIES)}",
                             "--chrome-flags=--headless --no-sandbox --disable-gpu"],
                            capture_output=True, text=True, env={**os.environ, "CHROME_PATH": CHROMIUM},
                            timeout=300)
    if result.returncode != 0:
        raise SystemExit(f"lighthouse failed on {url}:\n{result.stderr[-2000:]}")
    report = json.loads(result.stdout)
    return {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    cli = lighthouse()
    with tempfile.TemporaryDirectory() as scratch:
        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        site = build(Path(scratch), url)
        server.RequestHandlerClass = partial(Handler, directory=str(site))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        print(f"Lighthouse (mobile), median of {args.runs} runs")
        print(f"{'page':<10}" + "".join(f"{c:>16}" for c in CATEGORIES))
        worst = 100
        for name, path in PAGES.items():
            runs = [scores(cli, url + path) for _ in range(args.runs)]
            medians = {c: int(statistics.median(r[c] for r in runs)) for c in CATEGORIES}
            worst = min(worst, *medians.values())
            print(f"{name:<10}" + "".join(f"{medians[c]:>16}" for c in CATEGORIES))
        server.shutdown()
    print(f"[{'PASS' if worst >= 95 else 'MISS'}] lowest score {worst}, target >= 95")


if __name__ == "__main__":
    main()
