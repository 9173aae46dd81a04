"""Hostile input, injection, atomic writes and startup: the tool never crashes, hangs, leaks
markup or loses a file."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from channelplan import ProfileError, parse_profile
from channelplan.checklist import checklist_status, render_checklist
from channelplan.errors import ChecklistError
from channelplan.render import FORMATS
from conftest import BANK, PROFILE_TEXTS, PROFILES, ROOT, invoke

TEXTS = PROFILE_TEXTS
TIME_LIMIT = 5.0


def _within_time(call):
    start = time.monotonic()
    try:
        return call()
    finally:
        assert time.monotonic() - start < TIME_LIMIT, "an input took too long"


def _loads_or_fails_cleanly(data) -> None:
    try:
        profile = _within_time(lambda: parse_profile(data, source="fuzz.yaml"))
    except ProfileError as exc:
        assert exc.problems and all(p.line >= 1 and p.column >= 1 for p in exc.problems)
        return
    # Whatever loads must also score, size and plan without an unexpected error.
    from channelplan import capacity, recommend, roadmap
    from channelplan.errors import UsageError

    _within_time(lambda: recommend(profile))
    _within_time(lambda: capacity(profile))
    try:
        _within_time(lambda: roadmap(profile))
    except UsageError as exc:  # the one refusal a recommended plan can meet
        assert "cannot retire" in str(exc), exc


# Hostile input ------------------------------------------------------------------------------

@settings(max_examples=150)
@given(st.binary(max_size=2000))
def test_random_bytes(data):
    _loads_or_fails_cleanly(data)


yaml_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(),
                         st.text(max_size=50), st.sampled_from(
                             ["1e308", "-1e308", "1e-320", ".nan", ".inf", "-.inf", "2027-02-30",
                              "9999-99-99", "0x1F", "0o17", "no", "~", "99999999999999999999999"]))


def _to_yaml(value, depth=0) -> str:
    if isinstance(value, dict):
        items = (f"{json.dumps(str(k))}: {_to_yaml(v, depth + 1)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_to_yaml(v, depth + 1) for v in value) + "]"
    if isinstance(value, str) and value in ("1e308", "-1e308", "1e-320", ".nan", ".inf", "-.inf",
                                             "2027-02-30", "9999-99-99", "0x1F", "0o17", "no", "~",
                                             "99999999999999999999999"):
        return value
    if isinstance(value, float) and value != value:
        return ".nan"
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return ".inf" if value > 0 else "-.inf"
    return json.dumps(value)


@settings(max_examples=150)
@given(st.recursive(yaml_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)),
    max_leaves=20))
def test_random_yaml(value):
    _loads_or_fails_cleanly(_to_yaml(value))


KEYS_AND_VALUES = [
    ("contacts_per_month: 42000", ["contacts_per_month: 1e308", "contacts_per_month: 1e-300",
                                   "contacts_per_month: 999999999", "contacts_per_month: .nan"]),
    ("handle_minutes: 9", ["handle_minutes: 1e-300", "handle_minutes: 1440", "handle_minutes: 1e308"]),
    ("peak_factor: 1.5", ["peak_factor: 50", "peak_factor: 1", "peak_factor: .inf"]),
    ("agents: 55", ["agents: 0", "agents: 0.001", "agents: 10000000", "agents: -.inf"]),
    ("monthly_budget: 260000", ["monthly_budget: 0", "monthly_budget: 1e12"]),
    ("concurrency: 3", ["concurrency: 20", "concurrency: 1"]),
    ("shrinkage: 30%", ["shrinkage: 99.99%", "shrinkage: 0%"]),
    ("min_notice_days: 30", ["min_notice_days: 3650", "min_notice_days: 0"]),
    ("start: 2027-01-04", ["start: 9999-12-31", "start: 0001-01-01", "start: 2027-02-29"]),
    ("name: Northwind Savings Bank", ["name: " + "x" * 120, "name: " + "x" * 5000]),
]


@pytest.mark.parametrize("old, new", [(old, new) for old, news in KEYS_AND_VALUES for new in news])
def test_extreme_values(old, new):
    text = BANK.read_text()
    assert old in text
    _loads_or_fails_cleanly(text.replace(old, new, 1))


@pytest.mark.parametrize("text", [
    "a: " + "[" * 100_000,
    "a:\n" + "".join(" " * i + "- \n" for i in range(400)),
    "x: &a [" + ",".join(["y"] * 50) + "]\n" + "".join(
        f"x{i}: &a{i} [" + ",".join([f"*a{i - 1}" if i else "*a"] * 50) + "]\n" for i in range(8)),
    "version: 1\n" + "k: v\n" * 150_000,
    "\ufeff\ufeffversion: 1\n",
    "version: 1\ncompany:\n  name: \"\\ud800\"\n",
    "!!binary aGVsbG8=\n",
    "version: !!float 1\n",
    "? [a, b]\n: c\n",
    "version: 1\n<<: {company: {name: X}}\n",
])
def test_pathological_documents(text):
    _loads_or_fails_cleanly(text)


def test_invalid_utf8_and_oversized_files_through_every_reader(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"version: 1\ncompany:\n  name: \xff\xfe\n")
    for command in ("validate", "recommend", "capacity", "roadmap", "report", "checklist"):
        result = invoke(command, str(bad))
        assert result.exit_code == 2 and "Traceback" not in result.output
        assert f"{bad}:3:9: file is not UTF-8 text" in result.output
    big = tmp_path / "big.md"
    big.write_bytes(b"- [ ] x <!-- task:a.b.c -->\n" * 50_000)
    assert invoke("status", str(big)).exit_code == 2


@settings(max_examples=100)
@given(st.text(alphabet=st.sampled_from(list("- [xX]()<!>:tasko.d0129#\n \t`|*")), max_size=400))
def test_random_checklists_never_crash(text):
    import datetime as dt

    try:
        _within_time(lambda: checklist_status(text, "c.md", dt.date(2027, 1, 1)))
    except ChecklistError as exc:
        assert exc.problems
    from channelplan import load_profile, roadmap

    plan = roadmap(load_profile(BANK))
    try:
        merged = _within_time(lambda: render_checklist(plan, text))
    except ChecklistError as exc:  # text that is not a checklist is never rewritten
        assert exc.problems and text.strip()
        return
    assert render_checklist(plan, merged) == merged  # stable once merged


# Injection ----------------------------------------------------------------------------------

HOSTILE_NAME = '[bold red]Boom[/] \\e[31mred\\e]8;;http://x\\a <b>|#'
HOSTILE_INDUSTRY = '<script>alert(1)</script> ``` %%{init}%% --> \\u202e\\x9b'
HOSTILE_TOPIC = '# Heading\\n| a | b |\\n```\\nend ]] :::x [link](javascript:alert(1)) =cmd'
HOSTILE = f'''version: 1
company:
  name: "{HOSTILE_NAME}"
  industry: "{HOSTILE_INDUSTRY}"
demand:
  contacts_per_month: 5000
  topics:
    - name: "{HOSTILE_TOPIC}"
      share: 60%
      urgency: hours
      sensitivity: financial
    - name: "- item\\r\\n1. two <img src=x onerror=alert(1)>"
      share: 40%
      urgency: days
channels:
  email: {{share: 70%}}
  social_media: {{share: 30%}}
transition: {{start: 2027-01-04}}
'''


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "hostile.yaml"
    path.write_text(HOSTILE)
    profile = parse_profile(HOSTILE)
    assert "\x1b" in profile.company.name and "\n" in profile.demand.topics[0].name
    return path


def _commands(path):
    for command in ("recommend", "capacity", "roadmap", "report", "compare"):
        for fmt in FORMATS[command]:
            yield command, [command, str(path), "-f", fmt, "--no-color"]
    yield "checklist", ["checklist", str(path)]


CONTROL = ["\x1b", "\x07", "\x9b", "\u202e", "\r"]
HTML_TAGS = {"html", "head", "meta", "title", "style", "body", "main", "h1", "h2", "h3", "h4",
             "h5", "h6", "p", "ul", "li", "input", "span", "table", "thead", "tbody", "tr", "th",
             "td", "code", "pre", "strong", "em", "br", "blockquote", "figure", "svg", "rect",
             "line", "text", "path", "circle", "nav", "a"}
HTML_ATTRIBUTES = {"href", "lang", "charset", "name", "content", "id", "class", "type", "disabled",
                   "checked", "xmlns", "viewbox", "width", "height", "role", "aria-label",
                   "font-family", "font-size", "font-weight", "font-style", "x", "y", "x1", "y1",
                   "x2", "y2", "rx", "fill", "stroke", "stroke-width", "text-anchor", "transform",
                   "d", "cx", "cy", "r"}


def html_tags(page: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Every start tag of an HTML page with its attributes, as a browser would read them."""
    from html.parser import HTMLParser

    found: list[tuple[str, list[tuple[str, str | None]]]] = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Tags().feed(page)
    return found


