"""The competency questions in queries/*.rq: each prints exactly its queries/<name>.expected.csv, has
the header and ORDER BY the conventions ask for, and answers its parameters as its header promises.

The dataset is loaded once for the module; the queries run through kfor_graph.query, the code path
of `kfor-graph query NAME --format csv --engine rdflib` (tests/test_engines.py checks that the default
engine, Oxigraph, gives the same rows)."""

import csv
import io
import re

import pytest

from kfor_graph import resources
from kfor_graph.query import apply_params, format_result, query_params, read_header, run_named_query, run_query

# The modules that read rdflib's results (conftest.rdflib_result, cached per worker) share one worker
# (pytest-xdist): each query runs once on rdflib.
pytestmark = pytest.mark.xdist_group("rdflib-results")

QUERIES_DIR = resources.queries_dir(resources.CHECKOUT)
QUERIES = sorted(QUERIES_DIR.glob("*.rq"))  # not queries/qc/: quality checks have no expected results
MIN_QUERIES = 30


@pytest.fixture(scope="module")
def dataset(project_dataset):
    return project_dataset


def csv_of(name, dataset, **params):
    """What `kfor-graph query NAME --format csv [--param k=v ...]` prints."""
    return format_result(
        run_named_query(name, dataset, {k: str(v) for k, v in params.items()}, root=resources.CHECKOUT), "csv"
    )


def rows_of(name, dataset, **params):
    return list(csv.DictReader(io.StringIO(csv_of(name, dataset, **params))))


# --- every query: expected results, header, ORDER BY -------------------------------------------


def test_there_are_enough_queries():
    assert len(QUERIES) >= MIN_QUERIES, f"{len(QUERIES)} queries in {QUERIES_DIR}, want at least {MIN_QUERIES}"


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_query_prints_its_expected_csv(path, rdflib_result):
    expected = path.with_name(f"{path.stem}.expected.csv")
    assert expected.is_file(), f"{expected.name} is missing: every query needs its expected results"
    # what `kfor-graph query NAME --format csv` prints (the CLI runs the same run_query)
    assert format_result(rdflib_result(path), "csv") == expected.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_query_follows_the_conventions(path):
    text = path.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert re.fullmatch(r"#\+ summary: \S.*\?", first), "the first line is `#+ summary: <a question>?`"
    header = read_header(text)
    assert header.get("tags"), "a `#+ tags:` line"
    assert re.search(r"^PREFIX \w*: <[^>]+>$", text, re.MULTILINE), "PREFIX declarations"
    assert re.search(r"^\s*SELECT\b", text, re.MULTILINE | re.IGNORECASE), "a SELECT query"
    assert re.search(r"^ORDER BY \S", text, re.MULTILINE), "an ORDER BY that fixes the row order"
    for name in query_params(text):
        # a parameter is a one-variable VALUES line with one default (other inline data is written
        # VALUES (?x) { (a) (b) }, which the CLI does not take for a parameter)
        assert re.search(r"VALUES \?" + name + r' \{ ("[^"]*"\S*|[^\s{}"]+) \}', text), name


def test_no_expected_file_without_its_query():
    stems = {p.stem for p in QUERIES}
    orphans = [p.name for p in QUERIES_DIR.glob("*.expected.csv") if p.name[: -len(".expected.csv")] not in stems]
    assert not orphans


# --- parameters -------------------------------------------------------------------------------


def commanders(rows):
    return [(row["ordinal"], row["name"]) for row in rows]


def test_commander_on_default_date(dataset):
    assert commanders(rows_of("commander-on-date", dataset)) == [("9", "Yves de Kermabon")]


def test_commander_on_a_handover_day_gives_both(dataset):
    rows = rows_of("commander-on-date", dataset, date="2004-09-01")
    assert commanders(rows) == [("8", "Holger Kammerhoff"), ("9", "Yves de Kermabon")]
    assert [(r["start"], r["end"]) for r in rows] == [("2003", "2004-09-01"), ("2004-09-01", "2005-09-01")]


