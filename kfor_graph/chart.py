"""Charts of KFOR Graph: Vega-Lite specifications (built with Altair) drawn from the rows of the
queries in queries/, rendered to static SVG or PNG by vl-convert.

Every number, name and date in a chart comes from a query's rows; the code only decides how to draw
them. The same Vega-Lite spec (`spec()`) is interactive when embedded in a web page (vega-embed):
each mark's tooltip names its sources.

    chart_names()                               # the charts, in the order of `kfor-graph chart --list`
    figure("command-timeline", dataset)         # Figure: title, caption, alt text, spec, sources
    spec("command-timeline", dataset)           # the Vega-Lite spec (a dict, JSON-ready) for vega-embed
    render("troop-strength", dataset, "svg")    # bytes, the same for the same graph ("png" too)

A graph without the data a chart needs raises InputError, never draws an empty picture. For
"sans-serif" vl-convert measures text with Arial, else Helvetica, else its own Liberation Sans
(metric-compatible with Arial), so the layout should not depend on the fonts installed; only this
machine (no Arial, no Helvetica) has been tried.
"""

import calendar
import json
import textwrap
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from xml.sax.saxutils import escape

import altair as alt
import vl_convert

from kfor_graph.errors import InputError
from kfor_graph.query import lexical, run_named_query

__all__ = [
    "CHARTS",
    "FORMATS",
    "ChartInfo",
    "Figure",
    "chart_names",
    "info",
    "figure",
    "spec",
    "render",
    "render_figure",
    "nation_days",
]

FORMATS = ("svg", "png")
# vl-convert bundles several Vega-Lite versions; pinning one keeps the output bytes stable.
VEGA_LITE_VERSION = "6.4"
WIDTH = 760
FONT = "sans-serif"
# Tableau 10, Vega's default categorical scheme, given in full so that a nation keeps its colour
# whichever chart it appears in (nations are ordered by terms of command, then by code).
PALETTE = ["#4c78a8", "#f58518", "#e45756", "#72b7b2", "#54a24b", "#eeca3b", "#b279a2", "#ff9da6", "#9d755d", "#bab0ac"]
FADED = 0.45


@dataclass(frozen=True)
class ChartInfo:
    name: str
    title: str
    summary: str  # one line, for `kfor-graph chart --list`
    queries: tuple[str, ...]


@dataclass(frozen=True)
class Figure:
    """A chart ready to render or embed: Vega-Lite spec, title, caption (lines), alt text, and the
    source documents its data comes from as (title, IRI) pairs, for a list of links under it."""

    name: str
    title: str
    caption: tuple[str, ...]
    alt: str
    spec: dict
    sources: tuple[tuple[str, str], ...] = ()


CHARTS = {
    info.name: info
    for info in (
        ChartInfo(
            "command-timeline",
            "Commanders of KFOR, 1999 to the latest source",
            "every term of office of COMKFOR as a bar in time, coloured by the commander's nation, "
            "with month-precision boundaries, other sources' intervals, the primary source's "
            "'today' and the change of rank",
            ("chart-command-timeline", "chart-dates"),
        ),
        ChartInfo(
            "troop-strength",
            "KFOR's troop strength over time",
            "every troop figure in time, with its qualifier (approximately, over, just under, "
            "exact), the precision of its date and its source",
            ("chart-troop-strength",),
        ),
        ChartInfo(
            "commanders-per-nation",
            "Command of KFOR by nation",
            "terms of command, commanders and days in command per nation",
            ("commanders-per-nation", "chart-command-timeline", "chart-dates"),
        ),
        ChartInfo(
            "contributing-countries",
            "Countries contributing troops to KFOR",
            "the number of countries contributing troops, figure by figure with its source",
            ("chart-contributing-countries",),
        ),
    )
}


def chart_names() -> list[str]:
    return list(CHARTS)


def info(name: str) -> ChartInfo:
    if name not in CHARTS:
        raise InputError(f"unknown chart '{name}' (one of: {', '.join(CHARTS)})")
    return CHARTS[name]


def figure(name: str, dataset, root=None) -> Figure:
    """The chart `name` for the dataset: raises InputError if the graph lacks its data."""
    chart = info(name)
    rows = {query: _rows(query, dataset, root) for query in chart.queries}
    return _BUILDERS[name](chart, rows)


