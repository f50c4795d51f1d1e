"""Every page and RDF description of the published graph, by its path under https://w3id.org/kfor/.

One `Site` answers `site.file(path)` for every path of the site: the static site (`kfor-graph site`)
writes each of `site.paths()`, and the server (`kfor-graph serve`) answers requests with the same
function, so both publish the same thing. The graph is read from Oxigraph stores (the project's
store, and a small one with the shapes and the VoID description); pages are Jinja2 templates.
"""

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property

import pyoxigraph as ox
from jinja2 import Environment, PackageLoader, select_autoescape

from kfor_graph.namespaces import BASE, ID_BASE, PREFIXES, compact

DIST = "dist/"  # the dumps' folder in the site (build.DOWNLOAD_BASE)
ENDPOINT_PATH = "sparql"

# extension -> (pyoxigraph format, media type) of a resource's description
RDF_FILES = {
    "ttl": (ox.RdfFormat.TURTLE, "text/turtle"),
    "jsonld": (ox.RdfFormat.JSON_LD, "application/ld+json"),
    "nt": (ox.RdfFormat.N_TRIPLES, "application/n-triples"),
    "rdf": (ox.RdfFormat.RDF_XML, "application/rdf+xml"),
}
HTML = "text/html; charset=utf-8"


def _n(prefix: str, local: str) -> ox.NamedNode:
    return ox.NamedNode(PREFIXES[prefix] + local)


RDF_TYPE = _n("rdf", "type")
RDFS_LABEL = _n("rdfs", "label")
SKOS_PREF_LABEL = _n("skos", "prefLabel")
DCTERMS_TITLE = _n("dcterms", "title")
DCTERMS_SOURCE = _n("dcterms", "source")
DCTERMS_DESCRIPTION = _n("dcterms", "description")
SKOS_DEFINITION = _n("skos", "definition")
RDFS_COMMENT = _n("rdfs", "comment")
DERIVED_FROM = _n("prov", "wasDerivedFrom")
HAS_SOURCE, HAS_SELECTOR, EXACT = _n("oa", "hasSource"), _n("oa", "hasSelector"), _n("oa", "exact")
CLAIM_RANK, NORMAL_RANK = _n("kfor", "claimRank"), _n("kfor", "NormalRank")
INFERRED_BY = _n("kfor", "inferredBy")
RDF_SUBJECT, RDF_PREDICATE, RDF_OBJECT = _n("rdf", "subject"), _n("rdf", "predicate"), _n("rdf", "object")
RDF_FIRST, RDF_REST, RDF_NIL = _n("rdf", "first"), _n("rdf", "rest"), _n("rdf", "nil")
TERM_OF_OFFICE = _n("kfor", "TermOfOffice")
SOURCE_DOCUMENT = _n("kfor", "SourceDocument")
POSITION = _n("schema", "position")
KFOR_ITSELF = ID_BASE + "organisation/kfor"
# The charts the pages show: on the landing page, on the terms of office's class page, on KFOR's page.
PAGE_CHARTS = {
    "landing": "command-timeline",
    "class:" + TERM_OF_OFFICE.value: "command-timeline",
    KFOR_ITSELF: "troop-strength",
}
ORG_MEMBER = _n("org", "member")
MEMBER_DURING = _n("org", "memberDuring")
PREVIOUS_TERM, NEXT_TERM = _n("kfor", "previousTerm"), _n("kfor", "nextTerm")
SCHEMA_URL = _n("schema", "url")
LABEL_PROPERTIES = (RDFS_LABEL, SKOS_PREF_LABEL, DCTERMS_TITLE, _n("sh", "name"))
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
XSD = PREFIXES["xsd"]


def path_of(iri: str) -> str | None:
    """The site path of an IRI under BASE ("id/person/x"), else None."""
    if iri.startswith(BASE) and len(iri) > len(BASE) and not set(iri[len(BASE) :]) & set("#?"):
        return iri[len(BASE) :]
    return None


def root_of(path: str) -> str:
    """The relative link from a page at `path` back to the site's root ("../../")."""
    return "../" * path.count("/")


