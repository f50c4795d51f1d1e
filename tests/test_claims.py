"""Claims, quotes and the inferred graph (issue 15): every quote names its document, quotes from the
primary source are verbatim, claim-sources answers "who states this fact", each defect the issue
lists stays fixed, and stores without reasoning find the inferred types.

The dataset is loaded once (with its inferred graph); the primary source is read from the shared
sources folder beside the checkout (../shared/sources/), as CI has it."""

import calendar
import csv
import io
import re
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, TIME, VOID, XSD

from kfor_graph import resources, store
from kfor_graph.build import VOID_FILE, iter_build_files
from kfor_graph.infer import inferred_triples
from kfor_graph.load import DATA_GRAPH, ONTOLOGY_GRAPH, add_inferred, load_dataset, load_graphs, named_graph
from kfor_graph.namespaces import INFERRED_GRAPH, compact
from kfor_graph.query import apply_params, format_result, read_query

ROOT = Path(__file__).resolve().parent.parent
PRIMARY_TEXT = ROOT.parent / "shared" / "sources" / "nato-role-in-kosovo.txt"

KFOR = Namespace("https://w3id.org/kfor/ontology/")
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")
ID = "https://w3id.org/kfor/id/"
SOURCE = Namespace(ID + "source/")
CLAIM = Namespace(ID + "claim/")
TIMEID = Namespace(ID + "time/")
ORGANISATION = Namespace(ID + "organisation/")
COUNTRY = Namespace(ID + "country/")
INSTRUMENT = Namespace(ID + "instrument/")
TASKING = Namespace(ID + "tasking/")
TASKING_KIND = Namespace(ID + "concept/tasking-kind/")
PRIMARY = SOURCE["nato-role-in-kosovo"]
OWL_NS = "http://www.w3.org/2002/07/owl#"
PENDING = ROOT / "tests" / "claims-pending.txt"

# one worker builds the module's dataset and store once
pytestmark = pytest.mark.xdist_group("claims")


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(root=resources.CHECKOUT)


@pytest.fixture(scope="module")
def data(dataset):
    return named_graph(dataset, DATA_GRAPH)


@pytest.fixture(scope="module")
def graphs():
    """The same files in the in-memory Oxigraph store that `kfor-graph query` reads by default."""
    return load_graphs(root=resources.CHECKOUT)


def claim_sources_result(graphs, resource, prop):
    text = apply_params(
        read_query("claim-sources", resources.CHECKOUT), {"resource": str(resource), "property": str(prop)}
    )
    return store.run_query(text, dataset=graphs)


def claim_sources(graphs, resource, prop):
    """(value, rank, document, quote) rows of queries/claim-sources.rq for one fact."""
    rows = csv.DictReader(io.StringIO(format_result(claim_sources_result(graphs, resource, prop), "csv")))
    return [(r["value"], r["rank"], r["document"], r["quote"]) for r in rows]


# ---- quotes: each names its document, and the primary source's are its own words -------------------


def normalise(text: str) -> str:
    return " ".join(text.split())


def verbatim_in(quote: str, text: str) -> bool:
    """The quote's parts, split at "[...]", appear in the text in order (whitespace normalised)."""
    position = 0
    for part in (normalise(p) for p in quote.split("[...]")):
        found = text.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    return True


def quotes_of(data, document=None):
    """{(quote node, document): words} of every quote (of one document, if given)."""
    return {
        (q, d): str(data.value(data.value(q, OA.hasSelector), OA.exact))
        for q, d in data.subject_objects(OA.hasSource)
        if document in (None, d)
    }


def test_every_quote_names_exactly_one_document_and_has_its_words(data):
    quotes = set(data.subjects(RDF.type, OA.SpecificResource))
    assert len(quotes) > 50
    for quote in quotes:
        documents = list(data.objects(quote, OA.hasSource))
        assert len(documents) == 1 and (documents[0], RDF.type, KFOR.SourceDocument) in data, quote
        selectors = list(data.objects(quote, OA.hasSelector))
        assert len(selectors) == 1 and len(list(data.objects(selectors[0], OA.exact))) == 1, quote
    # no quote hangs loose on a resource any more
    assert not list(data.triples((None, KFOR.sourceQuote, None)))


def test_a_cited_quote_is_of_a_document_the_citing_resource_names(data):
    for resource, quote in data.subject_objects(PROV.wasDerivedFrom):
        assert (resource, DCTERMS.source, data.value(quote, OA.hasSource)) in data, (resource, quote)


def test_primary_source_quotes_are_verbatim():
    assert PRIMARY_TEXT.is_file(), f"the primary source is read from {PRIMARY_TEXT} (shared/ beside the checkout)"


def test_every_primary_source_quote_is_verbatim_in_it(data):
    text = normalise(PRIMARY_TEXT.read_text(encoding="utf-8"))
    quotes = quotes_of(data, PRIMARY)
    assert len(quotes) > 40
    wrong = sorted(words for words in quotes.values() if not verbatim_in(words, text))
    assert wrong == []