def test_commander_on_a_day_inside_a_month_precision_handover(dataset):
    # Fabio Mini's term ends in October 2003, to the month: any day of that month matches his term.
    # Holger Kammerhoff's term starts in 2003, to the year (no document read gives the month): any
    # day of 2003 matches it too.
    for date in ("2003-01-01", "2003-09-30", "2003-10-01", "2003-10-15", "2003-10-31"):
        assert commanders(rows_of("commander-on-date", dataset, date=date)) == [
            ("7", "Fabio Mini"),
            ("8", "Holger Kammerhoff"),
        ], date
    # before 2003 only Fabio Mini, after October 2003 only Holger Kammerhoff
    assert commanders(rows_of("commander-on-date", dataset, date="2002-12-31")) == [("7", "Fabio Mini")]
    assert commanders(rows_of("commander-on-date", dataset, date="2003-11-01")) == [("8", "Holger Kammerhoff")]


def test_commander_on_a_month_given_as_a_month(dataset):
    assert commanders(rows_of("commander-on-date", dataset, date="2003-10")) == [
        ("7", "Fabio Mini"),
        ("8", "Holger Kammerhoff"),
    ]


def test_commander_on_date_edges(dataset):
    assert commanders(rows_of("commander-on-date", dataset, date="1999-06-08")) == []
    assert commanders(rows_of("commander-on-date", dataset, date="1999-06-09")) == [("1", "Michael Jackson")]
    # the last term has no end: it matches any later day
    assert commanders(rows_of("commander-on-date", dataset, date="2030-01-01")) == [("30", "Özkan Ulutaş")]


def test_current_commander(dataset):
    rows = rows_of("current-commander", dataset)
    # two documents share the latest date (Dünya and Kurir, 3 October 2025): a row for each
    assert [(r["asOf"], r["vantage"], r["name"], r["source"].rsplit("/", 1)[1]) for r in rows] == [
        ("2018-11-29", "primary source", "Lorenzo D'Addario", "nato-role-in-kosovo"),
        ("2025-10-03", "latest source", "Özkan Ulutaş", "dunya-2025-10-03"),
        ("2025-10-03", "latest source", "Özkan Ulutaş", "kurir-2025-10-03"),
    ]


def test_param_ordinal_7_is_fabio_mini(cli):
    code, out, err = cli(
        "--root", resources.CHECKOUT, "query", "commander-by-ordinal", "--format", "csv", "--param", "ordinal=7"
    )
    assert (code, err) == (0, "")
    rows = list(csv.DictReader(io.StringIO(out)))
    # no document read names Mini's successor: the term has no next term
    assert {(r["ordinal"], r["name"], r["predecessor"], r["successor"]) for r in rows} == {
        ("7", "Fabio Mini", "Marcel Valentin", "")
    }
    assert {r["grade"] for r in rows} == {"A", "B"} and any(r["url"] for r in rows)


def test_param_ordinal_of_a_second_term(dataset):
    rows = rows_of("commander-by-ordinal", dataset, ordinal=30)
    assert {(r["name"], r["predecessor"], r["successor"], r["end"]) for r in rows} == {
        ("Özkan Ulutaş", "Enrico Barduani", "", "")
    }


@pytest.mark.parametrize(
    "ordinal, rule",
    [(6, ""), (8, "ordinal counted back from the next term"), (29, ""), (30, "ordinal counted from the previous term")],
)
def test_commander_by_ordinal_says_which_ordinals_no_document_states(dataset, ordinal, rule):
    # NATO Update e1003b counts Valentin the sixth, Tanjug Barduani the 29th; no document read counts
    # Kammerhoff or Ulutaş's second term
    assert {r["ordinalRule"] for r in rows_of("commander-by-ordinal", dataset, ordinal=ordinal)} == {rule}


def test_fact_source_of_an_observation_and_an_event(dataset):
    rows = rows_of("fact-source", dataset, fact="https://w3id.org/kfor/id/observation/kfor-troops-2018-11-29")
    assert [(r["url"], r["grade"]) for r in rows] == [("https://www.nato.int/cps/en/natolive/topics_48818.htm", "A")]
    assert rows[0]["quote"].startswith("Today, KFOR consists of approximately 4,000 troops")
    rows = rows_of("fact-source", dataset, fact="https://w3id.org/kfor/id/event/nalt-creation")
    assert [r["source"].rsplit("/", 1)[1] for r in rows] == [
        "jftc-magazine-2018-11",
        "nato-role-in-kosovo",
        "nato-topics-144933",
    ]


