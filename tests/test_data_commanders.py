"""Facts about the commanders of KFOR (COMKFOR), their terms of office and the sources behind them.

Checks data/sources.ttl, data/people.ttl and data/commands.ttl against the primary source and the
supplementary facts (sections 1-4 of supplementary-facts.md, which is kept outside the repository, in
shared/sources/ beside the checkout; the figures are copied here). Needs only rdflib: the files are
loaded directly, not through the project package.
"""

from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, SKOS

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
OWN_FILES = [DATA / "sources.ttl", DATA / "people.ttl", DATA / "commands.ttl"]

XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # a plain namespace: pytest probes module attributes
KFOR = Namespace("https://w3id.org/kfor/ontology/")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
TIME = Namespace("http://www.w3.org/2006/time#")
OA = Namespace("http://www.w3.org/ns/oa#")
PROV = Namespace("http://www.w3.org/ns/prov#")
CLAIM = Namespace("https://w3id.org/kfor/id/claim/")
ID = "https://w3id.org/kfor/id/"
PERSON = Namespace(ID + "person/")
TERM = Namespace(ID + "term/")
POST = Namespace(ID + "post/")
SOURCE = Namespace(ID + "source/")
ORGANISATION = Namespace(ID + "organisation/")
COUNTRY = Namespace(ID + "country/")
EVENT = Namespace(ID + "event/")
TIMEID = Namespace(ID + "time/")
RANK = Namespace(ID + "concept/rank/")
GRADE = Namespace(ID + "concept/grade/")
ARMY = URIRef(ID + "concept/service/army")
PRIMARY = SOURCE["nato-role-in-kosovo"]
LG, MG = RANK["lieutenant-general"], RANK["major-general"]

# IRIs described in other data files; these three files may point at them without describing them.
ALLOWED = {ORGANISATION.kfor, ORGANISATION.nato, ORGANISATION["jfc-naples"], ARMY} | {
    COUNTRY[c] for c in ("united-kingdom", "germany", "spain", "italy", "norway", "france", "hungary", "turkiye")
}