def test_the_verbatim_check_rejects_words_the_primary_source_lacks():
    text = normalise(PRIMARY_TEXT.read_text(encoding="utf-8"))
    assert verbatim_in("Lt. Gen. Sir Michael Jackson, UK A\n  09 Jun 1999", text)
    assert verbatim_in("This team was created following the merger of: [...] the NATO Advisory Team (NAT)", text)
    assert not verbatim_in("April-October 1999", text)  # NATO Update e1003b's words, not the primary's
    assert not verbatim_in("Lt. Gen. Marcel Valentin", text)  # the copy breaks off at "Marcel Val"
    assert not verbatim_in("the NATO Advisory Team (NAT) [...] the NATO Liaison and Advisory Team (NLAT)", text)


def test_comkfor_01_alternative_quotes_the_nato_update_not_the_primary_source(data, graphs):
    alternative = TIMEID["comkfor-01-alternative"]
    rows = [
        r for r in claim_sources(graphs, URIRef(ID + "term/comkfor-01"), ORG.memberDuring) if r[0] == str(alternative)
    ]
    assert rows == [(str(alternative), "normal", str(SOURCE["nato-update-2001-10-03"]), "April-October 1999")]
    assert "April-October 1999" not in quotes_of(data, PRIMARY).values()


# ---- claim-sources: exactly the documents that state a fact ----------------------------------------


def test_daddario_took_command_on_28_november_2018_per_two_documents(graphs):
    assert claim_sources(graphs, TIMEID["comkfor-23"], TIME.hasBeginning) == [
        (str(TIMEID["2018-11-28"]), "preferred", str(SOURCE["jfc-naples-news-2018"]), ""),
        (
            str(TIMEID["2018-11-28"]),
            "preferred",
            str(PRIMARY),
            "The current COMKFOR is Maj. Gen. Lorenzo D’Addario. He assumed command of the Kosovo Force on 28 November 2018.",
        ),
    ]
    # his end: the Italian defence ministry's news of 19 November 2019 ("Il generale Risi subentra al pari
    # grado Lorenzo D'Addario"); Agenzia Nova and DIRE of 2020 do not name him, those of 2019 are not identified
    ends = {document for _, _, document, _ in claim_sources(graphs, TIMEID["comkfor-23"], TIME.hasEnd)}
    assert ends == {str(SOURCE["italian-defence-ministry-2019-11-19"])}


def test_an_ordinal_no_document_states_is_counted_not_sourced(data, graphs):
    # No document read calls Mini the seventh commander: the claim names the rule that counts him
    # after term 6 (the sixth by NATO Update e1003b's list), and no document.
    term = lambda n: URIRef(ID + f"term/comkfor-{n:02d}")  # noqa: E731
    rows = claim_sources_result(graphs, term(7), SCHEMA.position)
    assert [(str(r["value"]), r.get("document"), str(r["rule"])) for r in rows.rows] == [
        ("7", None, "ordinal counted from the previous term")
    ]
    inferred = {data.value(c, RDF.subject) for c in data.subjects(KFOR.inferredBy, KFOR.OrdinalFromPreviousTerm)}
    assert inferred == {term(n) for n in (7, 10, 11, 12, 13, 14, 15, 17, 20, 30)}
    # nor Kammerhoff the eighth, and no document says whom he succeeded: counted back from term 9,
    # the KFOR Chronicle's "ninth Commander"
    [back] = data.subjects(KFOR.inferredBy, KFOR.OrdinalFromNextTerm)
    assert (data.value(back, RDF.subject), data.value(back, RDF.object)) == (term(8), Literal(8))
    assert {r[2] for r in claim_sources(graphs, term(9), SCHEMA.position)} == {str(SOURCE["kfor-chronicle-2004-09"])}
    for claim in data.subjects(KFOR.inferredBy, None):
        assert (claim, DCTERMS.source, None) not in data
    # a stated ordinal keeps its document: term 6 is NATO Update e1003b's sixth
    assert {r[2] for r in claim_sources(graphs, term(6), SCHEMA.position)} == {str(SOURCE["nato-update-2001-10-03"])}


def test_the_handover_of_2007_is_dated_by_the_french_ministrys_announcement(data):
    # "appelé à succéder cet été au major général allemand Kather" (13 July 2007): the year, not a month
    change, french = URIRef(ID + "event/change-of-command-12"), SOURCE["french-defence-ministry-2007-07-13"]
    assert data.value(change, TIME.hasTime) == TIMEID["2007"]
    assert set(data.objects(change, DCTERMS.source)) == {french}
    assert documents_of(data, change, TIME.hasTime) == {french}
    assert documents_of(data, TIMEID["comkfor-11"], TIME.hasEnd) == {french}
    assert documents_of(data, TIMEID["comkfor-12"], TIME.hasBeginning) == {french}
    # junge Welt (September 2006) names neither his predecessor nor his successor
    kather = URIRef(ID + "term/comkfor-11")
    assert documents_of(data, kather, KFOR.nextTerm) == {french}
    assert documents_of(data, kather, KFOR.previousTerm) == {SOURCE["welt-2006-09"]}


