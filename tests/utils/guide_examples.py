# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The code blocks of the guides (``docs/docsite/rst/*.rst``) and of ``README.md``, so that tests run
each example exactly as documented.

Every code block carries an example id, given by a marker on a line of its own before the block
(anywhere before it, with no other block in between), invisible in the rendered documents:

    .. example-id: getting-started-playbook          (reStructuredText: a comment)
    <!-- example-id: readme-playbook -->              (Markdown: an HTML comment)

A marker cannot sit between a paragraph ending in ``::`` and its literal block (it would end the
paragraph): put it before that paragraph, or before the list holding it.

Blocks found: in reStructuredText, ``.. code-block::`` / ``.. code::`` / ``.. sourcecode::`` and
literal blocks (a paragraph ending in ``::``, language ``""``); in Markdown, fenced blocks and
indented code blocks outside lists (language ``""``).

The manifest ``tests/integration/targets/guide_examples/examples.yml`` says, for every example id,
how the ``guide_examples`` integration target runs it or why it cannot run against the emulator;
``tests/integration/test_guide_examples_covered.py`` fails on any block it does not account for.

Command line (standard library only, any Python 3.11+):

    guide_examples.py GUIDE SELECTOR OUTPUT   write the block of GUIDE whose example id or first
                                              line is SELECTOR to OUTPUT
    guide_examples.py --list [GUIDE ...]      list the blocks (default: every guide and README.md)
"""

from __future__ import annotations

import dataclasses
import pathlib
import re
import sys
import textwrap
from typing import Any

REPO = pathlib.Path(__file__).resolve().parents[2]
GUIDES_DIR = REPO / "docs" / "docsite" / "rst"
MANIFEST = REPO / "tests" / "integration" / "targets" / "guide_examples" / "examples.yml"

_RST_MARKER = re.compile(r"^\s*\.\. example-id:\s*(?P<id>\S+)\s*$")
_MD_MARKER = re.compile(r"^\s*<!--\s*example-id:\s*(?P<id>\S+)\s*-->\s*$")
_RST_CODE = re.compile(r"^(?P<indent>\s*)\.\.\s+(?:code-block|code|sourcecode)::\s*(?P<language>\S*)\s*$")
_RST_DIRECTIVE = re.compile(r"^\s*\.\.\s+[\w:.+-]+::")
_RST_EXPLICIT = re.compile(r"^\s*\.\.(\s|$)")
_MD_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})\s*(?P<language>[^\s`]*)")
_MD_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")
_FILENAME = re.compile(r"^#\s*(?P<name>[\w./-]+\.(?:ya?ml|py|cfg|ini|json|sh|txt))(?:\b|:|$)")


@dataclasses.dataclass(frozen=True)
class Block:
    """One code block of a document."""

    document: pathlib.Path
    line: int  # 1-based line of the directive, the opening fence or the paragraph ending in "::"
    language: str  # "" for literal blocks and fences without one
    text: str  # the block's content, dedented, ending with exactly one newline
    example_id: str | None  # from the marker before it; None when it has none

    @property
    def location(self) -> str:
        try:
            name = self.document.resolve().relative_to(REPO)
        except ValueError:
            name = self.document
        return f"{name}:{self.line}"

    @property
    def first_line(self) -> str:
        return self.text.splitlines()[0].strip() if self.text.strip() else ""

    @property
    def filename(self) -> str | None:
        """The file name a first-line comment gives the block (``# inventory/dynect.yml: ...``)."""
        match = _FILENAME.match(self.first_line)
        return match.group("name") if match else None


@dataclasses.dataclass
class Document:
    """The blocks of one document, and the markers that are misplaced."""

    path: pathlib.Path
    blocks: list[Block]
    problems: list[str]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _body(lines: list[str], start: int, parent_indent: int) -> tuple[str, int]:
    """The indented body starting at lines[start] (blank lines and options skipped by the caller):
    every line up to the first non-blank one indented no deeper than parent_indent."""
    end = start
    while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) > parent_indent):
        end += 1
    text = textwrap.dedent("\n".join(lines[start:end])).strip("\n")
    return (text + "\n" if text else ""), end