# supplementary-facts.md, section 1: ordinal -> (person slug, name, country, rank, start, end)
COMMANDERS = {
    1: ("michael-jackson", "Michael Jackson", "united-kingdom", LG, "1999-06-09", "1999-10-08"),
    2: ("klaus-reinhardt", "Klaus Reinhardt", "germany", LG, "1999-10-08", "2000-04-18"),
    3: ("juan-ortuno-such", "Juan Ortuño Such", "spain", LG, "2000-04-18", "2000-10-16"),
    4: ("carlo-cabigiosu", "Carlo Cabigiosu", "italy", LG, "2000-10-16", "2001-04-06"),
    5: ("thorstein-skiaker", "Thorstein Skiaker", "norway", LG, "2001-04-06", "2001-10-03"),
    6: ("marcel-valentin", "Marcel Valentin", "france", LG, "2001-10-03", "2002-10-04"),
    7: ("fabio-mini", "Fabio Mini", "italy", LG, "2002-10-04", "2003-10"),
    8: ("holger-kammerhoff", "Holger Kammerhoff", "germany", LG, "2003", "2004-09-01"),
    9: ("yves-de-kermabon", "Yves de Kermabon", "france", LG, "2004-09-01", "2005-09-01"),
    10: ("giuseppe-valotto", "Giuseppe Valotto", "italy", LG, "2005-09-01", "2006-09-01"),
    11: ("roland-kather", "Roland Kather", "germany", LG, "2006-09-01", "2007"),
    12: ("xavier-bout-de-marnhac", "Xavier Bout de Marnhac", "france", LG, "2007", "2008-08-29"),
    13: ("giuseppe-emilio-gay", "Giuseppe Emilio Gay", "italy", LG, "2008-08-29", "2009-09-08"),
    14: ("markus-j-bentler", "Markus J. Bentler", "germany", LG, "2009-09-08", "2010-09-01"),
    15: ("erhard-buhler", "Erhard Bühler", "germany", MG, "2010-09-01", "2011-09-09"),
    16: ("erhard-drews", "Erhard Drews", "germany", MG, "2011-09-09", "2012-09-07"),
    17: ("volker-halbauer", "Volker Halbauer", "germany", MG, "2012-09-07", "2013-09-06"),
    18: ("salvatore-farina", "Salvatore Farina", "italy", MG, "2013-09-06", "2014-09-03"),
    19: ("francesco-paolo-figliuolo", "Francesco Paolo Figliuolo", "italy", MG, "2014-09-03", "2015-08-07"),
    20: ("guglielmo-luigi-miglietta", "Guglielmo Luigi Miglietta", "italy", MG, "2015-08-07", "2016-09-01"),
    21: ("giovanni-fungo", "Giovanni Fungo", "italy", MG, "2016-09-01", "2017-11-15"),
    22: ("salvatore-cuoci", "Salvatore Cuoci", "italy", MG, "2017-11-15", "2018-11-28"),
    23: ("lorenzo-daddario", "Lorenzo D'Addario", "italy", MG, "2018-11-28", "2019-11-19"),
    24: ("michele-risi", "Michele Risi", "italy", MG, "2019-11-19", "2020-11-13"),
    25: ("franco-federici", "Franco Federici", "italy", MG, "2020-11-13", "2021-10-15"),
    26: ("ferenc-kajari", "Ferenc Kajári", "hungary", MG, "2021-10-15", "2022-10-10"),
    27: ("angelo-michele-ristuccia", "Angelo Michele Ristuccia", "italy", MG, "2022-10-10", "2023-10-10"),
    28: ("ozkan-ulutas", "Özkan Ulutaş", "turkiye", MG, "2023-10-10", "2024-10-11"),
    29: ("enrico-barduani", "Enrico Barduani", "italy", MG, "2024-10-11", "2025-10-03"),
    30: ("ozkan-ulutas", "Özkan Ulutaş", "turkiye", MG, "2025-10-03", None),
}

# The primary source's list: commanders 1-5 and the current one (23).
PRIMARY_QUOTES = {
    1: "Lt. Gen. Sir Michael Jackson, UK A 09 Jun 1999 - 08 Oct 1999",
    2: "Lt. Gen. Klaus Reinhardt, GE A 08 Oct 1999 - 18 Apr 2000",
    3: "Lt. Gen. Juan Ortuño, SP A 18 Apr 2000 - 16 Oct 2000",
    4: "Lt. Gen. Carlo Cabigiosu, IT A 16 Oct 2000 - 06 Apr 2001",
    5: "Lt. Gen. Thorstein Skiaker, NO A 06 Apr 2001 - 03 Oct 2001",
    23: "The current COMKFOR is Maj. Gen. Lorenzo D’Addario. He assumed command of the Kosovo Force on 28 November 2018.",
}

# Slugs of the other data files, with the URL where the supplementary facts give one.
LEAD_SLUGS = {
    "nato-role-in-kosovo": "https://www.nato.int/cps/en/natolive/topics_48818.htm",
    "nato-update-1999-03-24": "https://www.nato.int/docu/update/1999/0324e.htm",
    "nato-press-1999-06-10": "https://www.nato.int/kosovo/press/u990610a.htm",
    "jfc-naples-kfor-history-documents": "https://jfcnaples.nato.int/kfor/about-us/history/documents",
    "jfc-naples-kfor-history": "https://jfcnaples.nato.int/kfor/about-us/history",
    "jfc-naples-kfor-history-tasks": "https://jfcnaples.nato.int/kfor/about-us/history/tasks",
    "pax-agreement-2022": "https://pax.peaceagreements.org/agreements/2022",
    "nato-news-101890": "https://www.nato.int/cps/en/natohq/news_101890.htm",
    "nato-topics-144933": "https://www.nato.int/cps/en/natohq/topics_144933.htm",
    "nalt-director-remarks": None,
    # its URL, not in the supplementary facts, was read for issue 16
    "french-defence-ministry-2007-07-13": "https://archives.defense.gouv.fr/ema/chef-d-etat-major-des-armees/actualite/13-07-07-un-general-francais-a-la-tete-de-la-kfor.html",
    "jfc-naples-kfor-operations-2013-02": None,
    "kfor-key-facts-2017-02": None,
    "wikipedia-kosovo-force-2024-10": None,
    "wikipedia-camp-bondsteel": None,
    "jfc-naples-kfor-pages": None,
}

