"""`kfor-graph chart`: each chart holds what its queries return (every commander, every troop figure,
the totals per nation), the committed docs/charts/*.svg are what the graph gives today, the bytes do
not depend on the hash seed, the files are well-formed SVG and PNG, and bad input exits 2.

The project graph is loaded and each chart drawn once for the module."""

import calendar
import json
import struct
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from conftest import PROJECT, REPO, run_process
from kfor_graph import chart, resources
from kfor_graph.load import load_dataset
from kfor_graph.query import lexical, run_named_query

# One worker (pytest-xdist) for the module, so the charts are drawn once.
pytestmark = pytest.mark.xdist_group("charts")

SVG = "{http://www.w3.org/2000/svg}"
DOCS = REPO / "docs" / "charts"
NAMES = ["command-timeline", "troop-strength", "commanders-per-nation", "contributing-countries"]


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(root=resources.CHECKOUT)


@pytest.fixture(scope="module")
def figures(dataset):
    return {name: chart.figure(name, dataset, root=resources.CHECKOUT) for name in chart.chart_names()}


@pytest.fixture(scope="module")
def svgs(figures):
    return {name: chart.render_figure(fig, "svg") for name, fig in figures.items()}


def rows(name, dataset):
    result = run_named_query(name, dataset, root=resources.CHECKOUT)
    return [{var: lexical(row[var]) for var in result.vars} for row in result.rows]


def texts(svg: bytes) -> list[str]:
    """The text of every <text> element, as a reader (or a screen reader) gets it: the lines of a
    multi-line text (its <tspan>s) joined with spaces."""
    root = ET.fromstring(svg)
    return [" ".join(element.itertext()) for element in root.iter(f"{SVG}text")]


def mark_texts(svg: bytes) -> list[str]:
    """The texts of the charts' text marks (Vega's `mark-text role-mark` groups): the labels on the
    data, not the axes, legends or titles."""
    root = ET.fromstring(svg)
    return [
        " ".join(text.itertext())
        for group in root.iter(f"{SVG}g")
        if {"mark-text", "role-mark"} <= set(group.get("class", "").split())
        for text in group.iter(f"{SVG}text")
    ]


def spec_values(spec) -> list[dict]:
    """Every inline data row of a Vega-Lite spec, in its layers and panels."""
    if isinstance(spec, list):
        return [row for part in spec for row in spec_values(part)]
    if not isinstance(spec, dict):
        return []
    own = spec.get("data", {}).get("values", []) if isinstance(spec.get("data"), dict) else []
    return own + [row for key, part in spec.items() if key != "data" for row in spec_values(part)]


def test_the_charts():
    assert chart.chart_names() == NAMES


# --- content against the queries --------------------------------------------------------------


def test_timeline_names_every_commander_with_ordinal(dataset, svgs):
    commanders = rows("commanders-in-order", dataset)
    assert len(commanders) == 30
    labels = texts(svgs["command-timeline"])
    for row in commanders:
        assert f"{row['ordinal']}. {row['name']}" in labels


def test_timeline_marks_today_and_the_change_of_rank(svgs):
    text = " ".join(texts(svgs["command-timeline"]))
    # chart-dates: the primary source is dated 2018-11-29; commanders-by-rank: major generals from term 15
    assert '29 November 2018: "today" in the primary source, NATO\'s role in Kosovo' in text
    assert "1 September 2010: Lieutenant General to Major General (term 15)" in text


def test_timeline_draws_month_boundaries_and_alternative_intervals(figures, dataset):
    values = spec_values(figures["command-timeline"].spec)

    def marks(marker):
        return sorted((v["label"], v["claim"], v["at"]) for v in values if v.get("marker") == marker)

    # commanders-in-order: one preferred boundary given to the month (Mini's end);
    # terms-with-disagreeing-sources: two alternative intervals given to the month (terms 1 and 6),
    # each with both ends
    assert marks("boundary known only to the month") == [
        ("1. Michael Jackson", "alternative", "1999-04-16"),
        ("1. Michael Jackson", "alternative", "1999-10-16"),
        ("6. Marcel Valentin", "alternative", "2001-12-16"),
        ("6. Marcel Valentin", "alternative", "2002-09-16"),
        ("7. Fabio Mini", "preferred", "2003-10-16"),
    ]
    # Kather's end and Bout de Marnhac's start (2007), Kammerhoff's start (2003) are given to the
    # year only, drawn mid-year
    assert marks("boundary known only to the year") == [
        ("11. Roland Kather", "preferred", "2007-07-02"),
        ("12. Xavier Bout de Marnhac", "preferred", "2007-07-02"),
        ("8. Holger Kammerhoff", "preferred", "2003-07-02"),
    ]
    # and the caption says what both marks mean
    assert "only to the month or only to the year" in " ".join(figures["command-timeline"].caption)
    lone = [
        (v["label"], v["at"], v["sources"])
        for v in values
        if v.get("marker") == "the only boundary another source gives"
    ]
    assert lone == [("12. Xavier Bout de Marnhac", "2008-08-31", "NATO speech s080903a")]
    # the faint bars: the part of each alternative interval known to the day, with its source
    alternatives = {
        (v["label"], v["from"], v["to"], v["sources"])
        for v in values
        if v.get("claim") == "alternative" and v.get("part") == "known to the day"
    }
    assert alternatives == {
        ("1. Michael Jackson", "1999-05-01", "1999-10-01", "NATO Update e1003b"),
        ("6. Marcel Valentin", "2002-01-01", "2002-09-01", "French defence ministry (undated)"),
    }
    running = [(v["label"], v["claimed end"]) for v in values if v.get("marker") == "in office at the latest source"]
    assert running == [("30. Özkan Ulutaş", "in office at the latest source (3 October 2025)")]


