"""The static site of `kfor-graph site`: no broken internal link, a page and RDF for every IRI of the
graph, and pages that show what the graph says (titles, dates at their precision, sources as
footnotes with quotes, alternative claims, terms in order). The site is written once per session."""

import csv
import functools
import hashlib
import json
import re
from html.parser import HTMLParser
from urllib.parse import unquote, urldefrag, urljoin, urlparse

import pyoxigraph as ox
import pytest
from rdflib import RDF, Graph, URIRef

from conftest import PROJECT, REPO
from kfor_graph import chart
from kfor_graph.namespaces import PREFIXES
from kfor_graph.pages import used_prefixes
from kfor_graph.site import make_site, rendered, shapes_store

# The modules that read the static site share one worker, so the site is written once (pytest-xdist).
pytestmark = pytest.mark.xdist_group("site")

BASE = "https://w3id.org/kfor/"
RDF_EXTENSIONS = ("ttl", "jsonld", "nt", "rdf")


class Page(HTMLParser):
    """The links, ids, text and JSON-LD scripts of one HTML page (the standard library's parser)."""

    def __init__(self, text):
        super().__init__()
        self.links, self.ids, self.scripts, self.text = [], set(), [], []
        self._in_jsonld = self._in_title = self._in_script = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("href", "src"):
            if attrs.get(name) is not None:
                self.links.append(attrs[name])
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and "name" in attrs:
            self.ids.add(attrs["name"])
        self._in_jsonld = tag == "script" and attrs.get("type") == "application/ld+json"
        self._in_script = tag == "script"  # a chart's script is not text a reader sees
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_jsonld = self._in_title = self._in_script = False

    def handle_data(self, data):
        if self._in_jsonld:
            self.scripts.append(data)
        elif not self._in_title and not self._in_script:
            self.text.append(data)

    @property
    def plain(self) -> str:
        return " ".join(" ".join(self.text).split())


@pytest.fixture(scope="module")
def pages(site_dir):
    """Every HTML file of the site, parsed, by its path relative to the site."""
    return {p.relative_to(site_dir).as_posix(): Page(p.read_text(encoding="utf-8")) for p in site_dir.rglob("*.html")}


def graph_iris():
    """Every IRI under BASE in the ontology, data and shapes, read with Oxigraph's parser (not the
    code under test)."""
    found = set()
    for path in [*REPO.glob("ontology/*.ttl"), *REPO.glob("data/*.ttl")]:
        for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            for term in triple:
                if isinstance(term, ox.NamedNode) and term.value.startswith(BASE):
                    found.add(term.value)
    return found | {BASE + "graph/ontology", BASE + "graph/data"}


def test_no_broken_internal_link(site_dir, pages):
    # The site's folders and files, listed once: a stat per link (170,000 links) was half this test's time.
    entries = {p.relative_to(site_dir).as_posix(): p.is_dir() for p in site_dir.rglob("*")}
    entries[""] = True  # the site's root

    @functools.cache
    def resolve(here: str, link: str) -> tuple[str | None, str]:
        """(the file a link leads to, relative to the site, or None for another site; its fragment)."""
        target, fragment = urldefrag(urljoin(here, link))
        if not target.startswith("http://site.test/"):
            return None, fragment
        local = unquote(urlparse(target).path)[1:].rstrip("/")
        return (f"{local}/index.html".lstrip("/") if entries.get(local) else local), fragment

    checked, broken = 0, []
    for path, page in pages.items():
        # a link resolves the same from every page of a folder, unless it is only a fragment or a query
        folder = "http://site.test/" + path[: path.rfind("/") + 1]
        here = "http://site.test/" + path
        for link in page.links:
            file, fragment = resolve(here if link[:1] in ("", "#", "?") else folder, link)
            if file is None:
                continue  # another site: not ours to check
            checked += 1
            if entries.get(file) is not False:  # missing, or a folder without an index.html
                broken.append(f"{path}: {link}")
            elif fragment and file.endswith(".html"):
                if fragment not in pages[file].ids:
                    broken.append(f"{path}: {link} (no #{fragment})")
    assert checked > 20000, checked
    assert broken == [], f"{len(broken)} broken links, e.g. {broken[:10]}"


