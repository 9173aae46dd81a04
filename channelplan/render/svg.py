"""The report's charts as inline SVG: a Gantt of the transition programme and the
fit-against-cost scatter plot. Drawn by channelplan, with no script and no external file;
every piece of text is escaped (profile text is untrusted).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence

from channelplan.plan import ChartPoint
from channelplan.render.roadmap import span
from channelplan.textsafe import plain
from channelplan.transition import Roadmap

FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif"'
PHASE_COLOURS = {"prepare": "#8c959f", "announce": "#54aeff", "parallel": "#4ac26b",
                 "brownouts": "#d4a72c", "sunset": "#cf222e", "monitor": "#a475f9"}
ACTION_COLOURS = {"keep": "#1a7f37", "improve": "#bf8700", "add": "#0969da", "retire": "#cf222e",
                  "skip": "#8c959f"}
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def _t(value: object) -> str:
    """Text for SVG: one printable line, XML-escaped."""
    return html.escape(plain(value))


def _svg(width: int, height: int, label: str, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" aria-label="{_t(label)}" {FONT} '
            f'font-size="12">\n' + "\n".join(body) + "\n</svg>")


def _ticks(first: dt.date, last: dt.date) -> list[tuple[dt.date, str]]:
    """Axis ticks with short labels: Mondays for a short programme, else months (every
    third month beyond a year and a half); the year shows on the first tick and in January."""
    days = (last - first).days
    ticks: list[tuple[dt.date, str]] = []
    if days <= 120:
        day = first + dt.timedelta(days=(7 - first.weekday()) % 7)
        step = 7 if days <= 70 else 14
        while day <= last:
            ticks.append((day, f"{day.day} {MONTHS[day.month - 1]}"))
            day += dt.timedelta(days=step)
        return ticks
    every = 1 if days <= 550 else 3
    year, month = (first.year, first.month + 1) if first.day > 1 else (first.year, first.month)
    if month > 12:
        year, month = year + 1, 1
    while dt.date(year, month, 1) <= last:
        day = dt.date(year, month, 1)
        label = MONTHS[month - 1] + (f" {year}" if not ticks or month == 1 else "")
        ticks.append((day, label))
        month += every
        while month > 12:
            year, month = year + 1, month - 12
    return ticks


def gantt_chart(plan: Roadmap) -> str:
    """One row per retiring channel, its phases as coloured segments, its sunset a diamond."""
    if not plan.retirements:
        return ""
    first, last = span(plan)
    end = last + dt.timedelta(days=1)
    total = max(1, (end - first).days)
    width, left, right, top, row = 960, 180, 24, 34, 34
    plot = width - left - right
    height = top + row * len(plan.retirements) + 58

    def x(day: dt.date) -> float:
        return round(left + (day - first).days / total * plot, 1)

    body = [f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>']
    for day, label in _ticks(first, end):
        body.append(f'<line x1="{x(day)}" y1="{top - 6}" x2="{x(day)}" '
                    f'y2="{top + row * len(plan.retirements)}" stroke="#d0d7de"/>')
        body.append(f'<text x="{x(day)}" y="{top - 12}" text-anchor="middle" '
                    f'fill="#57606a">{_t(label)}</text>')
    for i, r in enumerate(plan.retirements):
        y = top + i * row
        name = r.name if len(r.name) <= 26 else r.name[:25] + "…"
        body.append(f'<text x="{left - 10}" y="{y + row / 2 + 4}" text-anchor="end" '
                    f'fill="#1f2328">{_t(name)}</text>')
        for p in r.phases:
            x0, x1 = x(p.start), x(p.end + dt.timedelta(days=1))
            body.append(f'<rect x="{x0}" y="{y + 8}" width="{max(1.0, round(x1 - x0 - 1, 1))}" '
                        f'height="{row - 16}" rx="2" fill="{PHASE_COLOURS.get(p.key, "#8c959f")}">'
                        f"<title>{_t(f'{r.name}: {p.name}, {p.start.isoformat()} to {p.end.isoformat()}')}"
                        "</title></rect>")
        cx, cy = x(r.sunset_date), y + row / 2
        body.append(f'<path d="M{cx} {cy - 9} L{cx + 7} {cy} L{cx} {cy + 9} L{cx - 7} {cy} Z" '
                    f'fill="#1f2328" stroke="#ffffff" stroke-width="1.5">'
                    f"<title>{_t(f'{r.name} closes on {r.sunset_date.isoformat()}')}</title></path>")
    legend_y = top + row * len(plan.retirements) + 26
    lx = left
    for p in plan.retirements[0].phases:
        body.append(f'<rect x="{lx}" y="{legend_y - 10}" width="14" height="12" rx="2" '
                    f'fill="{PHASE_COLOURS.get(p.key, "#8c959f")}"/>')
        body.append(f'<text x="{lx + 20}" y="{legend_y}" fill="#1f2328">{_t(p.name)}</text>')
        lx += 100   # a slot per phase: the longest name, 'Parallel run', fits
    body.append(f'<path d="M{lx + 7} {legend_y - 13} L{lx + 14} {legend_y - 4} L{lx + 7} '
                f'{legend_y + 5} L{lx} {legend_y - 4} Z" fill="#1f2328"/>')
    body.append(f'<text x="{lx + 20}" y="{legend_y}" fill="#1f2328">Channel closes (sunset)</text>')
    return _svg(width, height, f"{plan.profile.company.name}: transition programme", body)


def _overlaps(box: tuple[float, float, float, float],
              boxes: Sequence[tuple[float, float, float, float]]) -> bool:
    x0, y0, x1, y1 = box
    return any(x0 < b[2] and b[0] < x1 and y0 < b[3] and b[1] < y1 for b in boxes)


def fit_chart(points: Sequence[ChartPoint]) -> str:
    """Customer fit against cost to serve: numbered points coloured by action, the numbers
    placed where they overlap neither another number nor another point."""
    width, height = 720, 520
    left, top, size_x, size_y = 70, 20, 620, 420
    mid_x, mid_y = left + size_x / 2, top + size_y / 2

    def px(p: ChartPoint) -> tuple[float, float]:
        return round(left + p.cost * size_x, 1), round(top + (1 - p.fit) * size_y, 1)

    body = [f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
            f'<rect x="{left}" y="{top}" width="{size_x / 2}" height="{size_y / 2}" fill="#dafbe1"/>',
            f'<rect x="{mid_x}" y="{top}" width="{size_x / 2}" height="{size_y / 2}" fill="#fff8c5"/>',
            f'<rect x="{left}" y="{mid_y}" width="{size_x / 2}" height="{size_y / 2}" fill="#f6f8fa"/>',
            f'<rect x="{mid_x}" y="{mid_y}" width="{size_x / 2}" height="{size_y / 2}" fill="#ffebe9"/>',
            f'<rect x="{left}" y="{top}" width="{size_x}" height="{size_y}" fill="none" stroke="#8c959f"/>']
    corners = [("Strong fit, cheap", left + 8, top + 18, "start"),
               ("Strong fit, costly", left + size_x - 8, top + 18, "end"),
               ("Poor fit, cheap", left + 8, top + size_y - 8, "start"),
               ("Poor fit, costly", left + size_x - 8, top + size_y - 8, "end")]
    for label, tx, ty, anchor in corners:
        body.append(f'<text x="{tx}" y="{ty}" text-anchor="{anchor}" fill="#57606a" '
                    f'font-style="italic">{_t(label)}</text>')
    body.append(f'<text x="{mid_x}" y="{top + size_y + 28}" text-anchor="middle" '
                f'fill="#1f2328">Cost to serve: low → high</text>')
    body.append(f'<text x="{left - 30}" y="{mid_y}" text-anchor="middle" fill="#1f2328" '
                f'transform="rotate(-90 {left - 30} {mid_y})">Customer fit: poor → strong</text>')
    for value in (0, 0.5, 1):
        body.append(f'<text x="{left + value * size_x}" y="{top + size_y + 14}" '
                    f'text-anchor="middle" fill="#57606a" font-size="10">{value:g}</text>')
        body.append(f'<text x="{left - 6}" y="{top + (1 - value) * size_y + 4}" '
                    f'text-anchor="end" fill="#57606a" font-size="10">{value:g}</text>')
    centres = [px(p) for p in points]
    dots = [(cx - 7, cy - 7, cx + 7, cy + 7) for cx, cy in centres]
    placed: list[tuple[float, float, float, float]] = []
    offsets = [(10, -6), (10, 14), (-10, -6), (-10, 14), (0, -12), (0, 24), (18, 4), (-18, 4),
               (10, -20), (-10, -20), (10, 28), (-10, 28), (26, -12), (-26, -12), (26, 20),
               (-26, 20)]
    for p, (cx, cy) in zip(points, centres, strict=True):
        colour = ACTION_COLOURS.get(p.action, "#8c959f")
        body.append(f'<circle cx="{cx}" cy="{cy}" r="6" fill="{colour}" stroke="#ffffff" '
                    f'stroke-width="1.5"><title>{_t(f"{p.number}. {p.name}: {p.action}")}'
                    "</title></circle>")
    for p, (cx, cy) in zip(points, centres, strict=True):
        label = str(p.number)
        w = 8 * len(label) + 2
        chosen = None
        for dx, dy in offsets:
            anchor_left = dx >= 0
            x0 = cx + dx if anchor_left else cx + dx - w
            box = (x0, cy + dy - 12, x0 + w, cy + dy + 2)
            if (not _overlaps(box, placed) and not _overlaps(box, dots)
                    and box[0] >= left and box[2] <= left + size_x and box[1] >= top
                    and box[3] <= top + size_y):
                chosen = box
                break
        if chosen is None:
            chosen = (cx + 10, cy - 18, cx + 10 + w, cy - 4)
        placed.append(chosen)
        body.append(f'<text x="{chosen[0] + 1}" y="{chosen[3] - 2}" font-weight="bold" '
                    f'font-size="13" fill="#1f2328">{_t(label)}</text>')
    lx, ly = left, height - 22
    for action in ("keep", "improve", "add", "retire", "skip"):
        if any(p.action == action for p in points):
            body.append(f'<circle cx="{lx + 6}" cy="{ly - 4}" r="6" fill="{ACTION_COLOURS[action]}"/>')
            body.append(f'<text x="{lx + 16}" y="{ly}" fill="#1f2328">{action}</text>')
            lx += 30 + 7 * len(action)
    body.append(f'<text x="{lx + 10}" y="{ly}" fill="#57606a">Numbers: see the table below</text>')
    return _svg(width, height, "Customer fit against cost to serve", body)