def spec(name: str, dataset, root=None) -> dict:
    """The chart's Vega-Lite specification (JSON-ready), for vega-embed."""
    return figure(name, dataset, root).spec


def render(name: str, dataset, fmt: str = "svg", root=None) -> bytes:
    """The chart as SVG (text kept as <text>, with <title> and <desc>) or PNG bytes."""
    return render_figure(figure(name, dataset, root), fmt)


def render_figure(fig: Figure, fmt: str = "svg") -> bytes:
    if fmt not in FORMATS:
        raise InputError(f"unknown chart format '{fmt}' (one of: {', '.join(FORMATS)})")
    if fmt == "png":
        return vl_convert.vegalite_to_png(fig.spec, vl_version=VEGA_LITE_VERSION, scale=2)
    svg = vl_convert.vegalite_to_svg(fig.spec, vl_version=VEGA_LITE_VERSION)
    # Alt text for screen readers and for a reader of the file: the first children of the root
    # element, as SVG 1.1 asks of <title> and <desc>.
    head, sep, body = svg.partition(">")
    accessible = f'{head} role="img"{sep}<title>{escape(fig.title)}</title><desc>{escape(fig.alt)}</desc>'
    return (accessible + body).encode("utf-8")


# --- rows and dates --------------------------------------------------------------------------


def _rows(query: str, dataset, root) -> list[dict[str, str]]:
    """A query's rows as its CSV shows them: lexical values, '' for unbound."""
    result = run_named_query(query, dataset, root=root)
    return [{var: lexical(row.get(var)) for var in result.vars} for row in result.rows]


def _require(rows, name, what, query):
    if not rows:
        raise InputError(f"chart {name}: the graph holds no {what} (query {query} returned no rows)")


def _period(value: str) -> tuple[date, date]:
    """The first day of a YYYY-MM-DD, YYYY-MM or YYYY value, and the first day after it."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        first = date(*parts)
        return first, first + timedelta(days=1)
    if len(parts) == 2:
        year, month = parts
        return date(year, month, 1), date(year + month // 12, month % 12 + 1, 1)
    return date(parts[0], 1, 1), date(parts[0] + 1, 1, 1)


def _precision(value: str) -> str:
    return {3: "day", 2: "month", 1: "year"}[len(value.split("-"))]


def _human(value: str) -> str:
    """9 June 1999, October 2003 or 2002, as the value's precision allows."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        return f"{parts[2]} {calendar.month_name[parts[1]]} {parts[0]}"
    if len(parts) == 2:
        return f"{calendar.month_name[parts[1]]} {parts[0]}"
    return str(parts[0])


def _iso(day: date) -> str:
    return day.isoformat()


def _framing_dates(rows) -> dict[str, dict[str, str]]:
    return {row["vantage"]: row for row in rows}


def _sources(rows, claim: str | None = None) -> tuple[tuple[str, str], ...]:
    """The (title, IRI) of every source in the rows (of one claim only, if given), by title."""
    return tuple(sorted({(row["title"], row["source"]) for row in rows if claim in (None, row.get("claim"))}))


def _caption(*sentences: str) -> tuple[str, ...]:
    return tuple(line for sentence in sentences for line in textwrap.wrap(sentence, 105))


def _title(fig_title: str, caption: tuple[str, ...]) -> alt.TitleParams:
    return alt.TitleParams(
        fig_title,
        subtitle=list(caption),
        anchor="start",
        fontSize=16,
        subtitleFontSize=11,
        subtitleColor="#444",
        offset=12,
    )


def _nations(terms: list[dict]) -> list[str]:
    """Nations by terms of command (most first), then by code: the colour order of every chart."""
    counts = Counter(term["nationality"] for term in terms)
    return sorted(counts, key=lambda code: (-counts[code], code))


def _nation_scale(codes: list[str]) -> alt.Scale:
    return alt.Scale(domain=codes, range=[PALETTE[i % len(PALETTE)] for i in range(len(codes))])


def _configure(chart, alt_text: str):
    return (
        chart.properties(description=alt_text)
        .configure(font=FONT)
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=11, titleFontSize=12, titleColor="#333", labelColor="#333")
        .configure_legend(
            labelFontSize=11,
            titleFontSize=12,
            orient="bottom",
            direction="horizontal",
            columns=4,
            symbolLimit=0,
            symbolOpacity=1,
            labelLimit=420,
        )
    )


# --- command-timeline ------------------------------------------------------------------------