def test_gate_2_ended_mnbg_north_as_the_french_ministry_reports_its_dissolution(data):
    gate_2, north, south = URIRef(ID + "event/gate-2"), URIRef(ID + "unit/mnbg-north"), URIRef(ID + "unit/mnbg-south")
    aco, french = SOURCE["aco-kfor-facts-and-figures"], SOURCE["french-defence-ministry-2011-03-04"]
    claims = {data.value(c, RDF.object): c for c in data.subjects(RDF.subject, gate_2)}
    assert set(data.objects(claims[north], DCTERMS.source)) == {aco, french}
    assert set(data.objects(claims[south], DCTERMS.source)) == {aco}
    quote = URIRef(ID + "quote/french-defence-ministry-2011-03-04-le-28-fevrier-2011-a")
    assert "cérémonie de dissolution du bataillon multinational nord" in quotes_of(data, french)[quote, french]
    # the older Wikipedia revision lists the battle groups of 2010 but says nothing of Gate 2
    assert documents_of(data, south, ORG.changedBy) == {aco}


def test_the_air_campaign_ends_when_suspended_and_is_kept_as_terminated_ten_days_later(graphs):
    # NATO's update of 11 June 1999: "Operation Allied Force was suspended yesterday" (preferred: the
    # primary source's 78 days end then); the Secretary General's statement of 20 June 1999: "I have
    # accordingly decided to terminate with immediate effect the air campaign" (another claim)
    rows = claim_sources(graphs, URIRef(ID + "event/operation-allied-force"), TIME.hasTime)
    assert {(value.rsplit("/", 1)[1], rank, document.rsplit("/", 1)[1]) for value, rank, document, _ in rows} == {
        ("operation-allied-force", "preferred", "nato-press-1999-06-11"),
        ("operation-allied-force", "preferred", "nato-update-1999-03-24"),
        ("operation-allied-force-primary", "normal", "nato-role-in-kosovo"),
        ("operation-allied-force-terminated", "normal", "nato-press-1999-06-20"),
        ("operation-allied-force-terminated", "normal", "nato-update-1999-03-24"),
    }


def test_a_resource_names_the_documents_its_preferred_claims_name(data):
    # "the documents that state each of its facts": a link's claim names the Wikipedia copy checked
    missing = {
        (compact(data.value(claim, RDF.subject)), compact(document))
        for claim in data.subjects(KFOR.claimRank, KFOR.PreferredRank)
        if data.value(claim, RDF.predicate) not in (OWL.sameAs, SCHEMA.sameAs)
        for document in data.objects(claim, DCTERMS.source)
        if (data.value(claim, RDF.subject), DCTERMS.source, document) not in data
    }
    assert missing == set()


def test_terms_intervals_units_and_changes_name_no_document_that_states_none_of_their_facts(data):
    # every fact of a resource with several documents has claims: a document none of them names (nor
    # a quote the resource cites) states nothing of it (interval 22 named the primary source, which
    # does not say whom D'Addario succeeded)
    heads = ("term/", "time/comkfor-", "event/change-of-command-", "event/gate-", "unit/")
    loose = set()
    for resource in set(data.subjects(DCTERMS.source, None)):
        documents = set(data.objects(resource, DCTERMS.source))
        if len(documents) < 2 or not str(resource).removeprefix(ID).startswith(heads):
            continue
        named = {d for claim in data.subjects(RDF.subject, resource) for d in data.objects(claim, DCTERMS.source)}
        quoted = {data.value(q, OA.hasSource) for q in data.objects(resource, PROV.wasDerivedFrom)}
        loose |= {(compact(resource), compact(d)) for d in documents - named - quoted}
    assert loose == set()


def test_a_fact_without_a_claim_has_its_resources_documents(graphs):
    assert claim_sources(graphs, ORGANISATION.nalt, RDFS.label) == [
        (
            "NATO Advisory and Liaison Team (NALT)",
            "preferred",
            str(PRIMARY),
            "In order to fulfil its mission, the Team is currently designed along three lines of development: "
            "Strategy & Plans, Operations, and Support.",
        )
    ]


# ---- every fact of a resource with several documents has exactly its documents -------------------

# The project's own wording and the vocabularies' bookkeeping: written from all of a resource's
# documents, never one document's claim (CONTRIBUTING.md, "Claims, quotes and ranks").
DESCRIPTIVE = {
    RDFS.label,
    SKOS.prefLabel,
    SKOS.definition,
    SKOS.note,
    SKOS.editorialNote,
    SKOS.inScheme,
    SKOS.topConceptOf,
}