def test_relation_source_between_two_organisations(dataset):
    rows = rows_of("relation-source", dataset, object="https://w3id.org/kfor/id/organisation/eu")
    assert [(r["label"], r["grade"]) for r in rows] == [("KFOR cooperates with the EU", "A")]


def test_every_parameter_can_be_replaced(dataset, rdflib_result):
    """Replacing a default changes only the VALUES line: the query still parses and runs, with the
    same columns."""
    replaced = 0
    for path in QUERIES:
        text = path.read_text(encoding="utf-8")
        if not query_params(text):
            continue
        default_vars = rdflib_result(path).vars  # the defaults' run, shared with the expected-CSV tests
        # each name once: a name on several VALUES lines (one per UNION branch) has them all replaced
        for name in dict.fromkeys(query_params(text)):
            changed = apply_params(text, {name: "https://w3id.org/kfor/id/none"})
            assert changed != text and "<https://w3id.org/kfor/id/none>" in changed
            assert run_query(changed, dataset).vars == default_vars, f"{path.name}: --param {name}"
            replaced += 1
    assert replaced >= 6  # every parameter of the competency queries


# --- KFOR's structure, nations, events and links (issue 16) -------------------------------------


def units(rows):
    return sorted({row["name"] for row in rows})


def test_units_before_the_task_forces_are_the_four_original_brigades(dataset):
    assert units(rows_of("units-on-date", dataset, date="2003")) == [
        "Multinational Brigade Center (MNB Center)",
        "Multinational Brigade East (MNB East)",
        "Multinational Brigade Northeast (MNB Northeast)",
        "Multinational Brigade Southwest (MNB Southwest)",
    ]


def test_original_brigades_with_headquarters_and_lead_nations_in_may_2002(dataset):
    rows = rows_of("units-on-date", dataset, date="2002-05")
    assert [(r["name"], r["headquarters"], r["nation"], r["role"], r["roleDate"]) for r in rows] == [
        ("Multinational Brigade Center (MNB Center)", "Pristina", "United Kingdom", "lead nation", "undated"),
        ("Multinational Brigade East (MNB East)", "", "", "", ""),
        ("Multinational Brigade Northeast (MNB Northeast)", "Mitrovica", "France", "lead nation", "2002-05"),
        ("Multinational Brigade Northeast (MNB Northeast)", "Mitrovica", "France", "lead nation", "undated"),
        ("Multinational Brigade Southwest (MNB Southwest)", "", "Germany", "lead nation", "undated"),
        ("Multinational Brigade Southwest (MNB Southwest)", "", "Italy", "lead nation", "undated"),
    ]


def test_five_battle_groups_until_mnbg_centre_merged_into_mnbg_east(dataset):
    assert "Multinational Battle Group Centre (MNBG Centre)" in units(rows_of("units-on-date", dataset, date="2010-06"))
    assert units(rows_of("units-on-date", dataset, date="2010-10-15")) == [
        "Multinational Battle Group East (MNBG East)",
        "Multinational Battle Group North (MNBG North)",
        "Multinational Battle Group South (MNBG South)",
        "Multinational Battle Group West (MNBG West)",
    ]


def test_four_brigades_preferred_five_sectors_kept(dataset):
    observation = "https://w3id.org/kfor/id/observation/kfor-brigades-original"
    rows = rows_of("claim-sources", dataset, resource=observation, property="http://www.w3.org/ns/sosa/hasSimpleResult")
    ranks = sorted({(r["value"], r["rank"]) for r in rows})
    assert ranks == [("4", "preferred"), ("5", "normal")]
    assert {r["document"] for r in rows if r["value"] == "5"} == {
        "https://w3id.org/kfor/id/source/austrian-defence-ministry-mnb-southwest",
        "https://w3id.org/kfor/id/source/dvids-77601",
        "https://w3id.org/kfor/id/source/nato-update-2002-05-09",
    }


def test_units_after_gate_2_are_the_two_battle_groups(dataset):
    # MNBG South has no sourced end: the Gate 2 change (October 2010) ends it; MNBG North ends on the
    # day of its dissolution ceremony, 28 February 2011 (the French defence ministry).
    assert units(rows_of("units-on-date", dataset, date="2012")) == [
        "Multinational Battle Group East (MNBG East)",
        "Multinational Battle Group West (MNBG West)",
    ]