def _parse_rst(path: pathlib.Path, lines: list[str]) -> Document:
    blocks: list[Block] = []
    problems: list[str] = []
    marker: tuple[str, int] | None = None

    def add(line_no: int, language: str, text: str) -> None:
        nonlocal marker
        blocks.append(Block(path, line_no, language, text, marker[0] if marker else None))
        marker = None

    index = 0
    while index < len(lines):
        line = lines[index]
        if found := _RST_MARKER.match(line):
            if marker:
                problems.append(f"{path.name}:{marker[1]}: example-id {marker[0]} is followed by another marker, not by a block")
            marker = (found.group("id"), index + 1)
            index += 1
            continue
        if found := _RST_CODE.match(line):
            directive_line = index + 1
            start = index + 1
            # The directive's options (":linenos:", ...) come before the content.
            while start < len(lines) and lines[start].strip().startswith(":") and _indent(lines[start]) > len(found.group("indent")):
                start += 1
            text, index = _body(lines, start, len(found.group("indent")))
            add(directive_line, found.group("language"), text)
            continue
        if _RST_EXPLICIT.match(line) and not _RST_DIRECTIVE.match(line):
            # A comment (or a target, footnote, substitution): its indented body is not text.
            index = _body(lines, index + 1, _indent(line))[1]
            continue
        if line.rstrip().endswith("::") and not _RST_EXPLICIT.match(line):
            text, end = _body(lines, index + 1, _indent(line))
            if text:
                add(index + 1, "", text)
            index = end
            continue
        index += 1
    if marker:
        problems.append(f"{path.name}:{marker[1]}: example-id {marker[0]} is not followed by a block")
    return Document(path, blocks, problems)


def _parse_markdown(path: pathlib.Path, lines: list[str]) -> Document:
    blocks: list[Block] = []
    problems: list[str] = []
    marker: tuple[str, int] | None = None

    def add(line_no: int, language: str, text: str) -> None:
        nonlocal marker
        blocks.append(Block(path, line_no, language, text, marker[0] if marker else None))
        marker = None

    previous = ""  # the last non-blank line before the current run of blank lines
    blank_before = True
    index = 0
    while index < len(lines):
        line = lines[index]
        if found := _MD_MARKER.match(line):
            if marker:
                problems.append(f"{path.name}:{marker[1]}: example-id {marker[0]} is followed by another marker, not by a block")
            marker = (found.group("id"), index + 1)
        elif found := _MD_FENCE.match(line):
            fence, indent = found.group("fence"), len(found.group("indent"))
            closing = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*$")
            end = index + 1
            while end < len(lines) and not closing.match(lines[end]):
                end += 1
            body = [re.sub(rf"^ {{0,{indent}}}", "", text) for text in lines[index + 1:end]]
            text = "\n".join(body).strip("\n")
            add(index + 1, found.group("language"), text + "\n" if text else "")
            index, previous, blank_before = end + 1, line, False
            continue
        elif line.strip() and _indent(line) >= 4 and blank_before and not (
            _MD_LIST_ITEM.match(previous) or previous.startswith(" ")
        ):
            text, end = _body(lines, index, 3)
            add(index + 1, "", text)
            index, previous, blank_before = end, lines[end - 1], False
            continue
        if line.strip():
            previous, blank_before = line, False
        else:
            blank_before = True
        index += 1
    if marker:
        problems.append(f"{path.name}:{marker[1]}: example-id {marker[0]} is not followed by a block")
    return Document(path, blocks, problems)