# Other URLs of supplementary-facts.md section 1.
OTHER_URLS = {
    "https://www.nato.int/kosovo/press/1999/k991008b.htm",
    "http://news.bbc.co.uk/1/hi/world/europe/468819.stm",
    "https://www.nato.int/docu/update/2001/0402/e0406b.htm",
    "https://www.nato.int/docu/update/2001/1001/e1003b.htm",
    "https://www.nato.int/docu/update/2002/10-october/e1004a.htm",
    "https://www.nato.int/KFOR/chronicle/2004/chronicle_09/03.htm",
    "https://www.nato.int/docu/speech/2008/s080903a.html",
}

DATE_PROPERTIES = {
    10: (TIME.inXSDDate, XSD.date),
    7: (TIME.inXSDgYearMonth, XSD.gYearMonth),
    4: (TIME.inXSDgYear, XSD.gYear),
}


@pytest.fixture(scope="module")
def own():
    g = Graph()
    for path in OWN_FILES:
        g.parse(path, format="turtle")
    return g


@pytest.fixture(scope="module")
def graph():
    """Everything: the ontology and all of data/ (other files are written by others)."""
    g = Graph()
    g.parse(ROOT / "ontology" / "kfor.ttl", format="turtle")
    for path in sorted(DATA.rglob("*.ttl")):
        g.parse(path, format="turtle")
    return g


def term(n):
    return TERM[f"comkfor-{n:02d}"]


def one(g, s, p):
    values = list(g.objects(s, p))
    assert len(values) == 1, f"{s} has {len(values)} values of {p}: {values}"
    return values[0]


def quotes(g, s, document=None):
    """The words of the quotes `s` cites (prov:wasDerivedFrom), of `document` only if given."""
    return {
        str(g.value(g.value(q, OA.hasSelector), OA.exact))
        for q in g.objects(s, PROV.wasDerivedFrom)
        if document is None or (q, OA.hasSource, document) in g
    }


def instant_value(g, instant):
    """The one date literal of an instant."""
    values = [(p, o) for p, o in g.predicate_objects(instant) if p in {v[0] for v in DATE_PROPERTIES.values()}]
    assert len(values) == 1, f"{instant} has {len(values)} date values"
    return values[0][1]


def begin(g, n, prop=ORG.memberDuring):
    return one(g, one(g, term(n), prop), TIME.hasBeginning)


def end(g, n):
    ends = list(g.objects(one(g, term(n), ORG.memberDuring), TIME.hasEnd))
    assert len(ends) <= 1
    return ends[0] if ends else None


# ---- Files -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", OWN_FILES, ids=lambda p: p.name)
def test_file_parses_without_blank_nodes(path):
    g = Graph().parse(path, format="turtle")
    assert len(g) > 0
    for s, p, o in g:
        assert not isinstance(s, BNode) and not isinstance(o, BNode), f"blank node in {path.name}: {s} {p} {o}"


def test_own_iris_under_id_resolve(own):
    """Every IRI our files point to under /id/ is described in them, or is one of ALLOWED."""
    described = set(own.subjects(RDF.type, None))
    for s, p, o in own:
        if isinstance(o, URIRef) and str(o).startswith(ID):
            assert o in described or o in ALLOWED, f"{s} {p} {o}: not described and not allowed"


def test_own_labels_are_english(own):
    for s, label in own.subject_objects(RDFS.label):
        assert isinstance(label, Literal) and label.language == "en", f"{s}: label {label!r}"