@pytest.mark.parametrize("date, north", [("2010-11", True), ("2011-02-28", True), ("2011-03-01", False)])
def test_mnbg_north_outlived_the_gate_2_decision_until_its_dissolution(dataset, date, north):
    names = units(rows_of("units-on-date", dataset, date=date))
    assert ("Multinational Battle Group North (MNBG North)" in names) == north
    assert "Multinational Battle Group South (MNBG South)" not in names


def test_units_on_the_day_mnbg_west_became_rc_west(dataset):
    rows = rows_of("units-on-date", dataset, date="2019-08-15")
    assert {"Multinational Battle Group West (MNBG West)", "Regional Command West (RC-W)"} <= set(units(rows))
    [rcw] = [r for r in rows if r["name"] == "Regional Command West (RC-W)"]
    assert (rcw["headquarters"], rcw["nation"], rcw["role"], rcw["roleDate"]) == (
        "Camp Villaggio Italia",
        "Italy",
        "lead nation",
        "2019-08-15",
    )


def test_contributing_nations_at_the_mission_launch(dataset):
    rows = rows_of("contributing-nations-on-date", dataset, date="1999-06")
    assert len(rows) == 39
    troops = {r["nation"]: (r["troops"], r["qualifier"]) for r in rows if r["troops"]}
    assert troops["United Kingdom"] == ("19000", "")
    assert troops["Russia"] == ("3000", "approximately")
    assert len(troops) == 9


def test_contributing_nations_in_august_2022(dataset):
    rows = rows_of("contributing-nations-on-date", dataset, date="2022-08-15")
    assert [(r["nation"], r["troops"]) for r in rows][:3] == [("Albania", "58"), ("Austria", "232"), ("Canada", "5")]
    assert len(rows) == 16 and {r["listGrade"] for r in rows} == {"B"}


def test_events_in_2004(dataset):
    rows = rows_of("events-in-year", dataset, year=2004)
    assert [(r["start"], r["label"], r["place"]) for r in rows] == [
        ("2004-03-17", "Renewed violence in Kosovo (March 2004 unrest)", "Kosovo"),
        ("2004-03-17", "Renewed violence in Kosovo (March 2004 unrest)", "Mitrovica"),
        ("2004-03-18", "NATO reinforces KFOR during the March 2004 violence", "Kosovo"),
        ("2004-09-01", "Change of command of KFOR: Holger Kammerhoff to Yves de Kermabon, 1 September 2004", ""),
    ]


def test_events_in_a_year_by_the_days_their_dates_stand_for(dataset):
    def labels(year):
        return [r["label"] for r in rows_of("events-in-year", dataset, year=year)]

    change_12 = "Change of command of KFOR: Roland Kather to Xavier Bout de Marnhac, 2007"  # a date given as a year
    assert change_12 in labels(2007) and change_12 not in labels(2006) + labels(2008)
    crisis = "North Kosovo crisis: barricades in northern Kosovo (2011–2013)"  # 25 July 2011 to 19 April 2013
    assert [crisis in labels(year) for year in (2010, 2011, 2012, 2013, 2014)] == [False, True, True, True, False]
    joint_enterprise = "Operation Joint Enterprise"  # from 5 April 2005, no end: taken to go on
    assert [joint_enterprise in labels(year) for year in (2004, 2005, 2023)] == [False, True, True]


def test_external_links_of_a_place_and_of_all(dataset):
    rows = rows_of("external-links", dataset, wanted="https://w3id.org/kfor/id/place/pec")
    assert [(r["kind"], r["link"]) for r in rows] == [
        ("DBpedia", "http://dbpedia.org/resource/Peja"),
        ("Wikipedia", "https://en.wikipedia.org/wiki/Peja"),
    ]
    every = rows_of("external-links", dataset, wanted="all")
    assert len(every) == 2 * len({r["resource"] for r in every}) == 54
    jfc = [r for r in every if r["resource"] == "https://w3id.org/kfor/id/organisation/jfc-naples"]
    assert [(r["kind"], r["link"]) for r in jfc] == [
        ("DBpedia", "http://dbpedia.org/resource/Allied_Joint_Force_Command_Naples"),
        ("Wikipedia", "https://en.wikipedia.org/wiki/Allied_Joint_Force_Command_Naples"),
    ]
