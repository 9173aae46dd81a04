"""The console-script entry point: answers ``--version`` before importing anything heavy."""

from __future__ import annotations

import sys


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as package_version

    try:
        return package_version("channelplan")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0+unknown"


def main() -> None:
    if sys.argv[1:2] == ["--version"]:
        from channelplan import streams  # light: the standard streams, closed or full

        out = streams.install()
        try:
            out.write(f"channelplan {version()}\n")
            streams.flush_output(out)
        except OSError as exc:
            raise SystemExit(streams.stream_failed(exc)) from None
        return
    from channelplan.cli import run

    run()
