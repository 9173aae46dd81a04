"""Compare business units through the channelplan Python API.

    python examples/compare_profiles.py profiles/

Prints, for each profile, the channels to keep, add and retire, and the monthly cost and
staff of today's channels; a profile that does not load is reported with its located
problems and the others still run. Exit status 2 if any profile failed to load.
"""

from __future__ import annotations

import sys
from pathlib import Path

from channelplan import ProfileError, capacity, load_profile, recommend


def main(folders: list[str]) -> int:
    paths = sorted(p for folder in folders or ["profiles"] for p in Path(folder).glob("*.y*ml"))
    failed = 0
    for path in paths:
        try:
            profile = load_profile(path)
        except ProfileError as exc:
            failed += 1
            print(f"{path}: does not load")
            for problem in exc.problems:
                print(f"  {problem}")
            continue
        result = recommend(profile, robustness=False)
        actions: dict[str, list[str]] = {}
        for verdict in result.channels:
            actions.setdefault(verdict.action, []).append(verdict.channel)
        plan = capacity(profile)
        print(f"{profile.company.name} ({path})")
        for action in ("keep", "improve", "add", "retire"):
            if actions.get(action):
                print(f"  {action:8} {', '.join(actions[action])}")
        label = "today" if profile.channels.offered() else "planned"
        print(f"  {label:8} {plan.staff_required:g} staff at the busiest hour, "
              f"{profile.company.currency} {plan.monthly_cost:,.0f} a month")
    return 2 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