def test_described_resources_have_label_and_source(own):
    """dcterms:source on all but sources (none of their own), shared instants, schemes, the grades and
    claims inferred by a rule (no document states them); quotes and their selectors have neither (a
    quote's document is its oa:hasSource)."""
    exempt_types = {KFOR.SourceDocument, TIME.Instant, SKOS.ConceptScheme}
    quote_types = {OA.SpecificResource, OA.TextQuoteSelector}
    for s in set(own.subjects(RDF.type, None)):
        if set(own.objects(s, RDF.type)) & quote_types:
            continue
        assert (s, RDFS.label, None) in own, f"{s} has no rdfs:label"
        types = set(own.objects(s, RDF.type))
        if (
            types & exempt_types
            or (s, SKOS.inScheme, URIRef(ID + "concept/grade")) in own
            or (s, KFOR.inferredBy, None) in own
        ):
            continue
        assert (s, DCTERMS.source, None) in own, f"{s} has no dcterms:source"


def test_every_cited_source_is_a_source_document(own):
    for s, src in own.subject_objects(DCTERMS.source):
        assert (src, RDF.type, KFOR.SourceDocument) in own, f"{s} cites {src}, not a SourceDocument"


# ---- Posts -----------------------------------------------------------------------------------------


def test_posts(own):
    comkfor, com_jfcn = POST.comkfor, POST["com-jfcn"]
    assert (comkfor, RDF.type, ORG.Post) in own and (com_jfcn, RDF.type, ORG.Post) in own
    assert one(own, comkfor, RDFS.label) == Literal("Commander KFOR (COMKFOR)", lang="en")
    assert one(own, comkfor, ORG.postIn) == ORGANISATION.kfor
    assert one(own, comkfor, KFOR.commands) == ORGANISATION.kfor
    assert one(own, comkfor, ORG.reportsTo) == com_jfcn
    assert (
        quotes(own, comkfor)
        == quotes(own, comkfor, PRIMARY)
        == {
            "KFOR comes under a single chain of command, under the authority of Commander KFOR (COMKFOR). "
            "COMKFOR reports to the Commander of Joint Force Command Naples (COM JFCN), Italy."
        }
    )
    assert one(own, com_jfcn, RDFS.label) == Literal("Commander of Joint Force Command Naples (COM JFCN)", lang="en")
    assert one(own, com_jfcn, ORG.postIn) == ORGANISATION["jfc-naples"]


def test_rank_scheme_without_nato_codes(own):
    scheme = URIRef(ID + "concept/rank")
    assert (scheme, RDF.type, SKOS.ConceptScheme) in own
    assert one(own, LG, SKOS.prefLabel) == Literal("Lieutenant General", lang="en")
    assert one(own, LG, SKOS.altLabel) == Literal("Lt. Gen.", lang="en")
    assert one(own, MG, SKOS.prefLabel) == Literal("Major General", lang="en")
    assert one(own, MG, SKOS.altLabel) == Literal("Maj. Gen.", lang="en")
    for rank in (LG, MG):
        assert one(own, rank, SKOS.inScheme) == scheme
        assert (rank, SKOS.definition, None) in own
        assert (rank, SKOS.notation, None) not in own  # no source gives NATO's OF codes
        assert "OF-" not in own.serialize(format="nt")


# ---- Terms of office -------------------------------------------------------------------------------


def test_thirty_terms_with_ordinals(own):
    terms = set(own.subjects(RDF.type, KFOR.TermOfOffice))
    assert terms == {term(n) for n in range(1, 31)}
    assert sorted(one(own, t, SCHEMA.position).toPython() for t in terms) == list(range(1, 31))
    for n in range(1, 31):
        position = one(own, term(n), SCHEMA.position)
        assert position.datatype == XSD.integer and position.toPython() == n