@pytest.mark.parametrize("index", range(len(list(_commands("x")))))
def test_profile_text_is_inert_in_every_format(hostile, index):
    command, args = list(_commands(hostile))[index]
    result = invoke(*args, env={"NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    for char in CONTROL:
        assert char not in out, (args, repr(char))
    fmt = args[args.index("-f") + 1] if "-f" in args else "markdown"
    if fmt == "json":
        doc = json.loads(out)

        def strings(node):
            if isinstance(node, dict):
                for value in node.values():
                    yield from strings(value)
            elif isinstance(node, list):
                for value in node:
                    yield from strings(value)
            elif isinstance(node, str):
                yield node

        found = list(strings(doc))
        assert any("\x1b" in text for text in found)  # the data itself is kept exactly
    elif fmt == "table":
        if command in ("recommend", "capacity", "roadmap", "compare"):
            assert "[bold red]Boom[/]" in out or command in ("capacity",)
    elif fmt == "csv":
        assert "\n=cmd" not in out and ",=cmd" not in out
    elif fmt == "ics":  # every line is one property; profile text never starts a new one
        lines = out.splitlines()
        assert all(re.match(r"^([A-Z-]+[;:]| )", line) for line in lines), lines
        assert not [line for line in lines if line.startswith(("BEGIN:", "END:"))
                    and line not in ("BEGIN:VCALENDAR", "END:VCALENDAR", "BEGIN:VEVENT", "END:VEVENT")]
    elif fmt == "html":  # only the tags and attributes the renderer writes; text escaped
        tags = html_tags(out)
        assert {name for name, _ in tags} <= HTML_TAGS, {name for name, _ in tags} - HTML_TAGS
        assert not [a for _, attrs in tags for a, _ in attrs if a not in HTML_ATTRIBUTES]
        assert all(v.startswith("#") for _, attrs in tags for a, v in attrs if a == "href")
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out and "<script" not in out
        assert "&lt;img src=x onerror=alert(1)&gt;" in out
    else:
        tokens = MarkdownIt("commonmark").enable("table").parse(out)
        # The one HTML block channelplan writes: its record of the task lines it wrote
        # (task ids and hashes only, nothing from the profile).
        record = re.compile(r"<!-- channelplan:lines( [A-Za-z0-9._-]+=[0-9a-f]{8})+ -->\n")
        assert not [t for t in tokens if t.type == "html_inline"
                    or (t.type == "html_block" and not record.fullmatch(t.content))]
        inline = [c for t in tokens if t.children for c in t.children]
        ours = re.compile(r"^(<br>|<!-- (task|phase|retirement|channelplan|former):[A-Za-z0-9._:-]+ -->)$")
        assert not [c for c in inline if c.type in ("link_open", "image")
                    or (c.type == "html_inline" and not ours.match(c.content))]
        headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
        assert not any(h.startswith("Heading") for h in headings)
        for fence in (t for t in tokens if t.type == "fence" and t.info == "mermaid"):
            for bad in ("%%", "<", "```", "[bold", ":::", "#", "Boom[", "javascript"):
                assert bad not in fence.content, (bad, fence.content)
        assert "<script>" not in out and "<img" not in out and "<b>" not in out


def test_validate_messages_are_inert(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text('version: 1\ncompany: {name: X, "\\e[31m[bold]k\\u202e": 1}\n')
    result = invoke("validate", str(path))
    assert result.exit_code == 2
    for char in CONTROL:
        assert char not in result.stdout
    assert "\\x1b" in result.stdout


def test_status_output_is_inert(tmp_path):
    checklist = tmp_path / "c.md"
    checklist.write_text("- [ ] \x1b[31mred [bold]x <script> (owner: web; due 2027-01-02) "
                         "<!-- task:a.b.c -->\n")
    for fmt in ("table", "markdown", "json"):
        result = invoke("status", str(checklist), "--today", "2027-02-01", "-f", fmt)
        assert result.exit_code == 0
        assert "\x1b" not in result.stdout
        if fmt == "markdown":
            assert "<script>" not in result.stdout


# Atomic writes --------------------------------------------------------------------------------

def _prefill(tmp_path):
    out = tmp_path / "out.txt"
    out.write_bytes(b"precious \x00 bytes\n")
    return out, out.read_bytes()


def test_failure_while_writing_leaves_the_old_file(tmp_path, monkeypatch):
    out, before = _prefill(tmp_path)

    def boom(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("channelplan.output.os.replace", boom)
    for args in (["recommend", str(BANK)], ["capacity", str(BANK), "-f", "csv"], ["report", str(BANK)],
                 ["compare", str(BANK), "-f", "json"], ["schema"]):
        result = invoke(*args, "-o", str(out))
        assert result.exit_code == 2, args
        assert "No space left on device" in result.stderr
        assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_failure_while_rendering_leaves_the_old_file(tmp_path, monkeypatch):
    out, before = _prefill(tmp_path)
    import channelplan.comparison as compare_module

    real = compare_module.compare_one
    calls = {"n": 0}

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("renderer crashed half-way")
        return real(*args, **kwargs)

    monkeypatch.setattr(compare_module, "compare_one", flaky)
    result = invoke("compare", *map(str, PROFILES), "-f", "json", "-o", str(out))
    assert isinstance(result.exception, RuntimeError)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_checklist_regeneration_failure_keeps_ticks(tmp_path, monkeypatch):
    out = tmp_path / "transition.md"
    invoke("checklist", str(BANK), "-o", str(out))
    ticked = out.read_text().replace("- [ ]", "- [x]", 3)
    out.write_text(ticked)
    monkeypatch.setattr("channelplan.output.os.replace",
                        lambda *a, **k: (_ for _ in ()).throw(OSError(5, "I/O error")))
    result = invoke("checklist", str(BANK), "-o", str(out))
    assert result.exit_code == 2
    assert out.read_text() == ticked


# Startup ----------------------------------------------------------------------------------------

HEAVY = ("pydantic", "yaml", "rich")


def _loaded_after(code: str) -> list[str]:
    probe = (code + "\nimport sys\nprint('MODULES:' + ','.join(sorted({m.split('.')[0] for m in "
             "sys.modules} & " + repr(set(HEAVY)) + ")))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    line = next(row for row in result.stdout.splitlines() if row.startswith("MODULES:"))
    return [m for m in line[len("MODULES:"):].split(",") if m]


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version_imports_no_heavy_module(flag):
    code = (f"import sys\nsys.argv = ['channelplan', '{flag}']\n"
            "from channelplan.entry import main\nmain()")
    assert _loaded_after(code) == []


def test_help_imports_no_heavy_module():
    """`channelplan --help` (with completion options and -V listed) imports no pydantic,
    PyYAML or Rich."""
    code = ("import sys\nsys.argv = ['channelplan', '--help']\nfrom channelplan.entry import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass")
    assert _loaded_after(code) == []


def test_importing_the_cli_and_the_package_is_light():
    assert _loaded_after("import channelplan.cli") == []
    assert _loaded_after("import channelplan") == []


def test_console_script_version(tmp_path):
    result = subprocess.run([sys.executable, "-m", "channelplan", "--version"], capture_output=True,
                            text=True, cwd=ROOT, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    assert result.returncode == 0 and result.stdout.startswith("channelplan ")


@settings(max_examples=40)
@given(st.sampled_from(TEXTS), st.integers(0, 4000), st.integers(0, 30),
       st.text(alphabet=st.sampled_from(list(":-[]{}&*!|>'\"#%@`,? \n\tab1\x00\x1b\xe9")), max_size=15),
       st.sampled_from(["validate", "recommend", "capacity", "roadmap", "report", "checklist"]))
def test_every_command_on_mutated_profiles_exits_0_or_2_without_traceback(text, at, cut, insert,
                                                                           command):
    mutated = text[:at] + insert + text[at + cut:]
    result = _within_time(lambda: invoke(command, "-", input=mutated.encode("utf-8", "surrogatepass")))
    assert result.exception is None, repr(result.exception)
    assert result.exit_code in (0, 2)
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        assert result.output.strip(), "a failure always says why"


def test_writing_through_a_symlink_keeps_the_link(tmp_path):
    real = tmp_path / "real.md"
    real.write_text("old\n")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    assert invoke("recommend", str(BANK), "-f", "markdown", "-o", str(link)).exit_code == 0
    assert link.is_symlink()
    assert real.read_text().startswith("# Northwind Savings Bank")