def test_every_iri_of_the_graph_has_its_page_and_rdf(site_dir):
    iris = graph_iris()
    assert len(iris) > 500
    missing = []
    for iri in sorted(iris):
        path = iri[len(BASE) :]
        wanted = [f"{path}.html", f"{path}/index.html"] + [f"{path}.{ext}" for ext in RDF_EXTENSIONS]
        missing += [name for name in wanted if not (site_dir / name).is_file()]
    assert missing == []


def test_the_rdf_files_hold_the_resources_own_triples(site_dir):
    path = "id/term/comkfor-07"
    expected = Graph().parse(REPO / "data/commands.ttl")
    own = set(expected.triples((URIRef(BASE + path), None, None)))
    assert len(own) == 12  # no next term: no document read names Mini's successor
    for ext, fmt in (("ttl", "turtle"), ("nt", "nt"), ("rdf", "xml"), ("jsonld", "json-ld")):
        graph = Graph().parse(site_dir / f"{path}.{ext}", format=fmt)
        assert own <= set(graph), ext
        # what links to it, and the labels of what it links to
        assert (
            URIRef(BASE + "id/term/comkfor-06"),
            URIRef(BASE + "ontology/nextTerm"),
            URIRef(BASE + path),
        ) in graph
        assert (
            str(
                graph.value(URIRef(BASE + "id/person/fabio-mini"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"))
            )
            == "Fabio Mini"
        )


def test_a_page_embeds_its_description_as_jsonld(site_dir, pages):
    page = pages["id/person/fabio-mini.html"]
    assert len(page.scripts) == 1
    embedded = Graph().parse(data=json.dumps(json.loads(page.scripts[0])), format="json-ld")
    assert set(embedded) == set(Graph().parse(site_dir / "id/person/fabio-mini.ttl"))


def test_a_term_page(pages):
    page = pages["id/term/comkfor-07.html"]
    text = page.plain
    assert text.startswith(
        "KFOR Graph Classes Sources Queries Ontology Term 7 of COMKFOR: Fabio Mini "
        "https://w3id.org/kfor/id/term/comkfor-07 org:Membership , term of office "
    )
    assert "← previous: Term 6 of COMKFOR: Marcel Valentin" in text
    # no document read names Mini's successor: no next link
    assert "next:" not in text
    assert "../../id/term/comkfor-06.html" in page.links and "../../id/term/comkfor-08.html" not in page.links
    assert "Term 7 of COMKFOR (Fabio Mini): 4 October 2002 to October 2003" in text
    assert "org:member Fabio Mini [1] [2] " in text
    assert "Sources Italian Wikinews, 1 September 2005 NATO Update e1004a What links here" in text
    # no document read calls Mini the seventh: the ordinal names the rule that counts it, not a note
    assert "schema:position 7 (xsd:integer) (no document: inferred by ordinal counted from the previous term ) " in text
    assert "../../ontology/OrdinalFromPreviousTerm.html" in page.links
    assert {"#note-1", "#note-2", "../../id/source/nato-update-2002-10-04.html"} <= set(page.links)
    assert {"note-1", "note-2"} <= page.ids


def test_footnotes_give_each_claims_documents_and_words_and_other_claims_stand_beside_the_preferred(pages):
    text = pages["id/term/comkfor-01.html"].plain
    preferred = "Term 1 of COMKFOR (Michael Jackson): 9 June 1999 to 8 October 1999"
    alternative = "Term 1 of COMKFOR (Michael Jackson), alternative: April 1999 to October 1999"
    # the preferred claim's two documents (one with the words it cites), then the other source's claim
    # (notes 1 to 4 are the term's four documents, which the label is written from)
    assert f"org:memberDuring {preferred} [3] [5] (preferred) another source's claim: {alternative} [9] " in text
    assert (
        "Sources BBC News, 8 October 1999 First commander of KFOR Lt. Gen. Mike Jackson passed away (BGNES) "
        "Transfer-of-authority speech of Lt. Gen. Sir Michael Jackson, 8 October 1999 "
        "NATO's role in Kosovo Lt. Gen. Sir Michael Jackson, UK A 09 Jun 1999 - 08 Oct 1999 NATO's role in Kosovo "
    ) in text
    assert "NATO Update e1003b April-October 1999 What links here" in text


def test_dates_are_shown_at_their_precision(pages):
    assert "9 June 1999 (xsd:date)" in pages["id/time/1999-06-09.html"].plain
    assert "October 2003 (xsd:gYearMonth)" in pages["id/time/2003-10.html"].plain
    assert "2008 (xsd:gYear)" in pages["id/time/2008.html"].plain


def test_a_person_page_lists_the_terms_in_order(pages):
    text = pages["id/person/ozkan-ulutas.html"].plain
    assert (
        "Terms of office Term 28 of COMKFOR: Özkan Ulutaş : Term 28 of COMKFOR (Özkan Ulutaş): 10 October 2023 "
        "to 11 October 2024 Term 30 of COMKFOR: Özkan Ulutaş : Term 30 of COMKFOR (Özkan Ulutaş): from 3 October 2025 "
        "Sources"
    ) in text


def test_a_source_page_lists_the_facts_citing_it_with_their_quotes(pages):
    text = pages["id/source/nato-role-in-kosovo.html"].plain
    assert "Facts citing this source" in text
    assert (
        "KFOR's mandate derives from UNSCR 1244 KFOR derives its mandate from United Nations Security Council "
        "Resolution (UNSCR) 1244 of 10 June 1999"
    ) in text


def test_the_class_page_of_terms_lists_them_in_order(pages):
    text = pages["class/kfor-TermOfOffice.html"].plain
    numbers = [int(n) for n in re.findall(r"Term (\d+) of COMKFOR", text)]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) == 30


def test_each_query_page_shows_its_expected_rows(pages):
    for expected in sorted((REPO / "queries").glob("*.expected.csv")):
        name = expected.name[: -len(".expected.csv")]
        rows = list(csv.reader(expected.open(encoding="utf-8")))
        text = pages[f"queries/{name}.html"].plain
        count = len(rows) - 1
        assert text.endswith(
            f"{count} row{'s' if count != 1 else ''} Data: CC BY 4.0 . Every fact names its source. Dataset description (VoID) ."
        ), name
        assert " ".join(rows[0]) in text, name


def test_dumps_checksums_void_and_context(site_dir):
    sums = (site_dir / "dist/SHA256SUMS").read_text().splitlines()
    names = sorted(line.split("  ")[1] for line in sums)
    assert names == ["context.jsonld", "kfor.jsonld", "kfor.nq", "kfor.nt", "kfor.rdf", "kfor.trig", "kfor.ttl"]
    for line in sums:
        digest, name = line.split("  ")
        assert hashlib.sha256((site_dir / "dist" / name).read_bytes()).hexdigest() == digest
    assert (site_dir / "void.ttl").read_bytes() == (site_dir / ".well-known/void").read_bytes()
    assert (site_dir / "context.jsonld").read_bytes() == (site_dir / "dist/context.jsonld").read_bytes()
    assert "<title>KFOR Graph ontology" in (site_dir / "ontology/index.html").read_text(encoding="utf-8")


def test_void_describes_each_dump_as_it_is(site_dir):
    """Each dcat:Distribution's size, checksum and media type are those of the file in the site."""
    void = Graph().parse(site_dir / "void.ttl")
    rows = void.query("""
        PREFIX dcat: <http://www.w3.org/ns/dcat#>
        PREFIX spdx: <http://spdx.org/rdf/terms#>
        SELECT ?url ?size ?type ?sha WHERE {
            <https://w3id.org/kfor/dataset> dcat:distribution ?d .
            ?d a dcat:Distribution ; dcat:downloadURL ?url ; dcat:byteSize ?size ; dcat:mediaType ?type ;
               spdx:checksum [ a spdx:Checksum ; spdx:algorithm spdx:checksumAlgorithm_sha256 ; spdx:checksumValue ?sha ] .
        }""")
    found = {}
    for url, size, media_type, sha in rows:
        data = (site_dir / str(url)[len(BASE) :]).read_bytes()
        assert int(size) == len(data) and str(sha) == hashlib.sha256(data).hexdigest()
        found[str(url).rsplit("/", 1)[1]] = str(media_type).split("media-types/")[1]
    assert found == {
        "kfor.jsonld": "application/ld+json",
        "kfor.nq": "application/n-quads",
        "kfor.nt": "application/n-triples",
        "kfor.rdf": "application/rdf+xml",
        "kfor.trig": "application/trig",
        "kfor.ttl": "text/turtle",
    }
    subsets = void.query("""
        PREFIX void: <http://rdfs.org/ns/void#>
        SELECT ?graph ?triples WHERE { <https://w3id.org/kfor/dataset> void:subset ?graph . ?graph void:triples ?triples }""")

    # each graph's triples, counted in the files (Oxigraph's parser) and, for the inferred one, in kfor.nq
    def count(paths):
        return len({t for path in paths for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)})

    ontology = count(p for p in REPO.glob("ontology/*.ttl") if not p.name.endswith("-shapes.ttl"))
    inferred = sum(
        1
        for q in ox.parse(path=str(site_dir / "dist/kfor.nq"), format=ox.RdfFormat.N_QUADS)
        if q.graph_name.value == BASE + "graph/inferred"
    )
    assert {(str(g), int(t)) for g, t in subsets} == {
        (BASE + "graph/ontology", ontology),
        (BASE + "graph/data", count(REPO.glob("data/*.ttl"))),
        (BASE + "graph/inferred", inferred),
    }
    assert inferred > 0
    vocabularies = {
        str(v) for v in void.objects(URIRef(BASE + "dataset"), URIRef("http://rdfs.org/ns/void#vocabulary"))
    }
    assert {"http://www.w3.org/ns/org#", "http://www.w3.org/2006/time#", BASE + "ontology/"} <= vocabularies
    agents = void.query("""
        PREFIX dcterms: <http://purl.org/dc/terms/>
        PREFIX foaf: <http://xmlns.com/foaf/0.1/>
        SELECT ?name WHERE { <https://w3id.org/kfor/dataset> dcterms:creator ?a ; dcterms:publisher ?a . ?a a foaf:Agent ; foaf:name ?name }""")
    assert [str(name) for (name,) in agents] == ["KFOR Graph contributors"]