@pytest.mark.parametrize("n", range(1, 31))
def test_term(own, n):
    slug, name, country, rank, start, finish = COMMANDERS[n]
    t = term(n)
    assert one(own, t, RDFS.label) == Literal(f"Term {n} of COMKFOR: {name}", lang="en")
    assert one(own, t, KFOR.post) == POST.comkfor
    assert one(own, t, ORG.member) == PERSON[slug]
    assert one(own, t, ORG.organization) == ORGANISATION.kfor
    assert one(own, t, KFOR.rank) == rank
    assert (t, DCTERMS.source, None) in own
    interval = one(own, t, ORG.memberDuring)
    assert interval == TIMEID[f"comkfor-{n:02d}"]
    assert (interval, RDF.type, TIME.Interval) in own
    assert (interval, DCTERMS.source, None) in own
    start_instant = begin(own, n)
    assert start_instant == TIMEID[start]
    assert str(instant_value(own, start_instant)) == start
    if finish is None:
        assert end(own, n) is None
    else:
        assert end(own, n) == TIMEID[finish]
        assert str(instant_value(own, end(own, n))) == finish


def test_instants_keep_their_precision(own):
    for instant in set(own.subjects(RDF.type, TIME.Instant)):
        value = instant_value(own, instant)
        slug = str(instant)[len(TIMEID) :]
        prop, datatype = DATE_PROPERTIES[len(slug)]
        assert str(value) == slug and value.datatype == datatype
        assert (instant, prop, value) in own


def test_month_precision_dates_stay_months(own):
    assert instant_value(own, end(own, 7)).datatype == XSD.gYearMonth  # Mini, October 2003
    # Kammerhoff's start: Die Welt's "(2003/04)", to the year; no document read says he followed Mini
    assert instant_value(own, begin(own, 8)).datatype == XSD.gYear
    # Kather to de Marnhac: no document read gives the month, only the year (2007)
    assert instant_value(own, end(own, 11)).datatype == XSD.gYear
    assert instant_value(own, begin(own, 12)).datatype == XSD.gYear


def test_chain_of_terms(own):
    assert (term(1), KFOR.previousTerm, None) not in own
    assert (term(30), KFOR.nextTerm, None) not in own
    # no document read says who succeeded Fabio Mini (term 7) or whom Holger Kammerhoff (term 8) followed
    assert (term(7), KFOR.nextTerm, None) not in own and (term(8), KFOR.previousTerm, None) not in own
    for n in set(range(1, 30)) - {7}:
        assert one(own, term(n), KFOR.nextTerm) == term(n + 1)
        assert one(own, term(n + 1), KFOR.previousTerm) == term(n)


def test_each_end_is_the_next_start(own):
    for n in set(range(1, 30)) - {7}:
        if end(own, n) is not None:
            assert end(own, n) == begin(own, n + 1), f"term {n} ends at {end(own, n)}"
    # Mini's end is known to the month (October 2003), Kammerhoff's start to the year (2003)
    assert (str(instant_value(own, end(own, 7))), str(instant_value(own, begin(own, 8)))) == ("2003-10", "2003")


def test_incumbent_has_no_end(own):
    assert (one(own, term(30), ORG.memberDuring), TIME.hasEnd, None) not in own


def test_ranks(own):
    assert [n for n in range(1, 31) if one(own, term(n), KFOR.rank) == LG] == list(range(1, 15))
    assert [n for n in range(1, 31) if one(own, term(n), KFOR.rank) == MG] == list(range(15, 31))


def test_primary_source_quotes(own):
    for n in range(1, 31):
        words = quotes(own, term(n))
        if n in PRIMARY_QUOTES:
            assert words == quotes(own, term(n), PRIMARY) == {PRIMARY_QUOTES[n]}
            assert (term(n), DCTERMS.source, PRIMARY) in own
        else:
            assert not words


def test_primary_source_not_cited_for_rows_it_lacks(own):
    """The copy breaks off in row 6; rows 6 to 22 and 24 to 30 come from other sources."""
    for n in list(range(6, 23)) + list(range(24, 31)):
        assert (term(n), DCTERMS.source, PRIMARY) not in own


