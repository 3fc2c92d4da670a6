"""Every YAML text podsite reads (front matter, worksheets, the pin file) goes through `compose_yaml`.

YAML can say in a few hundred bytes what takes gigabytes to walk: nine levels of aliases
(`&a [*b, *b, ...]`) are a billion values. Composing them is cheap (an alias is a second reference
to the same node); what explodes is whoever walks or prints the result. So before anyone does, the
node graph is measured once (linear in what was written) and refused, with `path:line`, when

- it expands to far more values than were written (`MAX_EXPANSION` times, and more than
  `EXPANDED_FLOOR`): aliases used as a bomb, while a few honest aliases still pass;
- an alias refers to a node that contains it (a cycle: walking it never ends);
- it nests deeper than `MAX_DEPTH` levels (podsite's files need four or five);
- the text is longer than the caller's limit (`MAX_YAML_CHARS` unless told).

libyaml (PyYAML's C parser) is used when it is installed, for speed on large files; when it
refuses a text, the pure-Python parser reads it again (if it is small) so that messages read the
same on every machine. Other refusals of the parser (a NUL byte, an undefined alias, an unknown
`!!python/...` tag, a date like 2026-02-30) become the same kind of problem, never a traceback.
"""

from __future__ import annotations

import yaml

MAX_YAML_CHARS = 1_000_000
MAX_DEPTH = 32
MAX_EXPANSION = 10
EXPANDED_FLOOR = 10_000
DEEP = f"nests more than {MAX_DEPTH} levels deep (podsite's files need a few levels)"
_RETRY_IN_PYTHON = 256_000  # chars; above this libyaml's own message is shown

_FAST = getattr(yaml, "CSafeLoader", None)


class YamlProblem(Exception):
    """Why a YAML text was refused: `line` is 1-based within the text, `syntax` tells a parse
    error (the caller adds its own hint about quoting) from a refusal (whose message has its fix)."""

    def __init__(self, line: int, message: str, syntax: bool = True):
        super().__init__(f"line {line}: {message}")
        self.line, self.message, self.syntax = line, message, syntax


def compose_yaml(text: str, *, limit: int = MAX_YAML_CHARS) -> yaml.Node | None:
    """The node tree of one YAML document (None when it is empty), with line marks; raises
    `YamlProblem` for anything podsite will not read."""
    text = text.lstrip("\ufeff")
    if len(text) > limit:
        raise YamlProblem(1, f"is {len(text):,} characters of YAML, more than podsite reads "
                             f"({limit:,}; split it or shorten it)", syntax=False)
    node = _compose(text)
    if node is not None:
        check_graph(node)
    return node


class _Constructor(yaml.SafeLoader):
    """SafeLoader's constructor that remembers the node it is on, for the line of a bad value."""

    current = None

    def construct_object(self, node, deep=False):
        self.current = node
        return super().construct_object(node, deep)


def construct_yaml(node: yaml.Node):
    """Python values of a checked node tree (dicts, lists, strings, numbers, dates)."""
    constructor = _Constructor("")
    try:
        return constructor.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        raise _problem(exc, "") from None
    except (ValueError, OverflowError) as exc:  # a date like 2026-02-30, an int of 5000 digits
        at = constructor.current or node
        raise YamlProblem(at.start_mark.line + 1, f"has a value YAML cannot read ({exc}; "
                          "quote it to keep it as text)", syntax=False) from None


def _compose(text: str):
    first = None
    if _FAST is not None:
        try:
            return _single_node(_FAST, text)
        except yaml.YAMLError as exc:
            first = _problem(exc, text)
            if len(text) > _RETRY_IN_PYTHON:
                raise first from None
    try:
        return _single_node(yaml.SafeLoader, text)
    except RecursionError:  # the pure-Python composer recurses once per level
        if first is not None and not first.syntax:
            raise first from None
        raise YamlProblem(_deep_line(text), DEEP, syntax=False) from None
    except yaml.YAMLError as exc:
        raise _problem(exc, text) from None


def _single_node(loader_class, text: str):
    loader = loader_class(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _deep_line(text: str) -> int:
    """Where brackets first open more than MAX_DEPTH deep (a guess, good for flow style)."""
    depth = 0
    for at, char in enumerate(text):
        depth += (char in "[{") - (char in "]}")
        if depth > MAX_DEPTH:
            return text.count("\n", 0, at) + 1
    return 1


def _problem(exc: yaml.YAMLError, text: str) -> YamlProblem:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "unreadable"
        if problem.startswith("exceeded maximum nesting depth") or "nesting depth" in problem:
            return YamlProblem(mark.line + 1 if mark else 1, DEEP, syntax=False)
        return YamlProblem(mark.line + 1 if mark else 1, problem)
    if isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, exc.position) + 1
        return YamlProblem(line, f"has the character #x{exc.character:04x}, which YAML does "
                                 "not allow (delete it, or save the file as plain UTF-8 text)", syntax=False)
    return YamlProblem(1, str(exc).splitlines()[0] if str(exc) else "unreadable")


def _children(node) -> list:
    if isinstance(node, yaml.SequenceNode):
        return node.value
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def check_graph(root: yaml.Node) -> None:
    """Refuse cycles, deep nesting and alias bombs; linear in the nodes written."""
    expanded: dict[int, int] = {}  # id(node) -> values it stands for, aliases expanded
    open_nodes: set[int] = set()
    order: list = []  # post-order, for the line of the first node that is too big
    stack = [(root, False, 1)]
    while stack:
        node, done, depth = stack.pop()
        key = id(node)
        if done:
            open_nodes.discard(key)
            expanded[key] = 1 + sum(expanded[id(child)] for child in _children(node))
            order.append(node)
            continue
        if key in expanded:
            continue
        if key in open_nodes:
            raise YamlProblem(node.start_mark.line + 1, "has an alias inside the list or mapping it "
                              "refers to, which never ends (write the values out instead)", syntax=False)
        if depth > MAX_DEPTH:
            raise YamlProblem(node.start_mark.line + 1, DEEP, syntax=False)
        open_nodes.add(key)
        stack.append((node, True, depth))
        stack.extend((child, False, depth + 1) for child in reversed(_children(node)))
    written = len(expanded)
    allowed = max(EXPANDED_FLOOR, MAX_EXPANSION * written)
    if expanded[id(root)] > allowed:
        first = next(n for n in order if expanded[id(n)] > allowed)
        raise YamlProblem(first.start_mark.line + 1,
                          f"has YAML aliases that expand to {expanded[id(root)]:,} values "
                          f"from {written:,} written ones (write the values out instead of using "
                          "aliases)", syntax=False)
