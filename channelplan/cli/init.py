"""`channelplan init`."""

from __future__ import annotations

from pathlib import Path

import typer

from channelplan.cli.common import (
    OutputOpt,
    app,
    emit,
    examples,
    fail,
    guard,
    refuse_directory,
    say,
)

TEMPLATES = ("minimal", "full")


@app.command(epilog=examples("channelplan init -o profile.yaml",
                             "channelplan init --template full -o profile.yaml --force"))
def init(
    template: str = typer.Option("minimal", "--template", "-t", metavar=f"[{'|'.join(TEMPLATES)}]",
                                 help=f"Starter to write: {', '.join(TEMPLATES)}."),
    output: Path | None = OutputOpt,
    force: bool = typer.Option(False, "--force", help="Overwrite FILE if it exists."),
) -> None:
    """Write a commented starter profile that validates."""
    from importlib import resources

    from channelplan.suggest import did_you_mean

    if template not in TEMPLATES:
        raise fail([f"channelplan init: error: unknown template {template!r}; choose one of: "
                     f"{', '.join(TEMPLATES)}{did_you_mean(template, TEMPLATES)}"])
    refuse_directory(output)
    from channelplan.output import is_special_target

    if output is not None and str(output) != "-" and output.exists() and not force \
            and not is_special_target(output):
        raise fail([f"channelplan init: error: {output} exists; use --force to overwrite it"])
    text = resources.files("channelplan").joinpath(f"templates/{template}.yaml").read_text("utf-8")
    with guard():
        emit(text, output)
    if output is not None and str(output) != "-":
        say(f"wrote {output}; next: channelplan validate {output}")


