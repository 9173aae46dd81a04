"""`channelplan capacity`."""

from __future__ import annotations

from pathlib import Path

import typer

from channelplan.cli.common import (
    NoColorOpt,
    OutputOpt,
    QuietOpt,
    app,
    examples,
    format_option,
    guard,
    read_profile,
    render_result,
    warn_profile,
)


@app.command(epilog=examples("channelplan capacity profiles/northwind-bank.yaml",
                             "channelplan capacity profile.yaml --shift phone:live_chat=40%",
                             "channelplan capacity profile.yaml --shift phone:chatbot=20% "
                             "--shift email:knowledge_base=30% -f csv",
                             "channelplan capacity profile.yaml --agents phone=40 --agents live_chat=12",
                             "channelplan capacity profile.yaml --model erlang-c  # conventional figure"))
def capacity(
    profile: str = typer.Argument(..., metavar="PROFILE", help="Profile file ('-' reads standard input)."),
    shift: list[str] = typer.Option([], "--shift", metavar="FROM:TO=SHARE",
                                    help="Move SHARE of FROM's volume to TO before computing "
                                         "(what-if; repeatable)."),
    agents: list[str] = typer.Option([], "--agents", metavar="CHANNEL=N",
                                     help="The reverse question: what N agents on contacts in a "
                                          "live queue's busiest hour achieve (service level, "
                                          "abandonment, wait, occupancy; repeatable)."),
    model: str = typer.Option("erlang-a", "--model", metavar="MODEL",
                              help="Live queues: erlang-a (callers hang up; default) or erlang-c "
                                   "(the conventional figure, nobody hangs up)."),
    fmt: str = format_option("capacity"),
    output: Path | None = OutputOpt,
    quiet: bool = QuietOpt,
    no_color: bool = NoColorOpt,
) -> None:
    """Staffing, service level, abandonment, occupancy and monthly cost per channel.

    Live queues (phone, live chat) are sized with Erlang A on the busiest normal hour under an
    occupancy cap; email, social media and messaging as backlog workload; self-service by
    the contacts it contains. The staffed channels pool their agents: totals are rounded once
    and checked against constraints.agents and constraints.monthly_budget. Sizes the channels
    offered today (a greenfield profile: the recommended ones).
    """
    from channelplan.api import parse_agents, parse_shift
    from channelplan.plan import capacity_plan

    with guard():
        shifts: dict = {}
        for item in shift:
            key, share = parse_shift(item)
            shifts[key] = shifts.get(key, 0.0) + share
        rosters = dict(parse_agents(item) for item in agents)
        loaded = read_profile(profile)
        warn_profile(loaded, quiet)
        result = capacity_plan(loaded, shifts, model=model, agents=rosters)
        render_result("capacity", fmt, result, output, no_color)


