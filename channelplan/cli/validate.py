"""`channelplan validate`."""

from __future__ import annotations

import sys

import typer

from channelplan.cli.common import QuietOpt, app, check_format, examples, guard, read_profile
from channelplan.errors import ExitStatus


@app.command(epilog=examples("channelplan validate profiles/*.yaml    # or a directory: profiles/",
                             "cat profile.yaml | channelplan validate -",
                             "channelplan validate -f json profiles/bank.yaml"))
def validate(
    profiles: list[str] = typer.Argument(..., help="Profile files, directories (their *.yaml and "
                                                   "*.yml) or quoted globs; '-' reads standard "
                                                   "input.", metavar="PROFILE..."),
    fmt: str = typer.Option("table", "--format", "-f", metavar="[table|json]",
                            help="table (plain lines) or json."),
    quiet: bool = QuietOpt,
) -> None:
    """Check profiles and print every problem as FILE:LINE:COLUMN: message.

    Exit status 0 when every profile is valid, 2 when any is not.
    """
    import json

    from channelplan.errors import ProfileError
    from channelplan.textsafe import plain

    fmt = check_format(fmt, ("table", "json"), "validate")
    from channelplan.comparison import expand

    results: list[tuple[str, list, list]] = []
    with guard():
        for path in expand(profiles):
            try:
                profile = read_profile(path)
                results.append((path, [], profile.warnings))
            except ProfileError as exc:
                results.append((path, exc.problems, []))
    failed = any(errors for _, errors, _ in results)
    if fmt == "json":
        doc = {"schema": "channelplan/validation@1", "valid": not failed, "files": [
            {"source": path, "valid": not errors, "errors": [e.to_dict() for e in errors],
             "warnings": [w.to_dict() for w in warnings]} for path, errors, warnings in results]}
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=True) + "\n")
    else:
        for path, errors, warnings in results:
            for error in errors:
                sys.stdout.write(plain(str(error)) + "\n")
            if not quiet:
                for w in warnings:
                    sys.stdout.write(plain(f"{w.source}:{w.line}:{w.column}: warning: "
                                           f"{w.message}") + "\n")
                if not errors:
                    sys.stdout.write(plain(f"{path}: ok") + "\n")
    raise typer.Exit(int(ExitStatus.BAD_INPUT if failed else ExitStatus.OK))