def _terms(rows) -> list[dict]:
    """One dict per term: its preferred interval with its sources, and its alternative intervals."""
    terms: dict[str, dict] = {}
    for row in rows:
        term = terms.setdefault(
            row["ordinal"],
            {key: row[key] for key in ("ordinal", "name", "nationality", "country", "rank")}
            | {"alternatives": {}, "sources": []},
        )
        if row["claim"] == "preferred":
            term["start"], term["end"] = row["start"], row["end"]
            if row["title"] not in term["sources"]:
                term["sources"].append(row["title"])
        else:
            term["alternatives"].setdefault((row["start"], row["end"]), []).append(row["title"])
    return sorted(terms.values(), key=lambda term: int(term["ordinal"]))


def _interval_marks(term, start, end, claim, sources, latest):
    """The bars of one claimed interval: the part known to the day, and each boundary's month (or
    year) known only as a whole, drawn faded."""
    base = {
        "label": f"{term['ordinal']}. {term['name']}",
        "nationality": term["nationality"],
        "country": term["country"],
        "rank": term["rank"],
        "claim": claim,
        "claimed start": _human(start) if start else "not given",
        "claimed end": _human(end)
        if end
        else ("not given" if claim == "alternative" else f"in office at the latest source ({_human(latest)})"),
        "sources": "; ".join(sources),
    }
    bars, boundaries = [], []
    solid_from = _period(start)[1 if _precision(start) != "day" else 0] if start else None
    solid_to = (_period(end)[0] if end else _period(latest)[0]) if (end or claim == "preferred") else None
    if solid_from and solid_to and solid_from <= solid_to:
        bars.append(base | {"from": _iso(solid_from), "to": _iso(solid_to), "part": "known to the day"})
    for value, which in ((start, "start"), (end, "end")):
        if value and _precision(value) != "day":
            first, after = _period(value)
            bars.append(
                base | {"from": _iso(first), "to": _iso(after), "part": f"{which} known to the {_precision(value)}"}
            )
            boundaries.append(
                base
                | {
                    "at": _iso(first + (after - first) / 2),
                    "boundary": f"{which} known only to the {_precision(value)}",
                    "marker": f"boundary known only to the {_precision(value)}",
                }
            )
        elif value and claim == "alternative" and not (start and end):  # a claim giving one boundary only
            boundaries.append(
                base
                | {
                    "at": _iso(_period(value)[0]),
                    "boundary": f"{which} only",
                    "marker": "the only boundary another source gives",
                }
            )
    return bars, boundaries