def show_date(value: str, datatype: str) -> str:
    """A date at its own precision: "9 June 1999", "October 2003", "2008"."""
    match datatype[len(XSD) :] if datatype.startswith(XSD) else "":
        case "date" if re.fullmatch(r"\d{4}-\d\d-\d\d", value):
            return f"{int(value[8:])} {MONTHS[int(value[5:7]) - 1]} {value[:4]}"
        case "gYearMonth" if re.fullmatch(r"\d{4}-\d\d", value):
            return f"{MONTHS[int(value[5:7]) - 1]} {value[:4]}"
    return value


@dataclass
class Footnotes:
    """The numbered sources of one page: each (source, quote) once, in order of first use."""

    notes: list[dict] = field(default_factory=list)

    def number(self, source, quote, link) -> int:
        for i, note in enumerate(self.notes, 1):
            if note["source_iri"] == source and note["quote"] == quote:
                return i
        self.notes.append({"source_iri": source, "source": link, "quote": quote})
        return len(self.notes)


class Site:
    """The pages and RDF of the published graph. `stores` are read as one: the project's store
    (its two named graphs) and any others (shapes, VoID). `files` are extra files by path
    (dumps, void.ttl, the ontology's docs), served as they are."""

    def __init__(
        self,
        stores: list[ox.Store],
        queries: list | None = None,
        files: dict | None = None,
        endpoint: bool = False,
        about: dict | None = None,
        figures: dict | None = None,
    ):
        self.stores = stores
        self.queries = {q.name: q for q in queries or []}  # name -> kfor_graph.query.QueryInfo
        self.files = files or {}  # path -> (bytes, media type), or a callable giving them
        self.endpoint = endpoint  # whether /sparql exists (the server), or not (the static site)
        self.about = about or {}
        self.figures = figures or {}  # chart name -> a function giving its chart.Figure (site.chart_figures)
        self.env = Environment(
            loader=PackageLoader("kfor_graph", "templates"),
            autoescape=select_autoescape(default=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._described = (None, None)  # the last description: a resource's files all ask for it

    # --- reading the stores ------------------------------------------------------------------

    def quads(self, s=None, p=None, o=None):
        for store in self.stores:
            yield from store.quads_for_pattern(s, p, o, None)

    def objects(self, s, p) -> list:
        return sorted({q.object for q in self.quads(s, p, None)}, key=str)

    def subjects(self, p, o) -> list:
        return sorted({q.subject for q in self.quads(None, p, o)}, key=str)

    def one(self, s, p):
        values = self.objects(s, p)
        return values[0] if values else None

    @cached_property
    def labels(self) -> dict:
        """The label of everything labelled: rdfs:label, skos:prefLabel, dcterms:title or sh:name,
        English first."""
        found = {}
        for rank, p in enumerate(LABEL_PROPERTIES):
            for q in self.quads(None, p, None):
                lang = getattr(q.object, "language", None)
                key = (rank, 0 if lang == "en" else 1 if not lang else 2, q.object.value)
                if q.subject not in found or key < found[q.subject][0]:
                    found[q.subject] = (key, q.object.value)
        return {term: value for term, (_, value) in found.items()}

    def label(self, term) -> str:
        if term in self.labels:
            return self.labels[term]
        if isinstance(term, ox.NamedNode):
            return compact(term.value) or term.value
        return str(term)

    def resource_iris(self) -> list[str]:
        """Every IRI under BASE that the graph names (subject, object, predicate or graph name),
        except the site's own files (the dumps)."""
        found = set()
        for store in self.stores:
            for q in store:
                for term in (q.subject, q.predicate, q.object, q.graph_name):
                    if isinstance(term, ox.NamedNode):
                        found.add(term.value)
        return sorted(iri for iri in found if self._is_page(iri))

    def _is_page(self, iri: str) -> bool:
        path = path_of(iri)
        return path is not None and not path.startswith(DIST) and path != ENDPOINT_PATH

    def is_resource(self, iri: str) -> bool:
        if not self._is_page(iri):
            return False
        node = ox.NamedNode(iri)
        return any(
            next(iter(store.quads_for_pattern(*pattern, None)), None) is not None
            for store in self.stores
            for pattern in ((node, None, None), (None, None, node), (None, node, None))
        ) or any(node in set(store.named_graphs()) for store in self.stores)

    # --- descriptions ------------------------------------------------------------------------

    def description(self, iri: str) -> list[ox.Triple]:
        """What the site says about a resource: its own triples (with the blank nodes they lead
        to), the claims about it and the quotes they and it cite, the labels of what it links to,
        and what links to it."""
        last, triples = self._described
        if last != iri:
            triples = self._describe(iri)
            self._described = (iri, triples)
        return triples

    def _describe(self, iri: str) -> list[ox.Triple]:
        node = ox.NamedNode(iri)
        triples = set()
        todo = [node]
        seen = set()
        while todo:  # own triples, and those of blank nodes and statements hanging off them
            subject = todo.pop()
            if subject in seen:
                continue
            seen.add(subject)
            for q in self.quads(subject, None, None):
                triples.add(q.triple)
                if isinstance(q.object, ox.BlankNode):
                    todo.append(q.object)
        claims = self.subjects(RDF_SUBJECT, node)
        for claim in claims:
            triples.update(q.triple for q in self.quads(claim, None, None))
        for holder in [node, *claims]:  # the quotes they cite: each quote's document and words
            for quote in self.objects(holder, DERIVED_FROM):
                for q in self.quads(quote, None, None):
                    triples.add(q.triple)
                    if q.predicate == HAS_SELECTOR:
                        triples.update(s.triple for s in self.quads(q.object, None, None))
        for q in self.quads(None, None, node):
            if not isinstance(q.subject, ox.BlankNode):
                triples.add(q.triple)
        linked = {t.object for t in triples} | {t.subject for t in triples} | {t.predicate for t in triples}
        for term in linked - {node}:
            if isinstance(term, ox.NamedNode):
                for p in LABEL_PROPERTIES[:1]:
                    triples.update(q.triple for q in self.quads(term, p, None))
        return sorted(triples, key=str)

    def rdf(self, iri: str, ext: str) -> bytes:
        fmt, _ = RDF_FILES[ext]
        triples = self.description(iri)
        prefixes = None if fmt == ox.RdfFormat.N_TRIPLES else used_prefixes(triples)
        return ox.serialize(triples, format=fmt, prefixes=prefixes)

    # --- the model a resource page is rendered from ------------------------------------------

    def link(self, term, root: str) -> dict:
        """A term as something to show: an IRI with its label and where it leads, a literal with
        its language and datatype (dates at their precision), a blank node with its triples."""
        if isinstance(term, ox.NamedNode):
            return {"kind": "iri", "text": self.label(term), "iri": term.value, "href": self.href(term.value, root)}
        if isinstance(term, ox.BlankNode):
            items = self._list_items(term)
            if items is not None:
                return {"kind": "list", "items": [self.link(item, root) for item in items]}
            return {
                "kind": "bnode",
                "rows": [
                    {"property": self.link(p, root), "values": [self.link(o, root) for o in self.objects(term, p)]}
                    for p in sorted({q.predicate for q in self.quads(term, None, None)}, key=str)
                ],
            }
        datatype = term.datatype.value if term.datatype else ""
        return {
            "kind": "literal",
            "text": show_date(term.value, datatype),
            "lang": term.language,
            "datatype": None if term.language or datatype == XSD + "string" else compact(datatype) or datatype,
            "url": term.value if datatype == XSD + "anyURI" and re.match(r"https?://", term.value) else None,
        }

    def _list_items(self, node):
        items = []
        while node != RDF_NIL:
            first, rest = self.one(node, RDF_FIRST), self.one(node, RDF_REST)
            if first is None or rest is None:
                return None
            items.append(first)
            node = rest
        return items

    def href(self, iri: str, root: str) -> str:
        """Where a link to an IRI goes: its page in this site (relative), else the IRI itself."""
        path = path_of(iri)
        if path is None:
            return iri
        if path.startswith(DIST) and path in self.files:
            return root + path
        if path == ENDPOINT_PATH:
            return root + path if self.endpoint else iri
        return root + path + ".html"

    def claims(self, subject, predicate=None, obj=None) -> list:
        """The kfor:Claims about a resource (of one property and value, if given)."""
        return [
            claim
            for claim in self.subjects(RDF_SUBJECT, subject)
            if (predicate is None or self.one(claim, RDF_PREDICATE) == predicate)
            and (obj is None or self.one(claim, RDF_OBJECT) == obj)
        ]

    def fact_sources(self, subject, predicate, obj) -> list[tuple]:
        """The sources of one fact, as (document, quote) pairs: a fact with claims has exactly its
        claims' documents, else the resource's own; each document with the words of it that the
        claim (or resource) cites, if any (CONTRIBUTING.md, "Claims, quotes and ranks")."""
        found = []
        for holder in self.claims(subject, predicate, obj) or [subject]:
            quotes = {}
            for quote in self.objects(holder, DERIVED_FROM):
                document, selector = self.one(quote, HAS_SOURCE), self.one(quote, HAS_SELECTOR)
                exact = self.one(selector, EXACT) if selector is not None else None
                if document is not None and exact is not None:
                    quotes.setdefault(document, []).append(exact.value)
            for document in self.objects(holder, DCTERMS_SOURCE):
                found += [(document, words) for words in quotes.get(document, [None])]
        return found

    def resource_page(self, iri: str, root: str) -> dict:
        node = ox.NamedNode(iri)
        notes = Footnotes()

        def noted(s, p, o) -> dict:
            value = self.link(o, root)
            value["notes"] = [
                notes.number(src, quote, self.link(src, root)) for src, quote in self.fact_sources(s, p, o)
            ]
            # a value no document states, inferred by a rule: the rule stands where its notes would
            value["rules"] = [
                self.link(rule, root) for claim in self.claims(s, p, o) for rule in self.objects(claim, INFERRED_BY)
            ]
            return value

        rows = {}
        # The type is shown under the title, the documents and quotes as the footnotes.
        shown_apart = {RDF_TYPE, DCTERMS_SOURCE, DERIVED_FROM}
        for p in sorted({q.predicate for q in self.quads(node, None, None)} - shown_apart, key=str):
            rows[p] = {
                "property": self.link(p, root),
                "values": [noted(node, p, o) for o in self.objects(node, p)],
                "alternatives": [],
            }
        # A claim of normal rank: another source's value, kept but not stated; shown beside the stated one.
        for claim in self.claims(node):
            p, o = self.one(claim, RDF_PREDICATE), self.one(claim, RDF_OBJECT)
            if NORMAL_RANK in self.objects(claim, CLAIM_RANK) and p is not None and o is not None:
                row = rows.setdefault(p, {"property": self.link(p, root), "values": [], "alternatives": []})
                row["alternatives"].append(noted(node, p, o))
        ordered = sorted(
            rows.values(), key=lambda row: (row["property"]["iri"] != RDFS_LABEL.value, row["property"]["text"].lower())
        )
        types = self.objects(node, RDF_TYPE)
        inbound = {}
        for q in self.quads(None, None, node):
            if isinstance(q.subject, ox.BlankNode) or q.predicate in (RDF_SUBJECT, RDF_OBJECT):
                continue
            inbound.setdefault(q.predicate, set()).add(q.subject)
        if SOURCE_DOCUMENT in types:  # listed with their quotes under "Facts citing this source"
            inbound.pop(DCTERMS_SOURCE, None)
        return {
            "iri": iri,
            "title": self.label(node),
            "types": [self.link(t, root) for t in types],
            "rows": ordered,
            "notes": notes.notes,
            "previous": [self.link(t, root) for t in self.objects(node, PREVIOUS_TERM)],
            "next": [self.link(t, root) for t in self.objects(node, NEXT_TERM)],
            "terms": self._terms_of(node, root),
            "figure": self.figure(iri, root),
            "citing": self._citing(node, root) if SOURCE_DOCUMENT in types else [],
            "inbound": [
                {"property": self.link(p, root), "subjects": self._sorted_links(subjects, root)}
                for p, subjects in sorted(inbound.items(), key=lambda item: self.label(item[0]).lower())
            ],
        }

    def _sorted_links(self, terms, root) -> list[dict]:
        return sorted((self.link(t, root) for t in terms), key=lambda link: (link["text"].lower(), link["iri"]))

    def _terms_of(self, person, root) -> list[dict]:
        """A person's terms of office, in order, each with the interval it lasted."""
        terms = [t for t in self.subjects(ORG_MEMBER, person) if TERM_OF_OFFICE in self.objects(t, RDF_TYPE)]
        terms.sort(key=lambda t: int(self.one(t, POSITION).value) if self.one(t, POSITION) else 0)
        return [
            {"term": self.link(t, root), "during": [self.link(i, root) for i in self.objects(t, MEMBER_DURING)]}
            for t in terms
        ]

    def _citing(self, source, root) -> list[dict]:
        """Every resource and claim that cites a document, with the words of it they cite."""
        facts = []
        for holder in self.subjects(DCTERMS_SOURCE, source):
            words = [
                self.one(self.one(quote, HAS_SELECTOR), EXACT).value
                for quote in self.objects(holder, DERIVED_FROM)
                if self.one(quote, HAS_SOURCE) == source and self.one(self.one(quote, HAS_SELECTOR), EXACT) is not None
            ]
            facts.append({"fact": self.link(holder, root), "quotes": words})
        facts.sort(key=lambda fact: (fact["fact"]["text"].lower(), fact["fact"]["iri"]))
        return facts

    # --- class index pages -------------------------------------------------------------------

    @cached_property
    def classes(self) -> dict:
        """Every class with instances: slug -> (class, instances)."""
        found = {}
        for q in self.quads(None, RDF_TYPE, None):
            if isinstance(q.object, ox.NamedNode) and not isinstance(q.subject, ox.BlankNode):
                found.setdefault(q.object, set()).add(q.subject)
        return {class_slug(c.value): (c, instances) for c, instances in sorted(found.items(), key=lambda i: str(i[0]))}

    def class_page(self, slug: str, root: str) -> dict:
        cls, instances = self.classes[slug]
        if cls == TERM_OF_OFFICE:  # terms of office in their order
            ordered = sorted(instances, key=lambda t: int(self.one(t, POSITION).value) if self.one(t, POSITION) else 0)
            links = [self.link(t, root) for t in ordered]
        else:
            links = self._sorted_links(instances, root)
        return {"class": self.link(cls, root), "instances": links, "figure": self.figure("class:" + cls.value, root)}

    def figure(self, where: str, root: str) -> dict | None:
        """The chart a page shows (PAGE_CHARTS), as its picture, spec, texts and source links."""
        name = PAGE_CHARTS.get(where)
        if name not in self.figures:
            return None
        fig = self.figures[name]()
        if fig is None:  # the graph lacks the chart's data
            return None
        return {
            "name": name,
            "title": fig.title,
            "caption": fig.caption,
            "alt": fig.alt,
            "svg": f"{root}charts/{name}.svg",
            "spec": f"{root}charts/{name}.vl.json",
            "sources": self._sorted_links([ox.NamedNode(iri) for _, iri in fig.sources], root),
        }

    # --- the pages, by path ------------------------------------------------------------------

    def render(self, template: str, root: str, **context) -> bytes:
        page = self.env.get_template(template).render(root=root, endpoint=self.endpoint, about=self.about, **context)
        return page.encode("utf-8")

    def html(self, iri: str, root: str) -> bytes:
        page = self.resource_page(iri, root)
        return self.render(
            "resource.html",
            root,
            page=page,
            jsonld=self.rdf(iri, "jsonld").decode("utf-8"),
            downloads={ext: root + path_of(iri) + "." + ext for ext in RDF_FILES},
        )

    def paths(self) -> list[str]:
        """Every file of the static site."""
        paths = ["index.html", "style.css", "class/index.html", "queries/index.html"]
        paths += [f"class/{slug}.html" for slug in self.classes]
        paths += [f"queries/{name}.html" for name in self.queries]
        paths += [f"queries/{name}.rq" for name in self.queries]
        for iri in self.resource_iris():
            path = path_of(iri)
            paths += [f"{path}.html"] + [f"{path}.{ext}" for ext in RDF_FILES]
            if f"{path}/index.html" not in self.files:
                paths.append(f"{path}/index.html")
        paths += sorted(self.files)
        return paths

    def file(self, path: str):
        """The content and media type of the site's file at `path`, or None if there is none."""
        root = root_of(path)
        if path in self.files:
            entry = self.files[path]
            return entry() if callable(entry) else entry
        if path in ("", "index.html"):
            return self.render("landing.html", root, page=self.landing(root)), HTML
        if path == "style.css":
            return self.env.loader.get_source(self.env, "style.css")[0].encode("utf-8"), "text/css; charset=utf-8"
        if path in ("class/", "class/index.html"):
            classes = [
                {"class": self.link(c, root), "href": f"{slug}.html", "count": len(instances)}
                for slug, (c, instances) in self.classes.items()
            ]
            return self.render("classes.html", root, classes=classes), HTML
        if path in ("queries/", "queries/index.html"):
            return self.render("queries.html", root, queries=list(self.queries.values())), HTML
        if m := re.fullmatch(r"class/([\w.-]+)\.html", path):
            if m[1] in self.classes:
                return self.render("class.html", root, page=self.class_page(m[1], root)), HTML
            return None
        if m := re.fullmatch(r"queries/([\w.-]+)\.(html|rq)", path):
            info = self.queries.get(m[1])
            if info is None:
                return None
            text = info.path.read_text(encoding="utf-8")
            if m[2] == "rq":
                return text.encode("utf-8"), "application/sparql-query"
            return self.render("query.html", root, info=info, text=text, result=self.select(text, root)), HTML
        return self.resource_file(path)

    def resource_file(self, path: str):
        """PATH.html, PATH.ttl, PATH.jsonld, PATH.nt, PATH.rdf and PATH/index.html of a resource."""
        if path.endswith("/index.html"):
            base, ext = path[: -len("/index.html")], "html"
        else:
            base, dot, ext = path.rpartition(".")
            if not dot or ext not in RDF_FILES and ext != "html":
                return None
        iri = BASE + base
        if not self.is_resource(iri):
            return None
        if ext == "html":
            return self.html(iri, root_of(path)), HTML
        return self.rdf(iri, ext), RDF_FILES[ext][1]

    # --- the landing page and the query pages ------------------------------------------------

    def landing(self, root: str) -> dict:
        graphs = []
        for store in self.stores:
            for graph in sorted(store.named_graphs(), key=str):
                count = sum(1 for _ in store.quads_for_pattern(None, None, None, graph))
                graphs.append({"graph": self.link(graph, root), "triples": count})
        classes = sorted(
            (
                {"class": self.link(c, root), "href": f"class/{slug}.html", "count": len(instances)}
                for slug, (c, instances) in self.classes.items()
            ),
            key=lambda c: (-c["count"], c["class"]["text"].lower()),
        )
        return {
            "graphs": graphs,
            "classes": classes,
            "queries": list(self.queries.values()),
            "downloads": sorted(p for p in self.files if p.startswith(DIST)),
            "figure": self.figure("landing", root),
        }

    def select(self, text: str, root: str, store_index: int = 0) -> dict:
        """A SELECT query's result as a table of links (run on the project's store)."""
        solutions = self.stores[store_index].query(text, use_default_graph_as_union=True)
        names = [v.value for v in solutions.variables]
        rows = [[self.link(s[n], root) if s[n] is not None else None for n in names] for s in solutions]
        return {"vars": names, "rows": rows}


def used_prefixes(triples) -> dict:
    """The project's prefixes that the triples' IRIs use (a serialiser writes every prefix given)."""
    iris = {term.value for t in triples for term in t if isinstance(term, ox.NamedNode)}
    iris |= {t.object.datatype.value for t in triples if isinstance(t.object, ox.Literal) and t.object.datatype}
    # Every namespace ends in / or #: an IRI's namespaces are among its heads that end so.
    heads = {iri[: m.end()] for iri in iris for m in re.finditer(r"[/#]", iri)}
    return {prefix: ns for prefix, ns in PREFIXES.items() if ns in heads}


def class_slug(iri: str) -> str:
    """foaf:Person -> foaf-Person; a class outside the project's prefixes -> a hash of its IRI."""
    short = compact(iri)
    return short.replace(":", "-") if short else "iri-" + hashlib.sha256(iri.encode()).hexdigest()[:16]
