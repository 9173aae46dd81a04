"""The console-script entry point: answers ``--version`` before importing anything heavy."""

from __future__ import annotations

import sys

from channelplan.metadata import version


def main() -> None:
    if sys.argv[1:2] in (["--version"], ["-V"]):
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
