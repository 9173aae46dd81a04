"""`channelplan schema`."""

from __future__ import annotations

from pathlib import Path

from channelplan.cli.common import OutputOpt, app, emit, examples, guard


@app.command(epilog=examples("channelplan schema -o profile.schema.json",
                             "# then start each profile with the line",
                             "# yaml-language-server: $schema=profile.schema.json"))
def schema(output: Path | None = OutputOpt) -> None:
    """Print the JSON Schema of the profile format (for editors and yaml-language-server)."""
    from channelplan.schema import profile_schema_text

    with guard():
        emit(profile_schema_text(), output)