def test_reinhardt_four_star_is_only_an_editorial_note(own):
    notes = list(own.objects(term(2), SKOS.editorialNote))
    assert len(notes) == 1 and "four-star" in str(notes[0])
    assert one(own, term(2), KFOR.rank) == LG
    assert list(own.subject_objects(SKOS.editorialNote)) == [(term(2), notes[0])]


# ---- Alternative intervals -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "n, first, last, source",
    [
        (1, "1999-04", "1999-10", "nato-update-2001-10-03"),  # Jackson, "April-October 1999"
        (6, "2001-12", "2002-09", "french-defence-ministry"),  # Valentin, "December 2001 to September 2002"
        (12, None, "2008-08-31", "nato-speech-2008-09-03"),  # de Marnhac's mandate ended 31 Aug 2008
    ],
)
def test_alternative_interval(own, n, first, last, source):
    """Another source's interval is a claim of normal rank on the term's org:memberDuring, with its own
    source; the preferred interval has its preferred claim."""
    alternative = TIMEID[f"comkfor-{n:02d}-alternative"]
    claims = {
        c: own.value(c, KFOR.claimRank)
        for c in own.subjects(RDF.subject, term(n))
        if (c, RDF.predicate, ORG.memberDuring) in own
    }
    assert sorted((own.value(c, RDF.object), rank) for c, rank in claims.items()) == sorted(
        [(one(own, term(n), ORG.memberDuring), KFOR.PreferredRank), (alternative, KFOR.NormalRank)]
    )
    assert (term(n), ORG.memberDuring, alternative) not in own
    normal = next(c for c, rank in claims.items() if rank == KFOR.NormalRank)
    assert one(own, normal, DCTERMS.source) == one(own, alternative, DCTERMS.source) == SOURCE[source]
    assert (alternative, RDF.type, TIME.Interval) in own
    assert (alternative, SKOS.note, None) in own
    if first is None:
        assert (alternative, TIME.hasBeginning, None) not in own
    else:
        assert str(instant_value(own, one(own, alternative, TIME.hasBeginning))) == first
    assert str(instant_value(own, one(own, alternative, TIME.hasEnd))) == last


def test_only_three_alternative_intervals(own):
    normal = {
        own.value(c, RDF.subject)
        for c in own.subjects(KFOR.claimRank, KFOR.NormalRank)
        if (c, RDF.predicate, ORG.memberDuring) in own
    }
    assert normal == {term(1), term(6), term(12)}


# ---- Changes of command ----------------------------------------------------------------------------


def test_changes_of_command(own):
    events = set(own.subjects(RDF.type, KFOR.ChangeOfCommand))
    assert events == {EVENT[f"change-of-command-{n:02d}"] for n in range(2, 31)}
    for n in range(2, 31):
        event = EVENT[f"change-of-command-{n:02d}"]
        assert (event, RDFS.label, None) in own
        assert one(own, event, KFOR.outgoingTerm) == term(n - 1)
        if n == 8:  # Mini's handover of October 2003: no document read names who took command
            assert (event, KFOR.incomingTerm, None) not in own
            assert one(own, event, TIME.hasTime) == end(own, 7)
            continue
        assert one(own, event, KFOR.incomingTerm) == term(n)
        assert one(own, event, TIME.hasTime) == begin(own, n)
        assert (event, DCTERMS.source, None) in own


def test_changes_of_command_notes(own):
    def notes(n):
        return " ".join(str(x) for x in own.objects(EVENT[f"change-of-command-{n:02d}"], SKOS.note))

    assert "transfer-of-authority speech" in notes(2)
    assert "1 September 2004" in notes(9)
    assert "29 August 2008" in notes(13) and "31 August 2008" in notes(13)
    assert "16 November 2020" in notes(25) and "13 November 2020" in notes(25)


# ---- People ----------------------------------------------------------------------------------------


