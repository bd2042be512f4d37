# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every code block of the guides and README.md is run by the guide_examples integration target, or
excused with a one-line reason (tests/integration/targets/guide_examples/examples.yml); a new block
cannot escape. Also checks the block finder itself (tests/utils/guide_examples.py)."""

from __future__ import annotations

import pathlib
import sys
import textwrap

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "utils"))

import guide_examples  # noqa: E402  pylint: disable=wrong-import-position


_MANIFEST = guide_examples.load_manifest()
_PENDING = _MANIFEST.get("pending_guides") or {}
_BLOCKS = guide_examples.all_blocks([path for path in guide_examples.document_paths() if path.name not in _PENDING])[0]


@pytest.mark.parametrize("example_id", list(_BLOCKS))
def test_block(example_id):
    """One test per marked block, so that the run lists them all; what each does is in examples.yml."""
    entry = _MANIFEST["examples"].get(example_id)
    assert entry, f"{_BLOCKS[example_id].location}: {example_id} is neither run nor excused in examples.yml"
    assert ("excused" in entry) != ("run" in entry), f"{example_id}: give either run or excused"


def test_every_block_is_run_or_excused():
    """Also unmarked blocks, misplaced markers, duplicate ids, stale or ill-fitting entries."""
    problems = guide_examples.coverage_problems()
    assert not problems, "\n".join(problems)


def test_the_manifest_runs_in_a_workable_order():
    entries = guide_examples.load_manifest()["examples"]
    order = list(entries)
    first = next(name for name in order if entries[name].get("run") not in (None, "file"))
    assert not entries[first].get("background"), "the first runnable example runs before the background ones start"
    for name, entry in entries.items():
        if entry.get("run") == "message":
            shown_by = entry["shown_by"]
            assert order.index(shown_by) < order.index(name), f"{name}: {shown_by} must come before it"
            assert not entries[shown_by].get("background"), f"{name}: {shown_by} runs in the background"


def test_every_document_is_looked_at():
    names = [path.name for path in guide_examples.document_paths()]
    assert "README.md" in names
    assert {"guide_getting_started.rst", "guide_preflight.rst", "guide_troubleshooting.rst"} <= set(names)
    pending = guide_examples.load_manifest().get("pending_guides") or {}
    assert set(pending) <= set(names), "a pending guide that does not exist"


def _write(tmp_path: pathlib.Path, name: str, text: str) -> pathlib.Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_rst_blocks_and_markers(tmp_path):
    guide = _write(tmp_path, "guide.rst", """\
        ..
          A comment, ending in a double colon::

            not a block

        .. example-id: first

        .. code-block:: yaml
          :caption: options are not content

          # first.yml
          - hosts: all

        Text.

        .. example-id: message

        A message follows::

          Something failed.

        - a list item whose literal block has no marker::

            unmarked

        .. note::

          .. code-block:: console

            $ inside a directive
        """)
    document = guide_examples.parse(guide)
    assert document.problems == []
    found = [(block.example_id, block.language, block.text) for block in document.blocks]
    assert found == [
        ("first", "yaml", "# first.yml\n- hosts: all\n"),
        ("message", "", "Something failed.\n"),
        (None, "", "unmarked\n"),
        (None, "console", "$ inside a directive\n"),
    ]
    assert document.blocks[0].filename == "first.yml"
    assert guide_examples.find_block(guide, "# first.yml").example_id == "first"
    assert guide_examples.find_block(guide, "message").text == "Something failed.\n"


def test_markdown_blocks_and_markers(tmp_path):
    readme = _write(tmp_path, "README.md", """\
        <!-- example-id: one -->
        ```bash
        echo one
        ```

        - a list
            with a deeper continuation, not code

        Paragraph.

            indented code

        ~~~~
        ```
        a fence inside a fence
        ```
        ~~~~
        """)
    document = guide_examples.parse(readme)
    found = [(block.example_id, block.language, block.text) for block in document.blocks]
    assert found == [
        ("one", "bash", "echo one\n"),
        (None, "", "indented code\n"),
        (None, "", "```\na fence inside a fence\n```\n"),
    ]


def test_misplaced_markers(tmp_path):
    guide = _write(tmp_path, "guide.rst", """\
        .. example-id: lost

        .. example-id: kept

        .. code-block:: yaml

          a: 1

        .. example-id: dangling
        """)
    document = guide_examples.parse(guide)
    assert [block.example_id for block in document.blocks] == ["kept"]
    assert len(document.problems) == 2
    assert "lost" in document.problems[0] and "dangling" in document.problems[1]


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ({}, "neither run nor excused"),
        ({"one": {"run": "python"}}, "cannot run as python"),
        ({"one": {"excused": "two\nlines"}}, "one-line reason"),
        ({"one": {"run": "bash", "skip": {"not there": "why"}}}, "matches no line"),
        ({"one": {"run": "file"}}, "no entry lists it"),
        ({"one": {"run": "bash"}, "ghost": {"run": "bash"}}, "no block has this example id"),
    ],
)
def test_coverage_problems(tmp_path, entry, problem):
    readme = _write(tmp_path, "README.md", """\
        <!-- example-id: one -->
        ```bash
        echo one
        ```
        """)
    problems = guide_examples.coverage_problems({"examples": entry}, [readme])
    assert any(problem in text for text in problems), problems