def _command_timeline(chart: ChartInfo, rows) -> Figure:
    timeline = rows["chart-command-timeline"]
    _require(timeline, chart.name, "terms of office of the commander of KFOR", "chart-command-timeline")
    dates = _framing_dates(rows["chart-dates"])
    terms = _terms(timeline)
    latest = dates.get("latest source", {}).get("date") or max(
        value for term in terms for value in (term["start"], term["end"]) if value
    )
    codes = _nations(terms)

    bars, alternatives, boundaries, running = [], [], [], []
    for term in terms:
        b, marks = _interval_marks(term, term["start"], term["end"], "preferred", term["sources"], latest)
        bars += b
        boundaries += marks
        if not term["end"] and b:
            running.append(b[0] | {"at": _iso(_period(term["start"])[0]), "marker": "in office at the latest source"})
        for (start, end), sources in term["alternatives"].items():
            b, marks = _interval_marks(term, start, end, "alternative", sources, latest)
            alternatives += b
            boundaries += marks

    ranks = []  # the first term of each rank after the first: where the rank of COMKFOR changed
    for before, after in zip(terms, terms[1:], strict=False):
        if before["rank"] != after["rank"]:
            ranks.append(
                {
                    "at": _iso(_period(after["start"])[0]),
                    "text": [
                        f"{_human(after['start'])}:",
                        f"{before['rank']} to",
                        f"{after['rank']} (term {after['ordinal']})",
                    ],
                }
            )
    today = dates.get("primary source")
    events = list(ranks)
    if today:
        events.append(
            {
                "at": today["date"],
                "text": [f"{_human(today['date'])}:", '"today" in the primary', f"source, {today['title']}"],
            }
        )

    labels = [f"{term['ordinal']}. {term['name']}" for term in terms]
    first_day = _period(min(term["start"] for term in terms))[0]
    domain = [_iso(date(first_day.year, 1, 1)), _iso(_period(latest)[1])]
    middle = _period(latest)[0] - (_period(latest)[0] - date(first_day.year, 1, 1)) / 2
    x = alt.X(
        "from:T",
        title="date (years)",
        scale=alt.Scale(type="utc", domain=domain),
        axis=alt.Axis(
            format="%Y", tickCount={"interval": "year", "step": 2}, grid=True, gridColor="#eee", orient="top"
        ),
    )
    y = alt.Y("label:N", sort=labels, axis=None, title=None)
    color = alt.Color(
        "nationality:N",
        scale=_nation_scale(codes),
        title="nation of the commander",
        legend=alt.Legend(labelExpr=_legend_names(terms, codes)),
    )
    tooltip = [
        alt.Tooltip(f, type="nominal")
        for f in ("label", "rank", "country", "claim", "claimed start", "claimed end", "sources")
    ]

    preferred = (
        alt.Chart(alt.Data(values=bars))
        .mark_bar(size=11, yOffset=-2)
        .encode(
            x=x,
            x2="to:T",
            y=y,
            color=color,
            tooltip=tooltip,
            opacity=alt.Opacity(
                "part:N",
                legend=None,
                scale=alt.Scale(
                    domain=[
                        "known to the day",
                        "start known to the month",
                        "end known to the month",
                        "start known to the year",
                        "end known to the year",
                    ],
                    range=[1, FADED, FADED, FADED, FADED],
                ),
            ),
        )
    )
    alternative = (
        alt.Chart(alt.Data(values=alternatives or [{}]))
        .mark_bar(size=4, yOffset=8, fillOpacity=FADED, strokeWidth=0.8)
        .encode(
            x=x,
            x2="to:T",
            y=y,
            color=color,
            tooltip=tooltip,
            stroke=alt.Stroke("nationality:N", scale=_nation_scale(codes), legend=None),
        )
    )
    shapes = {
        "boundary known only to the month": "diamond",
        "boundary known only to the year": "square",
        "the only boundary another source gives": "stroke",
        "in office at the latest source": "triangle-right",
    }
    present = {mark["marker"] for mark in boundaries + running}
    shapes = {marker: shape for marker, shape in shapes.items() if marker in present}
    shape = alt.Shape("marker:N", title=None, scale=alt.Scale(domain=list(shapes), range=list(shapes.values())))

    def markers(values, offset):
        return (
            alt.Chart(alt.Data(values=values or [{}]))
            .mark_point(filled=False, size=70, strokeWidth=1.5, yOffset=offset, color="#222")
            .encode(
                x=alt.X("at:T", scale=alt.Scale(type="utc", domain=domain)),
                y=y,
                shape=shape,
                tooltip=tooltip + [alt.Tooltip("marker", type="nominal")],
            )
        )

    preferred_markers = markers([m for m in boundaries + running if m["claim"] == "preferred"], -2)
    alternative_markers = markers([m for m in boundaries if m["claim"] == "alternative"], 8)
    # Each term's label beside its bar, on the side where the staircase of bars leaves room.
    spans = {}
    for bar in bars:
        first, last = spans.get(bar["label"], (bar["from"], bar["to"]))
        spans[bar["label"]] = (min(first, bar["from"]), max(last, bar["to"]))
    names = [
        {"label": label, "first": first, "last": last, "right": first < _iso(middle)}
        for label, (first, last) in spans.items()
    ]

    def name_labels(right):
        return (
            alt.Chart(alt.Data(values=[n for n in names if n["right"] == right] or [{}]))
            .mark_text(align="left" if right else "right", dx=5 if right else -9, yOffset=-2, fontSize=11)
            .encode(
                x=alt.X("last:T" if right else "first:T", scale=alt.Scale(type="utc", domain=domain)),
                y=y,
                text="label:N",
            )
        )

    label_right, label_left = name_labels(True), name_labels(False)
    rules = (
        alt.Chart(alt.Data(values=events))
        .mark_rule(strokeDash=[4, 3], color="#555")
        .encode(x=alt.X("at:T", scale=alt.Scale(type="utc", domain=domain)))
    )
    rule_text = (
        alt.Chart(alt.Data(values=events))
        .mark_text(align="left", dx=4, dy=0, baseline="top", fontSize=11, color="#333")
        .encode(x=alt.X("at:T", scale=alt.Scale(type="utc", domain=domain)), y=alt.value(4), text="text:N")
    )

    sources = sorted({row["title"] for row in timeline})
    caption = _caption(
        f"Data: kfor-graph query {chart.queries[0]} (the intervals and their {len(sources)} sources, "
        f"named in each bar's tooltip) and {chart.queries[1]} (the dates).",
        "A diamond or a square: a boundary the sources give only to the month or only to the year (the bar "
        "is faded over that month or year). "
        "A thin faint bar under a term: the interval another source gives.",
    )
    counts = Counter(term["nationality"] for term in terms)
    country = {term["nationality"]: term["country"] for term in terms}
    alt_text = (
        f"Timeline of the {len(terms)} terms of office of the commander of KFOR from "
        f"{_human(terms[0]['start'])} to {_human(latest)}, one bar per term labelled with its number and "
        f"the commander's name, coloured by nation: "
        + ", ".join(f"{country[c]} {counts[c]} term{'s' if counts[c] > 1 else ''}" for c in codes)
        + ". "
        + "".join(f"{' '.join(rank['text'])}. " for rank in ranks)
        + (
            f"A line marks {_human(today['date'])}, the date of the primary source ({today['title']}). "
            if today
            else ""
        )
        + f"{sum(1 for t in terms if t['alternatives'])} terms have another interval from another source; "
        f"{sum(m['marker'] == 'boundary known only to the month' for m in boundaries)} boundaries of the preferred "
        "and other intervals are known only to the month."
    )
    layers = alt.layer(
        rules, preferred, alternative, preferred_markers, alternative_markers, label_right, label_left, rule_text
    )
    layered = layers.properties(width=WIDTH, height=22 * len(terms), title=_title(chart.title, caption))
    return Figure(
        chart.name, chart.title, caption, alt_text, _configure(layered, alt_text).to_dict(), _sources(timeline)
    )


