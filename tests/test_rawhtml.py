"""Raw HTML blocks lifted out of the Markdown and put back into the page (generator/rawhtml.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import edit, mkdocs, search_pages

from generator.site import rawhtml

BLOCK = '<div class="x">\n<p>a <em>b</em></p>\n</div>'


def test_lift_and_put_back_give_the_blocks_back_in_order():
    text = f"# T\n\n{rawhtml.mark(BLOCK)}\n\nWords.\n\n{rawhtml.mark('<p>two</p>' + chr(10))}\nEnd.\n"
    lifted, blocks = rawhtml.lift(text, "ab12")
    assert blocks == [BLOCK, "<p>two</p>"]
    assert lifted == "# T\n\n<!--podsite:ab12:0-->\n\nWords.\n\n<!--podsite:ab12:1-->\n\nEnd.\n"
    html, missing = rawhtml.put_back("<h1>T</h1>\n<!--podsite:ab12:1-->\n<!--podsite:ab12:0-->", "ab12", blocks)
    assert (html, missing) == (f"<h1>T</h1>\n<p>two</p>\n{BLOCK}", 0)


def test_inline_leaves_exactly_what_the_template_wrote():
    for block in (BLOCK, BLOCK + "\n", BLOCK + "\n\n"):
        assert rawhtml.inline(f"before\n\n{rawhtml.mark(block)}after") == f"before\n\n{block}after"


def test_put_back_counts_missing_blocks_and_leaves_other_placeholders_alone():
    # a show note quoting a placeholder of another build, or a number out of range, is left as text
    html, missing = rawhtml.put_back("<!--podsite:ffff:0--><!--podsite:ab12:7-->", "ab12", [BLOCK, BLOCK])
    assert (html, missing) == ("<!--podsite:ffff:0--><!--podsite:ab12:7-->", 2)


def test_text_without_marks_is_untouched():
    assert rawhtml.lift("plain <div>x</div>", "ab12") == ("plain <div>x</div>", [])
    assert rawhtml.inline("plain <div>x</div>") == "plain <div>x</div>"


def _html_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*.html"))}


def test_lifted_blocks_give_the_same_site_as_markdown_passing_them_through(project):
    """The templates' `html_block` marks only change how the page is made, never the page."""
    assert mkdocs(project, "build", "--strict").returncode == 0
    lifted = _html_files(project / "site")
    index = search_pages(project / "site")
    marks = 0
    for template in (project / "templates").glob("*.j2"):
        text = template.read_text(encoding="utf-8")
        unmarked, count = re.subn(r"^\{%-? (end)?filter( html_block)? %\}\n?", "", text, flags=re.M)
        marks += count
        template.write_text(unmarked, encoding="utf-8")
    assert marks >= 6 and "html_block" not in "".join(
        t.read_text(encoding="utf-8") for t in (project / "templates").glob("*.j2"))
    assert mkdocs(project, "build", "--strict").returncode == 0
    passed_through = _html_files(project / "site")
    assert passed_through.keys() == lifted.keys()
    assert [p for p in lifted if lifted[p] != passed_through[p]] == []
    assert search_pages(project / "site") == index
    episode = lifted["episodes/building-alliances-the-four-packs/index.html"].decode()
    assert '<div class="podsite-audio"' in episode and "<!--podsite" not in episode


def test_a_block_markdown_did_not_keep_is_reported_and_fails_strict(project):
    # indented under a list item's text, the placeholder becomes a code block: Markdown shows it
    # as text and the audio block would silently vanish
    edit(project / "templates" / "episode.md.j2", "{{ audio_block(episode) }}",
         "- Listen:\n\n        {{ audio_block(episode) }}")
    result = mkdocs(project, "build", "--strict")
    assert result.returncode != 0
    warnings = [line for line in result.stderr.splitlines() if line.startswith("WARNING")]
    assert warnings[:4] == [
        *(f"WARNING -  podsite: episodes/{slug}.md: 1 raw HTML block(s) from the templates did not "
          "reach the page (in the template, keep each `html_block` filter's output on lines of its "
          "own with a blank line before and after)"
          for slug in ("auditing-your-alliances", "building-alliances-the-four-packs",
                       "courage-is-a-small-step-taken-twice")),
        "WARNING -  podsite: ... and 6 more page(s) with raw HTML blocks that did not reach the page"]
    assert not (project / "site").exists()  # strict: no half-made site


def test_other_plugins_see_the_page_with_its_blocks_back(project):
    # a hook (a plugin from mkdocs.yml) that asks to run early still sees finished HTML
    build_with_hook(project,
                    "from mkdocs.plugins import event_priority\n"
                    "@event_priority(50)\n"
                    "def on_page_content(html, page, config, files):\n"
                    "    if page.file.src_uri == 'episodes/auditing-your-alliances.md':\n"
                    "        open('seen.html', 'w').write(html)\n"
                    "    return html\n")
    seen = (project / "seen.html").read_text(encoding="utf-8")
    assert '<div class="podsite-audio"' in seen and "<!--podsite" not in seen


def test_other_plugins_see_each_page_whole_while_podsite_holds_it_packed(project):
    # Between MkDocs's two passes podsite keeps its pages' HTML compressed (plugin.py): every
    # plugin event of the page still sees it whole, and the written page is the same.
    build_with_hook(
        project,
        "import json\n"
        "seen = {}\n"
        "def note(event, text):\n"
        "    seen.setdefault(event, text)\n"
        "    json.dump(seen, open('seen.json', 'w'))\n"
        "def on_page_content(html, page, config, files):\n"
        "    if page.file.src_uri == 'episodes/auditing-your-alliances.md':\n"
        "        note('content', html)\n"
        "    return html\n"
        "def on_page_context(context, page, config, nav):\n"
        "    if page.file.src_uri == 'episodes/auditing-your-alliances.md':\n"
        "        note('context', page.content)\n"
        "    return context\n"
        "def on_post_page(output, page, config):\n"
        "    if page.file.src_uri == 'episodes/auditing-your-alliances.md':\n"
        "        note('post_page', page.content)\n"
        "        note('title', page.title)\n"
        "    return output\n")
    seen = json.loads((project / "seen.json").read_text(encoding="utf-8"))
    assert seen["content"] == seen["context"] == seen["post_page"]
    assert '<div class="podsite-audio"' in seen["content"] and "<!--podsite" not in seen["content"]
    assert seen["title"] == "Auditing your alliances"
    written = (project / "site/episodes/auditing-your-alliances/index.html").read_text(encoding="utf-8")
    assert seen["content"].strip() in written


def build_with_hook(project: Path, code: str) -> None:
    """`mkdocs build --strict` with `code` as a hook (a plugin of the project's own, hooks.py)."""
    (project / "hooks.py").write_text(code, encoding="utf-8")
    with open(project / "mkdocs.yml", "a", encoding="utf-8") as config:
        config.write("\nhooks:\n  - hooks.py\n")
    assert mkdocs(project, "build", "--strict").returncode == 0