def test_timeline_tooltips_name_the_sources(figures):
    spec = figures["command-timeline"].spec
    term7 = [v for v in spec_values(spec) if v.get("label") == "7. Fabio Mini" and v.get("part") == "known to the day"]
    assert [v["sources"] for v in term7] == ["Italian Wikinews, 1 September 2005; NATO Update e1004a"]
    tooltips = [field["field"] for layer in spec["layer"] for field in layer.get("encoding", {}).get("tooltip", [])]
    assert "sources" in tooltips


def test_troop_chart_shows_every_observation(dataset, svgs):
    observations = rows("troop-strength-over-time", dataset)
    assert len(observations) == 13
    assert sorted(mark_texts(svgs["troop-strength"])) == sorted(
        f"{row['qualifier']} {int(row['troops']):,}".strip() for row in observations
    )
    labels = texts(svgs["troop-strength"])
    for row in observations:
        assert f"{row['qualifier']} {int(row['troops']):,}".strip() in labels  # e.g. "just under 6,000"
    titles = {row["title"] for row in rows("chart-troop-strength", dataset)}
    assert titles <= set(labels)  # every source is named in the legend
    assert "approximately 50,000" in labels and "4,273" in labels and "over 15,800" in labels


def test_points_link_to_their_sources(dataset, svgs, figures):
    figures_rows = rows("chart-troop-strength", dataset)
    root = ET.fromstring(svgs["troop-strength"])
    links = [a.get("{http://www.w3.org/1999/xlink}href") for a in root.iter(f"{SVG}a")]
    assert links == [row["url"] for row in figures_rows if row["url"]]  # no link where there is no URL
    assert len(links) == 10
    assert set(figures["troop-strength"].sources) == {(row["title"], row["source"]) for row in figures_rows}


def test_troop_chart_joins_only_one_sources_series(figures):
    spec = figures["troop-strength"].spec
    lines = [layer for layer in spec["layer"] if layer["mark"]["type"] == "line"]
    joined = {row["source"] for row in lines[0]["data"]["values"]}
    assert joined == {"JFC Naples: KFOR history"}


def term_days(start: str, end: str) -> tuple[int, int]:
    """Fewest and most days of a term, written apart from kfor_graph.chart: a YYYY-MM boundary is
    any day of its month, a YYYY boundary any day of its year."""

    def bounds(value):
        parts = [int(p) for p in value.split("-")]
        if len(parts) == 3:
            return date(*parts), date(*parts)
        if len(parts) == 1:
            return date(parts[0], 1, 1), date(parts[0], 12, 31)
        return date(parts[0], parts[1], 1), date(parts[0], parts[1], calendar.monthrange(*parts)[1])

    (start_low, start_high), (end_low, end_high) = bounds(start), bounds(end)
    return (end_low - start_high).days, (end_high - start_low).days


def test_totals_per_nation_match_the_queries(dataset, svgs):
    labels = texts(svgs["commanders-per-nation"])
    latest = "2025-10-03"  # chart-dates: the latest sources, Dünya and Kurir, 3 October 2025
    assert [r["date"] for r in rows("chart-dates", dataset) if r["vantage"] == "latest source"] == [latest, latest]
    days = {}
    for row in rows("commanders-in-order", dataset):
        low, high = term_days(row["start"], row["end"] or latest)
        before = days.get(row["nationality"], (0, 0))
        days[row["nationality"]] = (before[0] + low, before[1] + high)
    nations = rows("commanders-per-nation", dataset)
    assert len(nations) == 8
    for row in nations:
        terms, commanders = int(row["terms"]), int(row["commanders"])
        assert f"{row['country']} ({row['nationality']})" in labels
        assert f"{terms} term{'s' * (terms > 1)}, {commanders} commander{'s' * (commanders > 1)}" in labels
        low, high = days[row["nationality"]]
        assert (f"{low:,} days" if low == high else f"{low:,} to {high:,} days") in labels
    assert "14 terms, 14 commanders" in labels and "2 terms, 1 commander" in labels
    assert "121 days" in labels  # Michael Jackson, 9 June to 8 October 1999
    assert "4,957 to 4,987 days" in labels  # Italy: Mini's end is known only to the month (October 2003)