def facts_without_exact_documents(data):
    """{(resource, property)} of the stated facts whose documents are not exactly known: a resource
    with several documents (dcterms:source) has a value of the property that no claim is about."""
    found = set()
    for resource in set(data.subjects(DCTERMS.source, None)):
        if (resource, RDF.type, KFOR.Claim) in data or len(set(data.objects(resource, DCTERMS.source))) < 2:
            continue
        claimed = {
            (data.value(claim, RDF.predicate), data.value(claim, RDF.object))
            for claim in data.subjects(RDF.subject, resource)
        }
        for _, prop, value in data.triples((resource, None, None)):
            if (
                prop not in DESCRIPTIVE | {RDF.type, DCTERMS.source, PROV.wasDerivedFrom}
                and (prop, value) not in claimed
            ):
                found.add((resource, prop))
    return found


def written(pairs):
    return sorted(f"{compact(r) or r} {compact(p) or p}" for r, p in pairs)


def test_every_fact_of_a_resource_with_several_documents_has_a_claim_or_is_pending(data):
    # A fact of a resource with several documents has a claim naming exactly the documents that state
    # it (all of them, if all do); the facts not yet read against their documents are listed in
    # tests/claims-pending.txt, which may only shrink: a new fact without a claim fails here, and so
    # does a listed fact that has got its claims (take it off the list).
    pending = [line for line in PENDING.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    actual = written(facts_without_exact_documents(data))
    assert sorted(set(actual) - set(pending)) == [], "facts of several documents without a claim"
    assert sorted(set(pending) - set(actual)) == [], "listed as pending in tests/claims-pending.txt but claimed"
    assert len(pending) == len(set(pending))


def test_the_exact_documents_check_finds_a_fact_without_a_claim():
    ttl = """
        @prefix dcterms: <http://purl.org/dc/terms/> . @prefix kfor: <https://w3id.org/kfor/ontology/> .
        @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix time: <http://www.w3.org/2006/time#> . @prefix kfortime: <https://w3id.org/kfor/id/time/> .
        @prefix source: <https://w3id.org/kfor/id/source/> . @prefix claim: <https://w3id.org/kfor/id/claim/> .
        kfortime:a rdfs:label "A" ; dcterms:source source:x, source:y ;
            time:hasBeginning kfortime:b ; time:hasEnd kfortime:c .
        kfortime:d rdfs:label "D" ; dcterms:source source:x ; time:hasEnd kfortime:c .
        claim:a-start a kfor:Claim ; dcterms:source source:x, source:y ;
            rdf:subject kfortime:a ; rdf:predicate time:hasBeginning ; rdf:object kfortime:b .
    """
    graph = Graph().parse(data=ttl, format="turtle")
    # the end has no claim; the label is our own words; one document states all of time/d's facts
    assert written(facts_without_exact_documents(graph)) == ["kfortime:a time:hasEnd"]
    graph.add((CLAIM["a-end"], RDF.subject, TIMEID.a))
    graph.add((CLAIM["a-end"], RDF.predicate, TIME.hasEnd))
    graph.add((CLAIM["a-end"], RDF.object, TIMEID.c))
    assert facts_without_exact_documents(graph) == set()


# ---- a resource with one document states only what that document can state -----------------------


def last_day(literal):
    """The last day a document's date (xsd:date, xsd:gYearMonth or xsd:gYear) can be."""
    if literal.datatype == XSD.gYear:
        return date(int(str(literal)), 12, 31)
    if literal.datatype == XSD.gYearMonth:
        year, month = map(int, str(literal).split("-"))
        return date(year, month, calendar.monthrange(year, month)[1])
    return date.fromisoformat(str(literal))


def first_day(data, value):
    """The first day a fact's value can be dated: an instant's, or the beginning of an interval or of
    a term (its org:memberDuring); None for a value without a date."""
    for step in (ORG.memberDuring, TIME.hasBeginning):
        value = data.value(value, step) or value
    earliest = data.value(value, KFOR.earliestDate)
    return None if earliest is None else date.fromisoformat(str(earliest))


def facts_dated_after_their_one_document(data):
    """{(resource, property)} of the facts of a resource with one dated document whose value begins
    after that document's last possible day: a document cannot state what had not yet happened."""
    found = set()
    for resource in set(data.subjects(DCTERMS.source, None)):
        documents = set(data.objects(resource, DCTERMS.source))
        if (resource, RDF.type, KFOR.Claim) in data or len(documents) != 1:
            continue
        dated = data.value(documents.pop(), DCTERMS.date)
        for _, prop, value in data.triples((resource, None, None)) if dated is not None else ():
            day = first_day(data, value)
            if day is not None and day > last_day(dated):
                found.add((resource, prop))
    return found


def test_no_resource_with_one_document_states_what_began_after_it(data):
    # A resource with one document takes all its facts from it (CONTRIBUTING.md), so none of them may
    # have begun after the document's date: Italian Wikinews of 1 September 2005 cannot name Valotto's
    # successor, whose term began on 1 September 2006. Such a fact gets the document that states it.
    assert written(facts_dated_after_their_one_document(data)) == []


def test_valottos_successor_and_rank_are_die_welts_not_italian_wikinews(data):
    # Italian Wikinews (1 September 2005) states his start, his predecessor and "Il generale italiano",
    # not his successor a year later nor his rank; Die Welt (September 2006: "Er ist Nachfolger des
    # italienischen Generalleutnants Giuseppe Valotto") states both and the handover's day, which junge
    # Welt dates too but without naming Valotto
    term, it, welt = URIRef(ID + "term/comkfor-10"), SOURCE["it-wikinews-2005-09-01"], SOURCE["welt-2006-09"]
    junge_welt, change = SOURCE["junge-welt-2006-09"], URIRef(ID + "event/change-of-command-11")
    assert set(data.objects(term, DCTERMS.source)) == {it, welt}
    props = (ORG.member, ORG.memberDuring, ORG.organization, KFOR.post, KFOR.previousTerm, KFOR.nextTerm, KFOR.rank)
    assert [documents_of(data, term, prop) for prop in props] == [{it, welt}] * 4 + [{it}, {welt}, {welt}]
    assert documents_of(data, term, SCHEMA.position) == set()  # counted from term 9, the Chronicle's ninth
    assert (
        documents_of(data, change, TIME.hasTime) == documents_of(data, change, KFOR.incomingTerm) == {junge_welt, welt}
    )
    assert documents_of(data, change, KFOR.outgoingTerm) == {welt}
    assert documents_of(data, TIMEID["comkfor-10"], TIME.hasEnd) == {welt}
    assert documents_of(data, TIMEID["comkfor-11"], TIME.hasBeginning) == {junge_welt, welt}


def test_the_one_document_check_finds_a_next_term_begun_after_the_document():
    ttl = """
        @prefix dcterms: <http://purl.org/dc/terms/> . @prefix kfor: <https://w3id.org/kfor/ontology/> .
        @prefix org: <http://www.w3.org/ns/org#> . @prefix time: <http://www.w3.org/2006/time#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix source: <https://w3id.org/kfor/id/source/> .
        @prefix term: <https://w3id.org/kfor/id/term/> . @prefix kfortime: <https://w3id.org/kfor/id/time/> .
        source:x dcterms:date "2006-09"^^xsd:gYearMonth . source:y dcterms:date "2006"^^xsd:gYear .
        term:a dcterms:source source:x ; kfor:nextTerm term:b ; org:memberDuring kfortime:a .
        kfortime:a dcterms:source source:x ; time:hasBeginning kfortime:2005 ; time:hasEnd kfortime:2006-09-30 .
        term:b dcterms:source source:y ; kfor:previousTerm term:a ; org:memberDuring kfortime:b .
        kfortime:b time:hasBeginning kfortime:2006-10-01 .
        kfortime:2005 kfor:earliestDate "2005-01-01"^^xsd:date .
        kfortime:2006-09-30 kfor:earliestDate "2006-09-30"^^xsd:date .
        kfortime:2006-10-01 kfor:earliestDate "2006-10-01"^^xsd:date .
    """
    graph = Graph().parse(data=ttl, format="turtle")
    # September 2006 ends before term b began; the year 2006 does not; an end on the 30th is in time
    assert written(facts_dated_after_their_one_document(graph)) == ["term:a kfor:nextTerm"]
    graph.add((URIRef(ID + "term/a"), DCTERMS.source, SOURCE.y))  # two documents: claims say who states it
    assert facts_dated_after_their_one_document(graph) == set()


def documents_of(data, resource, prop):
    """The documents of a resource's one value of prop, as claim-sources reads them: the preferred
    claims' where the fact has claims, else the resource's own."""
    claims = [c for c in data.subjects(RDF.subject, resource) if data.value(c, RDF.predicate) == prop]
    holders = [c for c in claims if data.value(c, KFOR.claimRank) == KFOR.PreferredRank] if claims else [resource]
    return {d for holder in holders for d in data.objects(holder, DCTERMS.source)}


def test_a_terms_start_and_end_are_stated_by_whom_its_changes_of_command_are(data):
    # CONTRIBUTING.md: a term begins on the date of the change of command that begins it, as stated by
    # the documents that give both that change's date and its incoming term; it ends likewise
    checked = 0
    for interval_claim in set(data.subjects(RDF.type, KFOR.Claim)):
        interval, prop = data.value(interval_claim, RDF.subject), data.value(interval_claim, RDF.predicate)
        if prop not in (TIME.hasBeginning, TIME.hasEnd) or not str(interval).startswith(str(TIMEID["comkfor-"])):
            continue
        term = next(data.subjects(ORG.memberDuring, interval))
        side = KFOR.incomingTerm if prop == TIME.hasBeginning else KFOR.outgoingTerm
        change = data.value(None, side, term)
        if change is None and term == URIRef(ID + "term/comkfor-01"):
            # term 1 begins with KFOR, on the primary source's word alone
            assert set(data.objects(interval_claim, DCTERMS.source)) == {PRIMARY}, interval
            continue
        if change is None:  # term 8: no document read gives the change that began it; Die Welt the year
            assert (term, prop) == (URIRef(ID + "term/comkfor-08"), TIME.hasBeginning)
            assert set(data.objects(interval_claim, DCTERMS.source)) == {SOURCE["welt-2006-09"]}
            continue
        expected = documents_of(data, change, TIME.hasTime) & documents_of(data, change, side)
        assert set(data.objects(interval_claim, DCTERMS.source)) == expected, interval_claim
        checked += 1
    assert checked > 40


def test_who_states_the_handover_of_3_october_2001(data, graphs):
    # The primary source gives Skiaker's end, 03 Oct 2001, then breaks off at "Lt. Gen. Marcel Val";
    # NATO Update e1003b names both; e1004a (of the 2002 handover) states neither
    change = URIRef(ID + "event/change-of-command-06")
    e1003b, e1004a = SOURCE["nato-update-2001-10-03"], SOURCE["nato-update-2002-10-04"]
    assert documents_of(data, change, TIME.hasTime) == {PRIMARY, e1003b}
    assert documents_of(data, change, KFOR.outgoingTerm) == {PRIMARY, e1003b}
    assert documents_of(data, change, KFOR.incomingTerm) == {e1003b}
    assert documents_of(data, TIMEID["comkfor-06"], TIME.hasBeginning) == {e1003b}
    ends = claim_sources(graphs, TIMEID["comkfor-05"], TIME.hasEnd)
    assert [(v, d) for v, _, d, _ in ends] == [
        (str(TIMEID["2001-10-03"]), str(PRIMARY)),
        (str(TIMEID["2001-10-03"]), str(e1003b)),
    ]
    assert ends[0][3] == "Lt. Gen. Thorstein Skiaker, NO A 06 Apr 2001 - 03 Oct 2001"
    # e1004a states neither bound of the interval, and is not one of its documents
    assert e1004a not in set(data.objects(TIMEID["comkfor-05"], DCTERMS.source))


# ---- the defects the issue lists --------------------------------------------------------------------


def test_mta_parties_primary_preferred_jfc_naples_kept_as_normal(data, graphs):
    mta = INSTRUMENT["military-technical-agreement"]
    assert set(data.objects(mta, KFOR.party)) == {
        ORGANISATION.nato,
        COUNTRY["federal-republic-of-yugoslavia"],
        COUNTRY.serbia,
    }
    rows = claim_sources(graphs, mta, KFOR.party)
    assert {(value, rank, document) for value, rank, document, _ in rows} == {
        (str(ORGANISATION.nato), "preferred", str(PRIMARY)),
        (str(COUNTRY["federal-republic-of-yugoslavia"]), "preferred", str(PRIMARY)),
        (str(COUNTRY.serbia), "preferred", str(PRIMARY)),
        (str(ORGANISATION.kfor), "normal", str(SOURCE["jfc-naples-kfor-history-documents"])),
        (str(ORGANISATION["government-of-fry"]), "normal", str(SOURCE["jfc-naples-kfor-history-documents"])),
        (str(ORGANISATION["government-of-serbia"]), "normal", str(SOURCE["jfc-naples-kfor-history-documents"])),
    }
    # no state and its own government are both stated as parties
    for party in data.objects(mta, KFOR.party):
        assert not set(data.objects(party, KFOR.governmentOf)) & set(data.objects(mta, KFOR.party))


def test_capacity_building_is_not_said_to_be_decided_on_12_june_2008(data):
    assert (TASKING["capacity-building"], KFOR.decidedIn, None) not in data
    assert (TASKING["capacity-building"], KFOR.taskingKind, TASKING_KIND["additional-tasks"]) in data


def test_peace_enforcement_follows_from_chapter_vii(data):
    claim = CLAIM["kfor-peace-enforcement-operation"]
    assert data.value(claim, RDF.object) == URIRef(ID + "concept/operation-type/peace-enforcement-operation")
    assert data.value(claim, KFOR.followsFrom) == CLAIM["kfor-operates-under-chapter-vii"]
    assert data.value(CLAIM["kfor-operates-under-chapter-vii"], RDF.object) == INSTRUMENT["un-charter-chapter-vii"]
    words = {str(data.value(data.value(q, OA.hasSelector), OA.exact)) for q in data.objects(claim, PROV.wasDerivedFrom)}
    assert words == {
        "KFOR operates under Chapter VII of the UN Charter and, as such, is a peace enforcement operation."
    }


def test_jfc_naples_sits_in_lago_patria_as_jfc_naples_says(data, graphs):
    lago_patria = URIRef(ID + "place/lago-patria")
    assert (ORGANISATION["jfc-naples"], SCHEMA.location, lago_patria) in data
    assert (lago_patria, SCHEMA.containedInPlace, COUNTRY.italy) in data
    rows = claim_sources(graphs, ORGANISATION["jfc-naples"], SCHEMA.location)
    assert [(v, d) for v, _, d, _ in rows if v == str(lago_patria)] == [
        (str(lago_patria), str(SOURCE["jfc-naples-news-2021-09-17"]))
    ]
    # every headquarters' unit sits at a site in a settlement
    for unit in data.subjects(RDF.type, KFOR.Headquarters):
        site = data.value(unit, ORG.hasPrimarySite)
        assert (data.value(site, SCHEMA.containedInPlace), RDF.type, KFOR.Settlement) in data, unit


def test_instruments_are_dated_by_owl_time_instants(data):
    instruments = {
        s
        for s in data.subjects(RDF.type, None)
        if (s, RDF.type, KFOR.Resolution) in data or (s, RDF.type, KFOR.Agreement) in data
    }
    assert instruments
    for instrument in instruments:
        assert (instrument, DCTERMS.date, None) not in data
        instant = data.value(instrument, TIME.hasTime)
        assert (instant, RDF.type, TIME.Instant) in data, instrument
    assert data.value(data.value(INSTRUMENT["unscr-1244"], TIME.hasTime), TIME.inXSDDate) == Literal(
        "1999-06-10", datatype=XSD.date
    )


def test_every_tasking_has_a_kind(data, dataset):
    for tasking in data.subjects(RDF.type, KFOR.Tasking):
        kind = data.value(tasking, KFOR.taskingKind)
        assert (kind, SKOS.inScheme, URIRef(ID + "concept/tasking-kind")) in data, tasking
    found = {
        str(row[0])
        for row in dataset.query(
            "SELECT ?t WHERE { ?t <https://w3id.org/kfor/ontology/taskingKind> ?k . FILTER (?k IN (?a, ?b)) }",
            initBindings={"a": TASKING_KIND["initial-tasks"], "b": TASKING_KIND["minority-protection"]},
        )
    }
    assert found == {str(TASKING["initial-tasks"]), str(TASKING["minority-protection"])}


def test_term_6_does_not_cite_the_primary_source(data):
    term6, interval6 = URIRef(ID + "term/comkfor-06"), TIMEID["comkfor-06"]
    for node in (term6, interval6):
        assert (node, DCTERMS.source, PRIMARY) not in data
    for claim in set(data.subjects(RDF.subject, term6)) | set(data.subjects(RDF.subject, interval6)):
        assert (claim, DCTERMS.source, PRIMARY) not in data, claim


def test_ortuno_such_surname_is_not_cited_to_the_primary_source(data, graphs):
    person = URIRef(ID + "person/juan-ortuno-such")
    el_pais = str(SOURCE["el-pais-2000-01-18"])
    for prop in (FOAF.familyName, FOAF.name):
        rows = claim_sources(graphs, person, prop)
        assert {(value, document) for value, _, document, _ in rows} == {(str(data.value(person, prop)), el_pais)}, prop
        assert "Ortuño Such" in rows[0][3]
    assert {(v, d) for v, _, d, _ in claim_sources(graphs, person, SCHEMA.alternateName)} == {
        ("Juan Ortuño", str(PRIMARY))
    }


def test_rank_definitions_cite_every_source_of_the_terms_at_that_rank(data):
    for slug, terms in (("lieutenant-general", range(1, 15)), ("major-general", range(15, 31))):
        rank = URIRef(ID + "concept/rank/" + slug)
        expected = {d for n in terms for d in data.objects(URIRef(ID + f"term/comkfor-{n:02d}"), DCTERMS.source)}
        assert set(data.objects(rank, DCTERMS.source)) == expected
        assert len(expected) > 5


# ---- comparable time --------------------------------------------------------------------------------


def test_every_instant_has_its_earliest_and_latest_day(data):
    instants = set(data.subjects(RDF.type, TIME.Instant))
    assert instants
    for instant in instants:
        first, last = data.value(instant, KFOR.earliestDate), data.value(instant, KFOR.latestDate)
        assert first.datatype == last.datatype == XSD.date and first.toPython() <= last.toPython(), instant
    month = TIMEID["2003-10"]
    assert (str(data.value(month, KFOR.earliestDate)), str(data.value(month, KFOR.latestDate))) == (
        "2003-10-01",
        "2003-10-31",
    )


def test_queries_compare_dates_not_string_prefixes():
    for path in sorted((ROOT / "queries").glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"SUBSTR\(\?\w+, 1, (IF\(|\?\w*Length)", text), path.name


# ---- the inferred graph -----------------------------------------------------------------------------


def test_inferred_graph_holds_superclass_types_and_symmetric_links_only(dataset):
    inferred = set(dataset.graph(INFERRED_GRAPH))
    data = set(dataset.graph(DATA_GRAPH))
    assert (ORGANISATION.kfor, RDF.type, ORG.Organization) in inferred
    assert (ORGANISATION.eu, KFOR.cooperatesWith, ORGANISATION.kfor) in inferred
    assert not inferred & data
    for s, p, o in inferred:
        assert isinstance(o, URIRef) and str(s).startswith(ID), (s, p, o)
        assert p != URIRef("http://www.w3.org/2002/07/owl#sameAs")
        assert o not in (RDFS.Resource, URIRef("http://www.w3.org/2002/07/owl#Thing"))
    # links out are not reasoned over: the reasoner would copy every triple and claim about KFOR onto
    # its DBpedia resource (a claim of normal rank about KFOR then named the DBpedia IRI as its value)
    assert (
        ORGANISATION.kfor,
        URIRef("http://www.w3.org/2002/07/owl#sameAs"),
        URIRef("http://dbpedia.org/resource/Kosovo_Force"),
    ) in data
    assert not [t for t in inferred if "dbpedia.org" in str(t[2])]


def test_the_rules_infer_what_the_reasoner_infers_from_the_whole_data(dataset):
    """The reasoner's entailments for one stand-in per class and property, applied by Oxigraph, give
    the same graph as the reasoner given every type and link of the data (kfor_graph.infer)."""
    ontology, data = dataset.graph(ONTOLOGY_GRAPH), dataset.graph(DATA_GRAPH)
    whole = inferred_triples(ontology, data)
    assert len(whole) > 1000 and set(dataset.graph(INFERRED_GRAPH)) == whole


def test_a_transitive_property_is_reasoned_over_the_data_whole():
    """Rules per property cannot chain two triples: with a transitive property, the data's links go
    through the reasoner whole, and the chain's end is inferred."""
    ex = "https://w3id.org/kfor/id/organisation/"
    store = ox.Store()
    ontology, data = ox.NamedNode(str(ONTOLOGY_GRAPH)), ox.NamedNode(str(DATA_GRAPH))
    part = ox.NamedNode(str(KFOR.partOf))
    store.add(ox.Quad(part, ox.NamedNode(str(RDF.type)), ox.NamedNode(OWL_NS + "TransitiveProperty"), ontology))
    for a, b in (("a", "b"), ("b", "c")):
        store.add(ox.Quad(ox.NamedNode(ex + a), part, ox.NamedNode(ex + b), data))
    add_inferred(store)
    assert [
        (q.subject.value, q.object.value)
        for q in store.quads_for_pattern(None, part, None, None)
        if q.graph_name.value == str(INFERRED_GRAPH)
    ] == [(ex + "a", ex + "c")]


def test_oxigraph_store_finds_kfor_as_an_organisation(dataset, tmp_path):
    from kfor_graph.store import load_store, run_query

    counts = load_store(dataset, tmp_path / "store")
    assert counts[str(INFERRED_GRAPH)] == len(dataset.graph(INFERRED_GRAPH)) > 0
    result = run_query("SELECT ?x WHERE { ?x a <http://www.w3.org/ns/org#Organization> }", directory=tmp_path / "store")
    assert str(ORGANISATION.kfor) in format_result(result, "csv").splitlines()


def test_void_describes_the_three_named_graphs(dataset):
    void = Graph().parse(data=dict(iter_build_files(dataset))[VOID_FILE], format="turtle")
    dataset_iri = URIRef("https://w3id.org/kfor/dataset")
    assert set(void.objects(dataset_iri, VOID.subset)) == {
        URIRef("https://w3id.org/kfor/graph/ontology"),
        URIRef("https://w3id.org/kfor/graph/data"),
        INFERRED_GRAPH,
    }
    assert void.value(INFERRED_GRAPH, VOID.triples).toPython() == len(dataset.graph(INFERRED_GRAPH))
    assert "kfor.nq and kfor.trig" in str(void.value(INFERRED_GRAPH, DCTERMS.description))


@pytest.mark.parametrize(
    "slug", ["michael-jackson", "klaus-reinhardt", "juan-ortuno-such", "carlo-cabigiosu", "thorstein-skiaker"]
)
def test_the_service_letter_is_the_primary_sources_alone(slug, graphs):
    # only the primary source's list gives the service ("A": Army); the other sources of these
    # commanders do not say it
    rows = claim_sources(graphs, URIRef(ID + "person/" + slug), KFOR.serviceBranch)
    assert [(value, document) for value, _, document, _ in rows] == [(ID + "concept/service/army", str(PRIMARY))]
    assert rows[0][3].startswith("Lt. Gen. ") and ", " in rows[0][3] and " A " in rows[0][3]
