"""One self-contained HTML page from the Markdown channelplan writes.

Not a general Markdown converter: it reads the subset the renderers produce (headings,
paragraphs, lists and task lists, block quotes, GitHub tables, code, ``**bold**``,
``*italic*``, ``<br>`` in table cells, backslash escapes and ``&lt;``-style entities).
Every other character is HTML-escaped, so the page can hold no tag this module did not
write, whatever a profile contains. Charts are inline SVG passed in by name and placed
where the Markdown has :func:`placeholder` lines. No script, no external file: styles are
inline, and the page works offline and in a mail attachment.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

from channelplan.textsafe import plain

STYLE = """
:root { color-scheme: light; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
       color: #1f2328; background: #fff; margin: 0; }
main { max-width: 1040px; margin: 0 auto; padding: 24px 32px 64px; }
h1 { font-size: 28px; border-bottom: 1px solid #d0d7de; padding-bottom: 8px; }
h2 { font-size: 22px; border-bottom: 1px solid #d0d7de; padding-bottom: 6px; margin-top: 40px; }
h3 { font-size: 18px; margin-top: 28px; }
h4 { font-size: 16px; margin-top: 22px; }
table { border-collapse: collapse; margin: 12px 0 20px; font-size: 13px; width: 100%; }
th, td { border: 1px solid #d0d7de; padding: 4px 8px; vertical-align: top; }
th { background: #f6f8fa; text-align: left; }
td.r, th.r { text-align: right; white-space: nowrap; }
tr:nth-child(even) td { background: #fbfcfd; }
code { font: 13px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
       background: #f6f8fa; padding: 1px 4px; border-radius: 4px; }
pre { background: #f6f8fa; padding: 12px; overflow-x: auto; }
blockquote { margin: 12px 0; padding: 4px 12px; border-left: 4px solid #d4a72c;
             background: #fff8c5; }
ul { padding-left: 24px; }
li.task { list-style: none; margin-left: -20px; display: flex; gap: 6px; align-items: baseline; }
td.d { white-space: nowrap; }
figure { margin: 16px 0; }
nav { font-size: 14px; margin: 8px 0 16px; color: #57606a; }
a { color: #0969da; text-decoration: none; }
@media print { nav { display: none; } }
svg { max-width: 100%; height: auto; }
@media print { main { max-width: none; padding: 0; } h2 { break-after: avoid; }
               table, figure { break-inside: avoid; } }
"""

_PLACEHOLDER = re.compile(r"^<!-- chart:([a-z]+) -->$")
_INLINE = re.compile(r"\\(.)|&(lt|gt|amp|quot|#\d{1,6});|`([^`]*)`|(\*\*)|(\*)|(<br>)")


def placeholder(name: str) -> str:
    """The line that marks where chart ``name`` goes."""
    return f"<!-- chart:{name} -->\n"


def inline(text: str) -> str:
    """One line of channelplan Markdown as HTML."""
    out: list[str] = []
    open_tags: list[str] = []
    pos = 0
    for m in _INLINE.finditer(text):
        out.append(html.escape(text[pos:m.start()], quote=False))
        pos = m.end()
        escaped, entity, code, strong, em, br = m.groups()
        if escaped is not None:
            out.append(html.escape(escaped, quote=False))
        elif entity is not None:
            out.append(f"&{entity};")
        elif code is not None:
            out.append(f"<code>{html.escape(code, quote=False)}</code>")
        elif br is not None:
            out.append("<br>")
        else:
            tag = "strong" if strong else "em"
            if open_tags and open_tags[-1] == tag:
                open_tags.pop()
                out.append(f"</{tag}>")
            else:
                open_tags.append(tag)
                out.append(f"<{tag}>")
    out.append(html.escape(text[pos:], quote=False))
    out += [f"</{tag}>" for tag in reversed(open_tags)]
    return "".join(out)


def _cells(line: str) -> list[str]:
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", body)]


def _class(cell: str, right: bool) -> str:
    """Right-aligned numbers; dates never broken at their hyphens."""
    if right:
        return ' class="r"'
    return ' class="d"' if re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", cell) else ""


def _table(lines: list[str]) -> str:
    head, rule, rows = _cells(lines[0]), _cells(lines[1]), [_cells(x) for x in lines[2:]]
    right = [cell.endswith(":") for cell in rule]

    def row(cells: list[str], tag: str) -> str:
        return "<tr>" + "".join(
            f"<{tag}{_class(c, i < len(right) and right[i])}>{inline(c)}</{tag}>"
            for i, c in enumerate(cells)) + "</tr>"

    return ("<table>\n<thead>" + row(head, "th") + "</thead>\n<tbody>\n"
            + "\n".join(row(r, "td") for r in rows) + "\n</tbody>\n</table>")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "section"


def to_html(markdown: str, charts: Mapping[str, str]) -> str:
    """The body of the page: channelplan Markdown as HTML, charts in their places."""
    lines = markdown.split("\n")
    out: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []
    seen: dict[str, int] = {}

    def flush() -> None:
        if paragraph:
            out.append("<p>" + " ".join(inline(x) for x in paragraph) + "</p>")
            paragraph.clear()
        if items:
            out.append("<ul>\n" + "\n".join(items) + "\n</ul>")
            items.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        chart = _PLACEHOLDER.match(stripped)
        heading = re.match(r"^(#{1,6}) (.*)$", line)
        task = re.match(r"^- \[([ xX])\] (.*)$", line)
        if chart:
            flush()
            out.append(f"<figure>{charts.get(chart.group(1), '')}</figure>")
        elif stripped.startswith("```"):
            flush()
            block = []
            i += 1
            while i < len(lines) and not lines[i].strip().startswith("```"):
                block.append(lines[i])
                i += 1
            out.append("<pre><code>" + html.escape("\n".join(block), quote=False) + "</code></pre>")
        elif heading:
            flush()
            level, title = len(heading.group(1)), heading.group(2)
            slug = _slug(html.unescape(re.sub(r"\\(.)", r"\1", title)))
            seen[slug] = seen.get(slug, 0) + 1
            ident = slug if seen[slug] == 1 else f"{slug}-{seen[slug]}"
            out.append(f'<h{level} id="{ident}">{inline(title)}</h{level}>')
        elif stripped.startswith("|") and i + 1 < len(lines) and re.match(
                r"^\|(\s*:?-{3,}:?\s*\|)+\s*$", lines[i + 1].strip()):
            flush()
            block = [line, lines[i + 1]]
            i += 2
            while i < len(lines) and lines[i].strip().startswith("|"):
                block.append(lines[i])
                i += 1
            out.append(_table(block))
            continue
        elif task:
            if paragraph:
                flush()
            checked = " checked" if task.group(1) in "xX" else ""
            items.append(f'<li class="task"><input type="checkbox" disabled{checked}>'
                         f"<span>{inline(task.group(2))}</span></li>")
        elif line.startswith("- "):
            if paragraph:
                flush()
            items.append(f"<li>{inline(line[2:])}</li>")
        elif line.startswith("> ") or line == ">":
            flush()
            out.append(f"<blockquote><p>{inline(line[2:])}</p></blockquote>")
        elif not stripped:
            flush()
        else:
            if items:
                flush()
            paragraph.append(stripped)
        i += 1
    flush()
    return "\n".join(out) + "\n"


def contents(body: str) -> str:
    """Links to the page's sections (its second-level headings), for a long page."""
    sections = re.findall(r'^<h2 id="([a-z0-9-]+)">(.*)</h2>$', body, flags=re.M)
    if len(sections) < 2:
        return ""
    return ('<nav aria-label="Contents">' + " · ".join(
        f'<a href="#{ident}">{title}</a>' for ident, title in sections) + "</nav>\n")


def page(title: str, markdown: str, charts: Mapping[str, str]) -> str:
    """A complete HTML document: ``title`` is plain text (escaped here)."""
    body = to_html(markdown, charts)
    first = body.find("</h1>\n")
    if first >= 0:
        body = body[:first + 6] + contents(body) + body[first + 6:]
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{html.escape(plain(title))}</title>\n<style>{STYLE}</style>\n</head>\n"
            f"<body>\n<main>\n{body}</main>\n</body>\n</html>\n")
