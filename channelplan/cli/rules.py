"""`channelplan rules`."""

from __future__ import annotations

from pathlib import Path

import typer

from channelplan.cli.common import (
    NoColorOpt,
    OutputOpt,
    app,
    examples,
    fail,
    format_option,
    guard,
    render_result,
)


@app.command(epilog=examples("channelplan rules", "channelplan rules AGE-FIT",
                             "channelplan rules -f json"))
def rules(
    rule_id: str | None = typer.Argument(None, metavar="[RULE_ID]",
                                            help="A rule to explain, e.g. AGE-FIT."),
    fmt: str = format_option("rules"),
    output: Path | None = OutputOpt,
    no_color: bool = NoColorOpt,
) -> None:
    """List the scoring rules, or explain one: what it measures, its weight, evidence and source."""
    from channelplan.rules import rule_catalogue
    from channelplan.suggest import did_you_mean

    catalogue = rule_catalogue()
    chosen = list(catalogue.values())
    if rule_id is not None:
        key = rule_id.strip().upper()
        if key not in catalogue:
            hint = did_you_mean(key, catalogue, cutoff=0.5, otherwise=f"; known: {', '.join(catalogue)}")
            raise fail([f"channelplan rules: error: unknown rule id {rule_id!r}{hint}"])
        chosen = [catalogue[key]]
    with guard():
        render_result("rules", fmt, chosen, output, no_color)