def _legend_names(terms, codes) -> str:
    """A Vega expression naming each nation in the legend (Italy (ITA)), from the rows."""
    country = {term["nationality"]: term["country"] for term in terms}
    names = json.dumps({code: f"{country[code]} ({code})" for code in codes}, ensure_ascii=False)
    return f"({names})[datum.label] || datum.label"


_BUILDERS = {"command-timeline": _command_timeline}


# --- troop-strength and contributing-countries -----------------------------------------------

QUALIFIERS = {"approximately": "circle", "over": "triangle-up", "just under": "triangle-down", "exact": "square"}


def _figures(chart: ChartInfo, rows, value: str, what: str, axis_title: str, log: bool) -> Figure:
    """Figures of one measure in time: a point per figure, shaped by its qualifier, coloured by its
    source, labelled with its value, drawn across the period its date covers. A dotted line joins
    only the figures of one source (a source's own series), never figures of different sources."""
    query = chart.queries[0]
    figures = rows[query]
    _require(figures, chart.name, what, query)
    points = []
    for row in figures:
        first, after = _period(row["date"])
        figure_text = f"{row['qualifier']} {int(row[value]):,}".strip()
        points.append(
            {
                "at": _iso(first),
                "until": _iso(after),
                "date": row["date"],
                "precision": row["precision"],
                "qualifier": row["qualifier"] or "exact",
                "value": int(row[value]),
                "figure": figure_text,
                "source": row["title"],
                "grade": row["grade"],
                "url": row["url"] or None,
            }
        )
    by_source = Counter(point["source"] for point in points)
    sources = list(dict.fromkeys(point["source"] for point in points))  # in order of their first figure
    first_year = _period(figures[0]["date"])[0].year
    last_year = _period(figures[-1]["date"])[0].year
    domain = [_iso(date(first_year, 1, 1)), _iso(date(last_year + 1, 1, 1))]
    time_scale = alt.Scale(type="utc", domain=domain)
    x = alt.X(
        "at:T",
        title="date of the figure",
        scale=time_scale,
        axis=alt.Axis(format="%Y", tickCount={"interval": "year", "step": 2}, grid=True, gridColor="#eee"),
    )
    y = alt.Y(
        "value:Q",
        title=axis_title,
        scale=alt.Scale(type="log", nice=False, padding=24) if log else alt.Scale(zero=True, nice=True),
        axis=alt.Axis(format=",d", grid=True, gridColor="#eee"),
    )
    source_scale = alt.Scale(domain=sources, range=PALETTE[: len(sources)])
    color = alt.Color(
        "source:N",
        title="source",
        scale=source_scale,
        legend=alt.Legend(columns=2, orient="bottom", direction="vertical"),
    )
    tooltip = [alt.Tooltip(f, type="nominal") for f in ("figure", "date", "precision", "source", "grade")]
    base = alt.Chart(alt.Data(values=points))
    unlabelled = alt.Color("source:N", scale=source_scale, legend=None)
    periods = base.mark_rule(strokeWidth=4, opacity=0.45).encode(
        x=x, x2="until:T", y=y, color=unlabelled, tooltip=tooltip
    )
    series = [point for point in points if by_source[point["source"]] > 1]
    line = (
        alt.Chart(alt.Data(values=series or [{}]))
        .mark_line(strokeDash=[2, 3], strokeWidth=1.5)
        .encode(x=x, y=y, color=unlabelled, detail="source:N")
    )
    # A click on a point opens its source, where the graph has the source's URL (a point without one
    # gets no link: Vega would resolve an empty one against its own base URL).
    shape = alt.Shape(
        "qualifier:N",
        title="the source's qualifier",
        scale=alt.Scale(domain=list(QUALIFIERS), range=list(QUALIFIERS.values())),
    )
    point = base.mark_point(size=90, filled=True, opacity=1)
    marks = [
        point.transform_filter("datum.url").encode(x=x, y=y, color=color, tooltip=tooltip, shape=shape, href="url:N"),
        point.transform_filter("!datum.url").encode(x=x, y=y, color=unlabelled, tooltip=tooltip, shape=shape),
    ]
    # Labels right of the period a figure's date covers; in the last part of the axis, left of it.
    end_zone = _iso(
        date.fromisoformat(domain[1]) - (date.fromisoformat(domain[1]) - date.fromisoformat(domain[0])) * 0.12
    )
    labels = [
        alt.Chart(alt.Data(values=[p for p in points if (p["at"] > end_zone) == left] or [{}]))
        .mark_text(fontSize=11, baseline="middle", align="right" if left else "left", dx=-9 if left else 6)
        .encode(x=alt.X("at:T" if left else "until:T", scale=time_scale), y=y, text="figure:N")
        for left in (False, True)
    ]
    joined = ", ".join(source for source in sources if by_source[source] > 1)
    caption = _caption(
        f"Data: kfor-graph query {query} ({len(points)} figures from {len(sources)} sources, in the legend).",
        "Each point is one figure as its source gives it, with the source's qualifier; a bar through a point "
        "spans the month or year its date covers. "
        + (
            f"A dotted line joins the figures of one source ({joined}); nothing is known between the figures."
            if joined
            else "The points are not joined: nothing is known between the figures."
        ),
    )
    alt_text = (
        f"Chart of {len(points)} figures of {what} from {_human(figures[0]['date'])} to "
        f"{_human(figures[-1]['date'])}: "
        + "; ".join(f"{_human(p['date'])}: {p['figure']} ({p['source']})" for p in points)
        + "."
    )
    layered = (
        alt.layer(periods, line, *marks, *labels)
        .properties(width=WIDTH, height=380, title=_title(chart.title, caption))
        .resolve_legend(color="independent")
    )
    return Figure(
        chart.name, chart.title, caption, alt_text, _configure(layered, alt_text).to_dict(), _sources(figures)
    )


