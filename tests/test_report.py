"""`report`: a document a director can forward, in Markdown and as one HTML page."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections import Counter
from html.parser import HTMLParser

import pytest

from channelplan import load_profile
from channelplan.catalogue import CHANNEL_IDS, catalogue
from channelplan.plan import build_plan
from channelplan.rules import rule_catalogue
from channelplan.textsafe import md
from conftest import PROFILES, SHOP, invoke

RAW_IDS = [c for c in CHANNEL_IDS if "_" in c] + ["erlang_c", "erlang_a", "answer_within"]
VOID = {"meta", "input", "br"}


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """Both formats of every bundled profile's report, and the plan behind them."""
    out = {}
    folder = tmp_path_factory.mktemp("reports")
    for path in PROFILES:
        texts = {}
        for fmt, suffix in (("markdown", "md"), ("html", "html")):
            target = folder / f"{path.stem}.{suffix}"
            result = invoke("report", str(path), "-f", fmt, "-o", str(target), "--quiet")
            assert result.exit_code == 0, result.output
            texts[fmt] = target.read_text(encoding="utf-8")
        out[path.stem] = (texts, build_plan(load_profile(path)))
    return out


def _prose(markdown: str) -> str:
    """The Markdown without code: fenced blocks and inline code spans removed."""
    text = re.sub(r"```.*?```", "", markdown, flags=re.S)
    return re.sub(r"`[^`\n]*`", "", text)


