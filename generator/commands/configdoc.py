"""The reference tables in README.md, made from the code so the two cannot drift.

    .venv/bin/python -m generator.commands.configdoc README.md   # rewrites every block between its markers

- `config`: a row per key of `PodsiteConfig` in declaration order: its type and default from
  the declared option, and the docstring under it (the same text an editor shows).
- `front-matter` and `worksheet`: the key tables of the docstrings of `notes.py` and
  `worksheets.py`, the modules that read those files.
"""

from __future__ import annotations

import ast
import inspect
import sys
from pathlib import Path

from .. import config
from ..sources import notes, worksheets


def start_marker(name: str) -> str:
    return f"<!-- {name}: start (made by python -m generator.commands.configdoc README.md) -->"


def end_marker(name: str) -> str:
    return f"<!-- {name}: end -->"


def _docstrings() -> dict[str, str]:
    tree = ast.parse(inspect.getsource(config.PodsiteConfig))
    body = tree.body[0].body
    docs = {}
    for statement, following in zip(body, body[1:]):
        if isinstance(statement, ast.Assign) and isinstance(following, ast.Expr) and \
                isinstance(following.value, ast.Constant) and isinstance(following.value.value, str):
            docs[statement.targets[0].id] = " ".join(following.value.value.split())
    return docs


def _type_of(option) -> str:
    choices = getattr(option, "choices", None)
    if choices:
        return " \\| ".join(f"`{c}`" for c in choices)
    item = getattr(option, "option_type", None)  # ListOfItems: a list of what its items are
    if item is not None:
        return f"list of {_type_of(item)}"
    kind = getattr(option, "_type", None)
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {"str": "text", "int": "whole number", "float": "number", "bool": "true/false"}
    shown = [names.get(getattr(k, "__name__", ""), getattr(k, "__name__", "?")) for k in kinds]
    return "number" if shown == ["whole number", "number"] else " or ".join(shown)


def _default(option) -> str:
    value = option.default
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if value == "":
        return '`""`'
    if isinstance(value, int) and value >= 1 << 20 and value % (1 << 20) == 0:
        return f"`{value}` ({value >> 20} MiB)"
    return f"`{value}`"


def config_table() -> str:
    docs = _docstrings()
    rows = ["| key | type | default | meaning |", "|---|---|---|---|"]
    for name, option in config.PodsiteConfig._schema:
        meaning = docs.get(name, "").replace("|", "\\|")
        rows.append(f"| `{name}` | {_type_of(option)} | {_default(option)} | {meaning} |")
    return "\n".join(rows)


def module_table(module) -> str:
    """A module docstring from its first `| key` table to the end."""
    doc = inspect.getdoc(module)
    return doc[doc.index("\n| key") + 1:].strip()


BLOCKS = {
    "config": config_table,
    "front-matter": lambda: module_table(notes),
    "worksheet": lambda: module_table(worksheets),
}


def with_tables(readme: str) -> str:
    """`readme` with the text between each block's markers replaced by the current text."""
    for name, make in BLOCKS.items():
        before, found, rest = readme.partition(start_marker(name))
        if not found or end_marker(name) not in rest:
            raise ValueError(f"the markers of {name!r} are not in the file: {start_marker(name)}")
        readme = (f"{before}{start_marker(name)}\n{make()}\n{end_marker(name)}"
                  f"{rest.split(end_marker(name), 1)[1]}")
    return readme


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m generator.commands.configdoc README.md", file=sys.stderr)
        return 2
    path = Path(argv[0])
    path.write_text(with_tables(path.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