def test_twenty_nine_people(own):
    people = set(own.subjects(RDF.type, FOAF.Person))
    assert people == {PERSON[c[0]] for c in COMMANDERS.values()}
    assert len(people) == 29


def test_ulutas_is_one_person_with_two_terms(own):
    assert set(own.subjects(ORG.member, PERSON["ozkan-ulutas"])) == {term(28), term(30)}


@pytest.mark.parametrize("n", [n for n in range(1, 31) if n != 30])
def test_person(own, n):
    slug, name, country, *_ = COMMANDERS[n]
    p = PERSON[slug]
    assert one(own, p, RDFS.label) == Literal(name, lang="en")
    assert str(one(own, p, FOAF.name)) == name
    given, family = str(one(own, p, FOAF.givenName)), str(one(own, p, FOAF.familyName))
    assert name.startswith(given) and name.endswith(family)
    assert one(own, p, SCHEMA.nationality) == COUNTRY[country]
    assert one(own, p, ORG.holds) == POST.comkfor
    assert (p, DCTERMS.source, None) in own
    for t in own.subjects(ORG.member, p):
        for src in own.objects(t, DCTERMS.source):
            assert (p, DCTERMS.source, src) in own, f"{p} lacks {src} cited by {t}"


def test_service_branch_only_where_the_primary_source_gives_it(own):
    army = {s for s, _ in own.subject_objects(KFOR.serviceBranch)}
    assert army == {PERSON[COMMANDERS[n][0]] for n in range(1, 6)}
    assert set(own.objects(None, KFOR.serviceBranch)) == {ARMY}


def test_name_details(own):
    jackson = PERSON["michael-jackson"]
    assert str(one(own, jackson, SCHEMA.honorificPrefix)) == "Sir"
    assert str(one(own, jackson, FOAF.nick)) == "Mike"
    ortuno = PERSON["juan-ortuno-such"]
    assert str(one(own, ortuno, FOAF.familyName)) == "Ortuño Such"
    assert str(one(own, ortuno, FOAF.givenName)) == "Juan"
    assert str(one(own, ortuno, SCHEMA.alternateName)) == "Juan Ortuño"
    assert str(one(own, PERSON["erhard-buhler"], FOAF.familyName)) == "Bühler"
    assert str(one(own, PERSON["ferenc-kajari"], FOAF.familyName)) == "Kajári"
    assert str(one(own, PERSON["xavier-bout-de-marnhac"], FOAF.familyName)) == "Bout de Marnhac"
    assert str(one(own, PERSON["yves-de-kermabon"], FOAF.familyName)) == "de Kermabon"


# ---- Sources ---------------------------------------------------------------------------------------


def test_sources_have_required_properties(own):
    sources = set(own.subjects(RDF.type, KFOR.SourceDocument))
    assert len(sources) >= len(LEAD_SLUGS) + len(OTHER_URLS)
    for s in sources:
        assert str(s).startswith(str(SOURCE))
        assert one(own, s, RDFS.label).language == "en"
        assert one(own, s, DCTERMS.title).language == "en"
        assert one(own, s, KFOR.reliabilityGrade) in {GRADE.a, GRADE.b}
        publisher = one(own, s, DCTERMS.publisher)
        assert str(publisher).startswith(str(ORGANISATION))
        assert publisher in ALLOWED or (publisher, RDF.type, ORG.Organization) in own
        assert (s, DCTERMS.source, None) not in own
        for url in own.objects(s, SCHEMA.url):
            assert url.datatype == XSD.anyURI
        for date in own.objects(s, DCTERMS.date):
            assert date.datatype in {XSD.date, XSD.gYearMonth, XSD.gYear}


def test_slugs_and_urls_of_the_other_files(own):
    for slug, url in LEAD_SLUGS.items():
        s = SOURCE[slug]
        assert (s, RDF.type, KFOR.SourceDocument) in own, slug
        urls = {str(u) for u in own.objects(s, SCHEMA.url)}
        assert urls == ({url} if url else set()), slug


