"""`cables parse FILE`: print one file's document as JSON."""

from __future__ import annotations

import argparse
import json
import sys


def command_parse(args: argparse.Namespace) -> int:
    """`cables parse`: print the document of one file as JSON."""
    from service.parsing import CableParseError, parse_cable

    try:
        document = parse_cable(args.file.read_bytes(), format=args.format)
    except CableParseError as error:
        print(f"cables parse: {args.file}: not a cable: {error}", file=sys.stderr)
        return 1
    json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0