def _troop_strength(chart, rows):
    return _figures(chart, rows, "troops", "troop figures of KFOR", "troops (log scale)", log=True)


def _contributing_countries(chart, rows):
    return _figures(
        chart, rows, "countries", "figures of KFOR's contributing countries", "countries contributing troops", log=False
    )


_BUILDERS.update({"troop-strength": _troop_strength, "contributing-countries": _contributing_countries})


# --- commanders-per-nation -------------------------------------------------------------------


def _days(start: str, end: str, latest: str) -> tuple[int, int]:
    """The fewest and most days a term can have lasted, given its boundaries' precision (a term
    still running counts up to the latest source)."""
    earliest_start, after_start = _period(start)
    earliest_end, after_end = _period(end or latest)
    latest_start, latest_end = after_start - timedelta(days=1), after_end - timedelta(days=1)
    return (earliest_end - latest_start).days, (latest_end - earliest_start).days


def nation_days(timeline_rows, latest: str) -> dict[str, tuple[int, int]]:
    """Days in command per nation (ISO code), as (fewest, most), from chart-command-timeline's rows."""
    totals: dict[str, tuple[int, int]] = {}
    for term in _terms(timeline_rows):
        low, high = _days(term["start"], term["end"], latest)
        before = totals.get(term["nationality"], (0, 0))
        totals[term["nationality"]] = (before[0] + low, before[1] + high)
    return totals


