"""Check integration templates from the command line.

    python -m templates_app.validate FILE.xml [FILE.xml …]

Prints ``FILE: ok`` for a valid template, else one ``FILE:LINE:COL: message`` line per
problem (syntax errors, or every validation problem). Exit status: 0 when every file
is valid, 1 when any is invalid, 2 on a usage error or a file that cannot be read.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from templates_app.xmlmodel import TemplateXMLError, load_template


def check_file(path: str) -> list[str]:
    """The output lines for one file (raises OSError when it cannot be read)."""
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        load_template(data)
    except TemplateXMLError as err:
        return [f"{path}:{problem}" for problem in err.problems]
    return [f"{path}: ok"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m templates_app.validate",
        description="Check Custom CRM Integration templates (XML): well-formedness and the guide's rules.",
        epilog="Exit status: 0 all valid, 1 some invalid, 2 usage error or unreadable file.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE.xml", help="template files to check")
    args = parser.parse_args(argv)  # exits with status 2 on a usage error

    status = 0
    for path in args.files:
        try:
            lines = check_file(path)
        except OSError as err:
            print(f"{path}: cannot read the file: {err.strerror or err}", file=sys.stderr)
            status = 2
            continue
        print("\n".join(lines))
        if lines != [f"{path}: ok"] and status == 0:
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
