"""The site's .htaccess rules behind a real Apache httpd (Debian's apache2 with mod_rewrite): the
server is started once for the module, with its own minimal configuration, on a free loopback port,
with the generated site as its DocumentRoot and AllowOverride All."""

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, URIRef

from conftest import free_port

# The modules that read the static site share one worker, so the site is written once (pytest-xdist).
pytestmark = pytest.mark.xdist_group("site")

APACHE = shutil.which("apache2") or "/usr/sbin/apache2"
MODULES = Path("/usr/lib/apache2/modules")
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
BASE = "https://w3id.org/kfor/"


CONFIG = """\
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile {run}/httpd.pid
Mutex file:{run} default
ErrorLog {run}/error.log
LogLevel warn
{user}
LoadModule mpm_event_module {modules}/mod_mpm_event.so
LoadModule authz_core_module {modules}/mod_authz_core.so
LoadModule mime_module {modules}/mod_mime.so
LoadModule dir_module {modules}/mod_dir.so
LoadModule rewrite_module {modules}/mod_rewrite.so
LoadModule headers_module {modules}/mod_headers.so
TypesConfig /etc/mime.types
DocumentRoot "{site}"
<Directory />
    AllowOverride None
    Require all denied
</Directory>
<Directory "{site}">
    AllowOverride All
    Require all granted
</Directory>
"""


@pytest.fixture(scope="module")
def apache(site_dir):
    run = Path(tempfile.mkdtemp(prefix="kfor-apache-"))
    port = free_port()
    # As root, Apache hands its workers to an unprivileged user (Debian's www-data).
    user = "User www-data\nGroup www-data" if os.geteuid() == 0 else ""
    config = run / "httpd.conf"
    config.write_text(CONFIG.format(port=port, run=run, user=user, modules=MODULES, site=site_dir))
    process = subprocess.Popen(
        [APACHE, "-f", str(config), "-DFOREGROUND"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 15
    while True:
        try:
            httpx.get(base, timeout=1)
            break
        except httpx.TransportError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                log = (run / "error.log").read_text() if (run / "error.log").exists() else ""
                pytest.fail(f"apache2 did not start: {process.stdout.read().decode()} {log}")
            time.sleep(0.1)
    with httpx.Client(base_url=base, timeout=10) as client:
        yield client
    process.terminate()
    process.wait(timeout=10)
    shutil.rmtree(run, ignore_errors=True)


@pytest.mark.parametrize(
    "path",
    [
        "id/person/fabio-mini",
        "id/term/comkfor-07",
        "ontology/TermOfOffice",
        "graph/data",
        "ontology",
        "id/concept/rank",
    ],
)
@pytest.mark.parametrize(
    "accept, ext, media_type",
    [
        ("text/turtle", "ttl", "text/turtle"),
        ("application/ld+json", "jsonld", "application/ld+json"),
        ("application/n-triples", "nt", "application/n-triples"),
        ("application/rdf+xml", "rdf", "application/rdf+xml"),
        (BROWSER_ACCEPT, "html", "text/html"),
        (None, "html", "text/html"),
    ],
)
def test_an_iri_path_ends_at_the_file_the_client_asks_for(apache, path, accept, ext, media_type):
    headers = {"Accept": accept} if accept else {}
    first = apache.get("/" + path, headers=headers)
    assert first.status_code == 303
    assert first.headers["location"].endswith(f"/{path}.{ext}")
    if accept:
        assert "Accept" in first.headers.get("vary", "")
    final = apache.get("/" + path, headers=headers, follow_redirects=True)
    assert final.status_code == 200
    assert str(final.url).endswith(f"/{path}.{ext}")
    assert final.headers["content-type"].split(";")[0] == media_type


def test_the_turtle_is_the_resources_description(apache):
    response = apache.get("/id/person/fabio-mini", headers={"Accept": "text/turtle"}, follow_redirects=True)
    graph = Graph().parse(data=response.text, format="turtle")
    person = URIRef(BASE + "id/person/fabio-mini")
    assert str(graph.value(person, URIRef("http://xmlns.com/foaf/0.1/name"))) == "Fabio Mini"
    assert (URIRef(BASE + "id/term/comkfor-07"), URIRef("http://www.w3.org/ns/org#member"), person) in graph


def test_the_page_under_the_path_itself_and_no_listing(apache):
    page = apache.get("/id/person/fabio-mini/")
    assert page.status_code == 200 and "<h1>Fabio Mini</h1>" in page.text
    folder = apache.get("/id/person/")  # a folder without index.html is not listed
    assert folder.status_code in (403, 404) and "fabio-mini" not in folder.text
    assert apache.get("/id/person/nobody", headers={"Accept": "text/turtle"}).status_code == 404
    assert apache.get("/ontology/").text.count("pyLODE") > 0
    void = apache.get("/.well-known/void")
    assert void.headers["content-type"].startswith("text/turtle") and "void:Dataset" in void.text