def _days_text(low: int, high: int) -> str:
    return f"{low:,} days" if low == high else f"{low:,} to {high:,} days"


def _commanders_per_nation(chart: ChartInfo, rows) -> Figure:
    nations = rows["commanders-per-nation"]
    _require(nations, chart.name, "commanders of KFOR with a nationality", "commanders-per-nation")
    timeline = rows["chart-command-timeline"]
    terms = _terms(timeline)
    dates = _framing_dates(rows["chart-dates"])
    latest = dates.get("latest source", {}).get("date") or max(
        value for term in terms for value in (term["start"], term["end"]) if value
    )
    days = nation_days(timeline, latest)
    codes = _nations(terms) or [row["nationality"] for row in nations]
    values = []
    for row in nations:
        low, high = days.get(row["nationality"], (0, 0))
        terms_n, commanders_n = int(row["terms"]), int(row["commanders"])
        values.append(
            {
                "nation": f"{row['country']} ({row['nationality']})",
                "nationality": row["nationality"],
                "terms": terms_n,
                "commanders": commanders_n,
                "fewest days": low,
                "most days": high,
                "terms text": f"{terms_n} term{'s' if terms_n != 1 else ''}, {commanders_n} commander{'s' if commanders_n != 1 else ''}",
                "days text": _days_text(low, high),
            }
        )
    order = [value["nation"] for value in values]  # the query's order: most terms first
    y = alt.Y("nation:N", sort=order, title=None, axis=alt.Axis(labelFontSize=12, labelPadding=6))
    color = alt.Color("nationality:N", scale=_nation_scale(codes), legend=None)
    tooltip = [alt.Tooltip(f, type="nominal") for f in ("nation", "terms text", "days text")]
    base = alt.Chart(alt.Data(values=values))
    terms_bars = base.mark_bar(size=16).encode(
        x=alt.X("terms:Q", title="terms of command", axis=alt.Axis(tickMinStep=1, grid=False)),
        y=y,
        color=color,
        tooltip=tooltip,
    )
    terms_text = base.mark_text(align="left", dx=5, fontSize=11).encode(x="terms:Q", y=y, text="terms text:N")
    days_axis = alt.X("fewest days:Q", title="days in command", axis=alt.Axis(format=",d", grid=False))
    days_bars = base.mark_bar(size=16).encode(
        x=days_axis, y=alt.Y("nation:N", sort=order, axis=None), color=color, tooltip=tooltip
    )
    days_range = base.mark_bar(size=16, opacity=FADED).encode(
        x="fewest days:Q", x2="most days:Q", y=alt.Y("nation:N", sort=order, axis=None), color=color, tooltip=tooltip
    )
    days_text = base.mark_text(align="left", dx=5, fontSize=11).encode(
        x="most days:Q", y=alt.Y("nation:N", sort=order, axis=None), text="days text:N"
    )
    running = [term for term in terms if not term["end"]]
    caption = _caption(
        "Data: kfor-graph query commanders-per-nation (terms and commanders), chart-command-timeline "
        "(the preferred interval of each term, from its sources) and chart-dates.",
        "Days run from a term's start to its end (a handover day counts for the incoming commander); a boundary "
        "known only to the month gives a range, the faded part of the bar"
        + (f"; the term still running at the latest source ({_human(latest)}) counts up to it." if running else "."),
    )
    alt_text = (
        "Bar charts of the terms of command of KFOR and the days in command per nation: "
        + "; ".join(f"{v['nation']}: {v['terms text']}, {v['days text']}" for v in values)
        + "."
    )
    left = alt.layer(terms_bars, terms_text).properties(width=300, height=30 * len(values))
    right = alt.layer(days_bars, days_range, days_text).properties(width=330, height=30 * len(values))
    both = alt.hconcat(left, right, spacing=60).properties(title=_title(chart.title, caption))
    return Figure(
        chart.name,
        chart.title,
        caption,
        alt_text,
        _configure(both, alt_text).to_dict(),
        _sources(timeline, "preferred"),
    )


_BUILDERS["commanders-per-nation"] = _commanders_per_nation