def test_contributing_countries_shows_every_figure(dataset, svgs):
    labels = mark_texts(svgs["contributing-countries"])
    figures = rows("contributing-countries-over-time", dataset)
    assert [row["countries"] for row in figures] == ["35", "33", "29", "30", "28", "27", "27", "28"]
    assert sorted(labels) == sorted(row["countries"] for row in figures)


# --- captions, alt text, well-formed files ----------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_svg_is_well_formed_with_title_caption_and_alt_text(name, svgs, figures):
    root = ET.fromstring(svgs[name])
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    title, desc = list(root)[:2]
    assert (title.tag, title.text) == (f"{SVG}title", figures[name].title)
    assert (desc.tag, desc.text) == (f"{SVG}desc", figures[name].alt)
    text = " ".join(texts(svgs[name]))
    assert figures[name].title in text
    for query in chart.CHARTS[name].queries:  # the caption names each query the chart comes from
        assert query in text
    assert len(figures[name].alt) > 100


def test_png_is_well_formed(figures):
    png = chart.render_figure(figures["troop-strength"], "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    assert width > 1000 and height > 600


def test_spec_is_json_for_the_site(dataset):
    spec = chart.spec("troop-strength", dataset, root=resources.CHECKOUT)
    assert json.loads(json.dumps(spec)) == spec
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6")


# --- determinism ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_committed_charts_are_up_to_date(name, svgs):
    committed = DOCS / f"{name}.svg"
    assert svgs[name] == committed.read_bytes(), "regenerate: kfor-graph chart --all --out docs/charts"


def test_the_readme_command_regenerates_them_whatever_the_hash_seed(tmp_path):
    # README's `kfor-graph chart --all --out docs/charts`, in a process with another hash seed
    done = run_process("chart", "--all", "--out", tmp_path, seed="4242", cwd=REPO)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines() == [str(tmp_path / f"{name}.svg") for name in NAMES]
    for name in NAMES:
        assert (tmp_path / f"{name}.svg").read_bytes() == (DOCS / f"{name}.svg").read_bytes(), name


# --- the command and bad input ----------------------------------------------------------------


def test_list(cli):
    code, out, err = cli("chart", "--list")
    assert code == 0 and err == ""
    assert [line.split()[0] for line in out.splitlines()] == NAMES
    assert "every troop figure in time" in out


def test_png_by_suffix(cli, tmp_path):
    code, out, err = cli("chart", "contributing-countries", "--out", tmp_path / "c.png")
    assert (code, out, err) == (0, "", "")
    assert (tmp_path / "c.png").read_bytes()[:4] == b"\x89PNG"


def test_unknown_chart(cli):
    assert cli("chart", "nope") == (
        2,
        "",
        "kfor-graph: error: unknown chart 'nope' (one of: command-timeline, troop-strength, "
        "commanders-per-nation, contributing-countries)\n",
    )


def test_no_chart_name(cli):
    assert cli("chart") == (
        2,
        "",
        "kfor-graph: error: chart: give a chart NAME (one of: command-timeline, troop-strength, "
        "commanders-per-nation, contributing-countries) or --list\n",
    )


def test_unwritable_output(cli, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    out = blocker / "chart.svg"
    assert cli("chart", "troop-strength", "--out", out) == (
        2,
        "",
        f"kfor-graph: error: {out}: cannot write: {blocker} is not a folder\n",
    )


def test_graph_without_the_data(cli):
    data = PROJECT / "data"  # people and terms of a toy model: no observations, no COMKFOR terms
    assert cli("chart", "troop-strength", data) == (
        2,
        "",
        "kfor-graph: error: chart troop-strength: the graph holds no troop figures of KFOR "
        "(query chart-troop-strength returned no rows)\n",
    )
    assert cli("chart", "command-timeline", data) == (
        2,
        "",
        "kfor-graph: error: chart command-timeline: the graph holds no terms of office of the "
        "commander of KFOR (query chart-command-timeline returned no rows)\n",
    )


def test_all_needs_a_folder(cli):
    assert cli("chart", "--all") == (2, "", "kfor-graph: error: chart --all needs --out DIR\n")