def test_every_url_of_section_1_is_a_source(own):
    urls = {str(u) for u in own.objects(None, SCHEMA.url)}
    assert OTHER_URLS <= urls
    assert len(urls) == len(list(own.objects(None, SCHEMA.url))), "two sources share a URL"


def test_primary_source(own):
    assert one(own, PRIMARY, DCTERMS.title) == Literal("NATO's role in Kosovo", lang="en")
    assert str(one(own, PRIMARY, SCHEMA.url)) == "https://www.nato.int/cps/en/natolive/topics_48818.htm"
    assert one(own, PRIMARY, DCTERMS.publisher) == ORGANISATION.nato
    assert one(own, PRIMARY, DCTERMS.date) == Literal("2018-11-29", datatype=XSD.date)
    assert one(own, PRIMARY, KFOR.reliabilityGrade) == GRADE.a
    assert "cut off" in str(one(own, PRIMARY, DCTERMS.description))


@pytest.mark.parametrize(
    "slug, publisher, grade, date",
    [
        ("nato-press-1999-10-08", "nato", "a", ("1999-10-08", XSD.date)),
        ("bbc-1999-10-08", "bbc", "b", ("1999-10-08", XSD.date)),
        ("junge-welt-2006-09", "junge-welt", "b", ("2006-09", XSD.gYearMonth)),
        ("bundeswehr-journal-2013", "bundeswehr-journal", "b", ("2013", XSD.gYear)),
        ("ansa-2017-11-15", "ansa", "b", ("2017-11-15", XSD.date)),
        ("jfc-naples-2017-11-16", "jfc-naples", "a", ("2017-11-16", XSD.date)),
        ("kurir-2025-10-03", "kurir", "b", ("2025-10-03", XSD.date)),
        ("french-defence-ministry-2007-07-13", "french-defence-ministry", "a", ("2007-07-13", XSD.date)),
        ("jfc-naples-kfor-operations-2013-02", "jfc-naples", "a", ("2013-02", XSD.gYearMonth)),
        ("kfor-key-facts-2017-02", "kfor", "a", ("2017-02", XSD.gYearMonth)),
        ("wikipedia-kosovo-force-2024-10", "wikimedia-foundation", "b", ("2024-10", XSD.gYearMonth)),
        ("pax-agreement-2022", "pa-x", "b", None),
        ("nato-update-2001-10-03", "nato", "a", None),  # the row gives a URL but no date
    ],
)
def test_source_details(own, slug, publisher, grade, date):
    s = SOURCE[slug]
    assert one(own, s, DCTERMS.publisher) == ORGANISATION[publisher]
    assert one(own, s, KFOR.reliabilityGrade) == GRADE[grade]
    if date is None:
        assert (s, DCTERMS.date, None) not in own
    else:
        assert one(own, s, DCTERMS.date) == Literal(date[0], datatype=date[1])


def test_grade_scheme(own):
    scheme = URIRef(ID + "concept/grade")
    assert (scheme, RDF.type, SKOS.ConceptScheme) in own
    for grade, word in ((GRADE.a, "Official"), (GRADE.b, "Wikipedia")):
        assert (grade, RDF.type, SKOS.Concept) in own
        assert one(own, grade, SKOS.inScheme) == scheme
        assert (grade, SKOS.prefLabel, None) in own
        assert word in str(one(own, grade, SKOS.definition))


# ---- With the rest of the data ---------------------------------------------------------------------


def test_whole_data_parses_with_the_ontology(graph):
    assert (term(1), RDF.type, KFOR.TermOfOffice) in graph
    assert (KFOR.TermOfOffice, RDFS.subClassOf, ORG.Membership) in graph


def test_terms_use_only_declared_kfor_terms(graph, own):
    for _, p, o in own:
        for iri in (p, o):
            if isinstance(iri, URIRef) and str(iri).startswith(str(KFOR)):
                assert (iri, RDF.type, None) in graph, f"{iri} is not declared in the ontology"
