"""The console-script entry point: answers ``--version`` before importing anything heavy."""

from __future__ import annotations

import sys

from channelplan.metadata import version


def main() -> None:
    if sys.argv[1:2] in (["--version"], ["-V"]):
        sys.stdout.write(f"channelplan {version()}\n")
        return
    from channelplan.cli import run

    run()