def parse(path: str | pathlib.Path) -> Document:
    """The blocks of one guide (``.rst``) or Markdown file (``.md``)."""
    path = pathlib.Path(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    return (_parse_markdown if path.suffix == ".md" else _parse_rst)(path, lines)


def document_paths() -> list[pathlib.Path]:
    """Every document whose examples must be accounted for: the guides and README.md."""
    return [path for path in (*sorted(GUIDES_DIR.glob("*.rst")), REPO / "README.md") if path.is_file()]


def find_block(path: str | pathlib.Path, selector: str) -> Block:
    """The one block of a document whose example id, or first line, is selector."""
    document = parse(path)
    matches = [block for block in document.blocks if selector in (block.example_id, block.first_line)]
    if len(matches) != 1:
        raise LookupError(f"{len(matches)} blocks of {path} have the example id or first line {selector!r}; expected 1")
    return matches[0]


def all_blocks(paths: list[pathlib.Path] | None = None) -> tuple[dict[str, Block], list[str]]:
    """Every marked block by example id, and every problem: unmarked blocks, duplicate ids, misplaced markers."""
    by_id: dict[str, Block] = {}
    problems: list[str] = []
    for path in paths or document_paths():
        document = parse(path)
        problems += document.problems
        for block in document.blocks:
            if block.example_id is None:
                problems.append(f"{block.location}: a {block.language or 'literal'} block without an example-id marker before it")
            elif block.example_id in by_id:
                problems.append(f"{block.location}: example-id {block.example_id} is already used at {by_id[block.example_id].location}")
            else:
                by_id[block.example_id] = block
    return by_id, problems


# ---- the manifest: how each example runs, or why it cannot ----

# run kind -> the block languages it takes
RUN_KINDS = {
    "playbook": ("yaml", "yaml+jinja"),  # ansible-playbook runs it
    "inventory": ("yaml",),  # ansible-inventory --list reads it (and playbooks name it as inventory)
    "python": ("python",),  # the Python that runs ansible-playbook runs it
    "console": ("console", "shell-session"),  # "$ " lines run in one bash; other lines are their expected output
    "bash": ("bash", "sh", "shell"),  # every line runs in one bash
    "file": None,  # written as a file for the entries that list it in files/inventory, and run by them
    "message": ("",),  # its text appears in the output of the entry named by shown_by
}


def load_manifest(path: pathlib.Path = MANIFEST) -> dict[str, Any]:
    import yaml  # pylint: disable=import-outside-toplevel  # only the manifest needs PyYAML

    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _one_line(reason: Any) -> bool:
    return isinstance(reason, str) and bool(reason.strip()) and "\n" not in reason.strip()


def coverage_problems(manifest: dict[str, Any] | None = None, paths: list[pathlib.Path] | None = None) -> list[str]:
    """Every block that is neither run by the guide_examples target nor excused, and every manifest entry
    that does not fit its block. Empty when the documents and the manifest agree."""
    manifest = load_manifest() if manifest is None else manifest
    pending = manifest.get("pending_guides") or {}
    paths = [path for path in (paths or document_paths()) if path.name not in pending]
    blocks, problems = all_blocks(paths)
    entries: dict[str, dict[str, Any]] = manifest.get("examples") or {}
    for name, reason in pending.items():
        if not _one_line(reason):
            problems.append(f"pending guide {name}: give a one-line reason")
    for example_id, block in blocks.items():
        if example_id not in entries:
            problems.append(f"{block.location}: example {example_id} is neither run nor excused in {MANIFEST.name}")
    consumed = {
        used
        for entry in entries.values()
        for used in [*(entry.get("files") or []), entry.get("inventory")]
        if used
    }
    for example_id, entry in entries.items():
        block = blocks.get(example_id)
        where = block.location if block else f"{MANIFEST.name}: {example_id}"
        if not isinstance(entry, dict):
            problems.append(f"{where}: the entry must be a mapping")
            continue
        if block is None and not entry.get("source"):
            problems.append(f"{where}: no block has this example id (a check of the target's own needs source:)")
            continue
        if "excused" in entry:
            if not _one_line(entry["excused"]) or "run" in entry:
                problems.append(f"{where}: excused takes a one-line reason, and no run")
            continue
        kind = entry.get("run")
        if kind not in RUN_KINDS:
            problems.append(f"{where}: run must be one of {', '.join(RUN_KINDS)} (or give excused: reason)")
            continue
        if block is not None and RUN_KINDS[kind] is not None and block.language not in RUN_KINDS[kind]:
            problems.append(f"{where}: a {block.language or 'literal'} block cannot run as {kind}")
        if kind == "file" and example_id not in consumed:
            problems.append(f"{where}: run: file, but no entry lists it in files or inventory")
        if kind == "message" and entries.get(entry.get("shown_by") or "", {}).get("run") in (None, "file", "message"):
            problems.append(f"{where}: shown_by must name an entry that runs")
        for used in [*(entry.get("files") or []), *([entry["inventory"]] if entry.get("inventory") else [])]:
            if used not in blocks:
                problems.append(f"{where}: {used} (in files/inventory) is not the example id of a block")
        commands = block.text.splitlines() if block else []
        for option in ("skip", "replace"):
            for text, why in (entry.get(option) or {}).items():
                if not any(text in line for line in commands):
                    problems.append(f"{where}: {option} {text!r} matches no line of the block")
                if option == "skip" and not _one_line(why):
                    problems.append(f"{where}: skip {text!r} needs a one-line reason")
    return problems


def _main(argv: list[str]) -> int:
    if argv[:1] == ["--list"]:
        for path in [pathlib.Path(name) for name in argv[1:]] or document_paths():
            document = parse(path)
            for block in document.blocks:
                print(f"{block.location}\t{block.example_id or '-'}\t{block.language or 'literal'}\t{block.first_line}")
            for problem in document.problems:
                print(f"problem: {problem}")
        return 0
    if argv[:1] == ["--check"]:
        problems = coverage_problems()
        print("\n".join(problems) or "every block is run or excused")
        return 1 if problems else 0
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    guide, selector, output = argv
    pathlib.Path(output).write_text(find_block(guide, selector).text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