def test_forked_renderers_give_what_one_process_gives_and_pass_errors_on(project_dataset):
    site = make_site(project_dataset, docs=False)
    paths = site.paths()[::40] + ["charts/no-such-chart.svg"]
    alone = list(rendered(site, paths, jobs=1))
    assert list(rendered(site, paths, jobs=2)) == alone
    assert alone[-1] == ("charts/no-such-chart.svg", None)
    assert sum(1 for _, data in alone if data) == len(paths) - 1

    def broken(path):
        raise OSError(f"cannot render {path}")

    site.file = broken  # the forked renderers inherit it
    with pytest.raises(OSError, match="cannot render index.html"):
        list(rendered(site, ["index.html"], jobs=2))


def test_the_shapes_blank_nodes_have_the_same_labels_in_every_run():
    first, second = set(shapes_store()), set(shapes_store())
    assert first == second
    assert any(isinstance(q.object, ox.BlankNode) for q in first)  # there are blank nodes to label


def test_used_prefixes_are_the_namespaces_the_iris_start_with():
    assert all(ns.endswith(("/", "#")) for ns in PREFIXES.values())  # what used_prefixes relies on
    triples = [
        ox.Triple(
            ox.NamedNode("https://w3id.org/kfor/id/person/wesley-clark"),
            ox.NamedNode("http://xmlns.com/foaf/0.1/name"),
            ox.Literal("1999-06", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYearMonth")),
        )
    ]
    assert used_prefixes(triples) == {
        "person": "https://w3id.org/kfor/id/person/",
        "foaf": "http://xmlns.com/foaf/0.1/",
        "xsd": "http://www.w3.org/2001/XMLSchema#",
    }


def test_site_into_a_file_is_a_one_line_error(cli, tmp_path):
    (tmp_path / "taken").write_text("a file")
    code, _, err = cli("--root", REPO, "site", "--out", tmp_path / "taken")
    assert code == 2 and err.endswith(f"kfor-graph: error: {tmp_path / 'taken'}: not a folder\n")


@pytest.mark.parametrize(
    "path, name",
    [
        ("index.html", "command-timeline"),
        ("class/kfor-TermOfOffice.html", "command-timeline"),
        ("id/organisation/kfor.html", "troop-strength"),
    ],
)
def test_pages_show_their_chart_with_its_alt_text_spec_and_sources(site_dir, pages, project_dataset, path, name):
    """The timeline on the landing page and the commanders' index, the troop chart on KFOR's page: the
    same picture as `kfor-graph chart NAME`, its spec for the interactive chart, its sources linked."""
    page, html = pages[path], (site_dir / path).read_text(encoding="utf-8")
    figure = chart.figure(name, project_dataset)
    (svg,) = [link for link in page.links if link.endswith(f"charts/{name}.svg")][:1]
    assert (site_dir / path).parent.joinpath(svg).resolve().read_bytes() == chart.render_figure(figure, "svg")
    (spec,) = {link for link in page.links if link.endswith(f"charts/{name}.vl.json")}
    assert json.loads((site_dir / path).parent.joinpath(spec).resolve().read_text()) == json.loads(
        json.dumps(figure.spec)
    )
    assert f'alt="{figure.alt}"' in html.replace("&#39;", "'").replace("&quot;", '"')
    sources = {iri[len(BASE) :] + ".html" for _, iri in figure.sources}
    assert sources and all(any(link.endswith(s) for link in page.links) for s in sources)


def test_a_graph_without_a_charts_data_gets_no_chart(cli, tmp_path):
    """The small fixture project has no troop figures or sourced terms: no chart file, no empty figure."""
    code, out, err = cli("--root", PROJECT, "site", "--out", tmp_path / "site")
    assert code == 0, err
    assert not (tmp_path / "site" / "charts").exists()
    assert 'class="chart"' not in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


def test_void_has_what_dcat_ap_recommends_where_the_project_can_say_it(site_dir):
    """DCAT-AP 3's recommended properties (its shapes_recommended.ttl): keywords, theme, spatial and
    temporal coverage of the dataset, its contact point (the project's home page: no e-mail address is
    named); description, format, availability and licence of each distribution; the agent's type."""
    void = Graph().parse(site_dir / "void.ttl")
    dcat, dct = "http://www.w3.org/ns/dcat#", "http://purl.org/dc/terms/"
    dataset = URIRef(BASE + "dataset")
    assert {str(k) for k in void.objects(dataset, URIRef(dcat + "keyword"))} >= {"KFOR", "NATO", "Kosovo"}
    assert list(void.objects(dataset, URIRef(dcat + "theme"))) == [
        URIRef("http://publications.europa.eu/resource/authority/data-theme/INTR")
    ]
    assert list(void.objects(dataset, URIRef(dct + "spatial"))) == [URIRef(BASE + "id/place/kosovo")]
    vcard = "http://www.w3.org/2006/vcard/ns#"
    (contact,) = void.objects(dataset, URIRef(dcat + "contactPoint"))
    assert (contact, RDF.type, URIRef(vcard + "Kind")) in void
    assert void.value(contact, URIRef(vcard + "hasURL")) == URIRef(BASE)
    assert str(void.value(contact, URIRef(vcard + "fn"))) == "KFOR Graph contributors"
    assert list(void.objects(URIRef(BASE + "contributors"), URIRef(dct + "type"))) == [
        URIRef("http://purl.org/adms/publishertype/PrivateIndividual(s)")
    ]
    (period,) = void.objects(dataset, URIRef(dct + "temporal"))
    assert [str(void.value(period, URIRef(dcat + p))) for p in ("startDate", "endDate")] == ["1999-03", "2025-10-03"]
    distributions = list(void.objects(dataset, URIRef(dcat + "distribution")))
    assert len(distributions) == 6
    formats = set()
    for distribution in distributions:
        for prop in (dct + "description", dct + "license", "http://data.europa.eu/r5r/availability"):
            assert void.value(distribution, URIRef(prop)) is not None, (distribution, prop)
        formats.add(str(void.value(distribution, URIRef(dct + "format"))).rpartition("/")[2])
    assert formats == {"RDF_TURTLE", "RDF_N_TRIPLES", "RDF_N_QUADS", "RDF_TRIG", "RDF_XML", "JSON_LD"}