def _html_prose(page: str) -> str:
    text = re.sub(r"<(pre|code|style|svg)\b.*?</\1>", "", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


@pytest.mark.parametrize("stem", [p.stem for p in PROFILES])
def test_no_raw_ids_in_prose_or_tables(reports, stem):
    (texts, _plan) = reports[stem]
    prose = {"markdown": _prose(texts["markdown"]).replace("\\_", "_"),
             "html": _html_prose(texts["html"])}
    # no identifier of any kind: a setting a sentence names is shown as code
    assert not re.search(r"\w\\_\w", _prose(texts["markdown"]))
    for fmt, text in prose.items():
        for raw in RAW_IDS:
            assert raw not in text, (fmt, raw, text[max(0, text.find(raw) - 200):text.find(raw) + 50])


@pytest.mark.parametrize("stem", [p.stem for p in PROFILES])
def test_every_task_appears_once(reports, stem):
    texts, plan = reports[stem]
    # the same words can be a task of several retirements: each is listed once per retirement
    titles = Counter(t.title for t in plan.roadmap.tasks if not t.series)
    # a check repeated every week is one task, with every date, not one line a week
    series = Counter((t.channel, t.phase, t.series) for t in plan.roadmap.tasks if t.series)
    for (_channel, _phase, check), weeks in series.items():
        dates = ", ".join(t.due.isoformat() for t in plan.roadmap.tasks if t.series == check)
        line = f"] Every week for {weeks} weeks, {md(check)} (owner: support lead; due {dates})"
        assert texts["markdown"].count(line) == 1, check
        assert texts["html"].count(html.escape(line[2:], quote=False)) == 1, check
    assert "] Week 1 of" not in texts["markdown"] and "Week 1 of" not in texts["html"]
    for title, times in titles.items():
        assert texts["markdown"].count(f"] {md(title)} (owner: ") == times, title   # checklist
        assert f"| {md(title)} |" not in texts["markdown"], title                  # no task table
        escaped = html.escape(title, quote=False)
        assert texts["html"].count(f"<span>{escaped} (owner: ") == times, title
        assert f"<td>{escaped}</td>" not in texts["html"], title
    assert "| Task | Phase | Owner | Due |" not in texts["markdown"]


@pytest.mark.parametrize("stem", [p.stem for p in PROFILES])
def test_the_summary_leads_with_the_decision_and_its_net_effect(reports, stem):
    texts, plan = reports[stem]
    summary = texts["markdown"].split("## Summary\n\n")[1].split("\n\n")[0].splitlines()
    assert summary[0].startswith("- **Decision:** ")
    for v in plan.recommendation.channels:
        if v.action in ("keep", "improve", "add", "retire"):
            assert md(v.name) in summary[0]
    assert summary[1].startswith("- **Net effect")
    net = plan.net
    if plan.roadmap.retirements:
        currency = plan.profile.company.currency
        assert (f"{net.channels_today} → {net.channels_after} channels; "
                f"{currency} {net.monthly_cost_today:,.0f} → {currency} "
                f"{net.monthly_cost_after:,.0f} a month") in summary[1]
        assert f"{net.staff_today:g} → {net.staff_after:g} full-time people" in summary[1]
        assert summary[2].startswith(f"- **Customers moved:** {net.moved_share * 100:.0f}% of contacts")
        # one set of figures in the whole report: today's is the capacity model's (and the
        # decision core's), the end state is the report's "After the transition" capacity,
        # the recommended channels at the volumes the retirements leave them
        rec = plan.recommendation.net
        assert plan.after is not None
        assert net.monthly_cost_after == plan.after.monthly_cost
        assert net.staff_after == plan.after.fte_required
        assert net.monthly_cost_today == pytest.approx(rec["today"]["monthly_cost"], abs=0.01)
        assert net.monthly_cost_today == plan.capacity.monthly_cost
        assert sorted(rec["plan"]["channels"]) == sorted(plan.roadmap.volumes_after())
        after_section = texts["markdown"].split("### After the transition")[1]
        assert f"{currency} {net.monthly_cost_after:,.0f} against" in after_section
        # the decision core's own estimate of the plan (every moved contact arriving) is
        # `recommend`'s; the report does not print a second, different end state
        assert f"{currency} {rec['plan']['monthly_cost']:,.0f} a month" not in texts["markdown"] \
            or round(rec["plan"]["monthly_cost"]) == round(net.monthly_cost_after)
        shares = sum(v.share for v in plan.recommendation.channels
                     if v.channel in {r.channel for r in plan.roadmap.retirements})
        assert net.moved_share == pytest.approx(shares, abs=0.01)


@pytest.mark.parametrize("stem", [p.stem for p in PROFILES])
def test_charts_are_readable(reports, stem):
    texts, plan = reports[stem]
    fences = re.findall(r"```mermaid\n(.*?)```", texts["markdown"], flags=re.S)
    gantts = [f for f in fences if f.startswith("gantt")]
    quadrants = [f for f in fences if f.startswith("quadrantChart")]
    assert len(quadrants) == 1
    labels = re.findall(r"^    (\S+): \[", quadrants[0], flags=re.M)
    assert labels == [str(p.number) for p in plan.chart]   # numbers, not names that overlap
    for p in plan.chart:                                     # and a table that names them
        assert re.search(rf"^\| {p.number} \| {re.escape(md(p.name))} \|", texts["markdown"], re.M)
    assert len(gantts) == (1 if plan.roadmap.retirements else 0)   # the programme, once
    for chart in gantts:
        assert re.search(r"^    axisFormat %[a-zA-Z]( %[a-zA-Z])?$", chart, re.M)
        assert re.search(r"^    tickInterval [1-9]\d*(week|month)$", chart, re.M)
    figures = texts["html"].count("<figure><svg")
    assert figures == 1 + len(gantts)


class _Balance(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


@pytest.mark.parametrize("stem", [p.stem for p in PROFILES])
def test_html_is_one_well_formed_self_contained_page(reports, stem):
    page = reports[stem][0]["html"]
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    parser = _Balance()
    parser.feed(page)
    parser.close()
    assert not parser.problems and not parser.stack, (parser.problems, parser.stack)
    for svg in re.findall(r"<svg\b.*?</svg>", page, flags=re.S):
        ET.fromstring(svg)   # each chart is well-formed XML
    # nothing to fetch: no script, no stylesheet link, no image or frame; the only URL is
    # the SVG namespace name, which is never fetched
    assert not re.search(r"<(script|link|img|iframe|object|embed)\b", page)
    assert not re.search(r"\bsrc=", page)
    assert set(re.findall(r'\bhref="(.)', page)) <= {"#"}   # links only within the page
    assert set(re.findall(r"https?://[^\s\"'<>]+", page)) <= {"http://www.w3.org/2000/svg"}
    assert "<style>" in page and "@import" not in page and "url(" not in page


def test_html_holds_the_same_document_as_the_markdown(reports):
    texts, plan = reports["pebble-and-pine-shop"]
    headings_md = re.findall(r"^#{1,6} (.*)$", _prose(texts["markdown"]), flags=re.M)
    headings_html = re.findall(r"<h[1-6] id=\"[^\"]*\">(.*?)</h[1-6]>", texts["html"])
    assert len(headings_md) == len(headings_html)
    assert "<title>Support channel plan: Pebble &amp; Pine Home Goods</title>" in texts["html"]
    for r in plan.roadmap.retirements:   # the Gantt has a row and a close marker per retirement
        assert f"{r.name} closes on {r.sunset_date.isoformat()}" in texts["html"]


def test_report_html_on_standard_output_and_help():
    result = invoke("report", str(SHOP), "-f", "html")
    assert result.exit_code == 0 and result.stdout.startswith("<!DOCTYPE html>")
    assert "-f html" in invoke("report", "--help").stdout


YEAR = re.compile(r"\b(19|20)\d\d\b")
HONEST = ("year not given", "channelplan assumption", "no single publisher")


def _cited(text: str) -> bool:
    return bool(YEAR.search(text)) or any(h in text for h in HONEST)


def test_every_source_names_a_year_or_says_it_has_none():
    for rule in rule_catalogue().values():
        if rule.id == "BASELINE":
            continue
        for part in rule.source.split(";"):
            assert _cited(part), (rule.id, part)
        assert "domain.md" not in rule.source and "seed article" not in rule.source.lower()
    for channel in catalogue().values():
        for field, source in channel.sources.items():
            assert _cited(source), (channel.id, field, source)
            assert "domain.md" not in source


@pytest.mark.parametrize("stem", [p.stem for p in PROFILES])
def test_the_warnings_carry_every_warning_of_the_plan(reports, stem):
    texts, plan = reports[stem]
    road = plan.roadmap
    expected = [f"line {w.line}: {w.message}" for w in plan.recommendation.warnings]
    expected += [f"not planned: {b.reason}" for b in road.blocked] + list(road.warnings)
    expected += [f"{r.name}: {w}" for r in road.retirements for w in r.warnings]
    section = texts["markdown"].split("\n## Warnings\n")[1]
    page = _html_prose(texts["html"].split('id="warnings"')[1])
    summary = texts["markdown"].split("## Summary\n\n")[1].split("\n\n")[0]
    for warning in expected:
        assert f"- {md(warning)}" in section.splitlines(), warning
        assert " ".join(warning.split()) in " ".join(page.split()), warning
    if expected:
        assert f"- **Warnings:** {len(set(expected))}, listed under *Warnings*" in summary
        assert "None." not in section
    else:
        assert section.strip() == "None." and "**Warnings:**" not in summary


def test_a_warning_the_roadmap_shows_is_in_the_summary(reports):
    texts, plan = reports["northwind-bank"]
    assert plan.roadmap.warnings, "the bank's roadmap warns that the team is too small"
    assert "None." not in texts["markdown"].split("\n## Warnings\n")[1]


def test_markdown_escapes_structure_but_not_a_plain_ampersand(reports):
    from markdown_it import MarkdownIt

    texts, _plan = reports["pebble-and-pine-shop"]
    assert texts["markdown"].startswith("# Support channel plan: Pebble & Pine Home Goods\n")
    assert "&amp;" not in _prose(texts["markdown"])
    assert "Support channel plan: Pebble &amp; Pine Home Goods</h1>" in texts["html"]
    assert "&amp;amp;" not in texts["html"]
    render = MarkdownIt("commonmark").renderInline
    # text that looks like an entity or a tag stays literal in Markdown and in HTML
    for raw in ("Pebble & Pine", "a &lt; b &#60; &amp;", "<b>bold</b>", "R&D; 5 > 3"):
        assert html.unescape(render(md(raw))) == raw, raw


@pytest.mark.parametrize("stem", [p.stem for p in PROFILES])
def test_the_month_table_and_the_capacity_after_agree_on_the_team(reports, stem):
    """The roadmap's month-by-month "within the team" uses the capacity model's test (people
    for the month and agents on duty at the busiest hour), so its last month says what the
    "After the transition" capacity says."""
    _, plan = reports[stem]
    programme = plan.roadmap.programme
    if programme is None or plan.after is None or plan.after.within_agents is None:
        pytest.skip("nothing retires, or no team size is given")
    last = programme.months[-1]
    assert last.staff_required == plan.after.fte_required
    assert last.within_agents == plan.after.within_agents
