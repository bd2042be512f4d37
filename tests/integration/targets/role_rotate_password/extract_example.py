# Copyright (c) 2026 dyn.managed_dns contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write a guide's code block to a file, so that a test runs the example exactly as documented.

Usage: extract_example.py GUIDE.rst FIRST_LINE OUTPUT -- the code block whose first line is
FIRST_LINE (for example ``# rotate.yml``), without the block's indentation.
"""

from __future__ import annotations

import sys
import textwrap


def extract(guide: str, first_line: str) -> str:
    lines = open(guide, encoding="utf-8").read().splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == first_line)
    block = []
    for line in lines[start:]:
        if line and not line.startswith(" "):  # the block ends at the next unindented line
            break
        block.append(line)
    return textwrap.dedent("\n".join(block)).strip() + "\n"


if __name__ == "__main__":
    with open(sys.argv[3], "w", encoding="utf-8") as output:
        output.write(extract(sys.argv[1], sys.argv[2]))
