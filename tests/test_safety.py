"""Safe by default: every ordinary fault is exit 2 and one line naming what is wrong, queries never
leave the graph, and a failed or killed write leaves the old files whole.

FAULTS is the table of fault classes: the command, its exit code and the one line it prints on
stderr. Each row runs the real CLI (in this process; the rows that need a mount or a kill run a real
process). Only 127.0.0.1 is ever contacted, and every wait is bounded."""

import http.server
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import PROJECT, REPO, run_process

TTL = {
    "space.ttl": "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    '<https://w3id.org/kfor/id/place/a b> rdfs:label "x"@en .\n',
    "tag.ttl": '<http://example.org/a> <http://example.org/b> "x"@en-123456789 .\n',
    "xml.ttl": '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
    '<rdf:Description rdf:about="http://example.org/a"/>\n</rdf:RDF>\n',
    "date.ttl": "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
    '<https://w3id.org/kfor/id/place/a> <http://www.w3.org/2000/01/rdf-schema#comment> "2001-04-31"^^xsd:date .\n',
    "deep.ttl": "<http://example.org/a> <http://example.org/b> " + "(" * 2000 + ")" * 2000 + " .\n",
    "empty.ttl": "",
    "broken.ttl": "<http://example.org/a> <http://example.org/b> .\n",
}

ERROR = "kfor-graph: error: "

# (id, arguments (files are relative to the test folder), exit code, the one stderr line as a regex)
FAULTS = [
    ("iri-with-space", ["validate", "space.ttl"], 2, r"space\.ttl:2: bad syntax: Invalid IRI code point ' '"),
    ("bad-language-tag", ["stats", "tag.ttl"], 2, r"tag\.ttl:1: bad syntax: A subtag may be eight characters.*"),
    ("rdfxml-as-turtle", ["validate", "xml.ttl"], 2, r"xml\.ttl:\d+: bad syntax: .*"),
    (
        "impossible-date",
        ["--root", REPO, "build", "date.ttl", "--out", "dist"],
        1,
        r"kfor-graph: the data does not conform to the shapes; nothing was written",
    ),
    ("not-a-regular-file", ["stats", "fifo.ttl"], 2, r"fifo\.ttl: not a regular file"),
    ("empty-file", ["stats", "empty.ttl"], 2, r"no data: empty\.ttl hold\(s\) no triple"),
    ("empty-file-export", ["export", "empty.ttl"], 2, r"no data: empty\.ttl hold\(s\) no triple"),
    ("empty-folder", ["export", "emptydir"], 2, r"emptydir: no \.ttl file in this folder"),
    ("empty-folder-load", ["load", "emptydir", "--store", "store"], 2, r"emptydir: no \.ttl file in this folder"),
    (
        "empty-folder-query",
        ["query", "commander-on-date", "--data", "emptydir"],
        2,
        r"emptydir: no \.ttl file in this folder",
    ),
    (
        "shapes-without-shapes",
        ["validate", "--shapes", "empty.ttl"],
        2,
        r"empty\.ttl: no shape \(sh:NodeShape or sh:PropertyShape\) to validate against",
    ),
    ("root-without-queries", ["--root", "nope", "list-queries"], 2, r"nope/queries: no such folder \(no queries\)"),
    ("build-out-onto-a-file", ["build", "--out", "afile"], 2, r"afile: not a folder"),
    ("docs-out-onto-a-file", ["docs", "--out", "afile"], 2, r"afile: not a folder"),
    ("format-one-broken-file", ["format", "a.ttl", "broken.ttl"], 2, r"broken\.ttl:1: bad syntax: .*"),
    (
        "query-service",
        ["query", "service.rq"],
        2,
        r"SERVICE is refused: queries see only this graph, never another endpoint",
    ),
    ("query-service-oxigraph", ["query", "service.rq", "--engine", "oxigraph"], 2, r"SERVICE is refused: .*"),
    (
        "query-from-web",
        ["query", "from-web.rq"],
        2,
        r"FROM <http://127\.0\.0\.1:\d+/graph> is refused: not a graph of this dataset .*",
    ),
    (
        "query-from-file",
        ["query", "from-file.rq", "--engine", "oxigraph"],
        2,
        r"FROM <file:///etc/passwd> is refused: .*",
    ),
    ("query-from-named", ["query", "from-named.rq"], 2, r"FROM <file:///etc/passwd> is refused: .*"),
    (
        "query-load",
        ["query", "load.rq"],
        2,
        r"updates are refused: the graph is read-only \(LOAD, INSERT, DELETE, CLEAR\.\.\.\)",
    ),
    ("query-update", ["query", "insert.rq", "--engine", "oxigraph"], 2, r"updates are refused: .*"),
    (
        "param-not-an-iri",
        ["query", "commander-on-date", "--param", "date=<http://a> } ..."],
        2,
        r"not an IRI: '<http://a> } \.\.\.' .*",
    ),
    (
        "row-limit",
        ["query", "cross.rq", "--max-rows", "1000"],
        2,
        r"the query returns more than 1,000 rows \(the row limit, --max-rows\)",
    ),
    (
        "row-limit-oxigraph",
        ["query", "cross.rq", "--max-rows", "1000", "--engine", "oxigraph"],
        2,
        r"the query returns more than 1,000 rows .*",
    ),
    (
        "time-limit",
        ["query", "count.rq", "--timeout", "1"],
        2,
        r"the query ran past the time limit of 1 s \(--timeout\) and was stopped",
    ),
    (
        "time-limit-oxigraph",
        ["query", "count.rq", "--timeout", "1", "--engine", "oxigraph"],
        2,
        r"the query ran past the time limit of 1 s .*",
    ),
]


class Recorder(http.server.BaseHTTPRequestHandler):
    """Counts every request: a query that reaches out would show up here."""

    requests: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        Recorder.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/turtle")
        self.end_headers()
        self.wfile.write(b"<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n")

    do_POST = do_GET  # noqa: N815

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def listener():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def folder(tmp_path_factory, listener):
    base = tmp_path_factory.mktemp("faults")
    for name, text in TTL.items():
        (base / name).write_text(text, encoding="utf-8")
    (base / "a.ttl").write_text((PROJECT / "data" / "people.ttl").read_text(encoding="utf-8") + "\n\n")
    (base / "emptydir").mkdir()
    (base / "afile").write_text("not a folder")
    os.mkfifo(base / "fifo.ttl")
    queries = {
        "service.rq": f"SELECT * WHERE {{ SERVICE <{listener}/sparql> {{ ?s ?p ?o }} }} ORDER BY ?s",
        "from-web.rq": f"SELECT * FROM <{listener}/graph> WHERE {{ ?s ?p ?o }}",
        "from-file.rq": "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
        "from-named.rq": "SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }",
        "load.rq": f"LOAD <{listener}/graph>",
        "insert.rq": "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }",
        "cross.rq": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }",
        # 67 triples in the fixture project: 67^4 rows to count, far more than a second's work
        "count.rq": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
    }
    for name, text in queries.items():
        (base / name).write_text(text, encoding="utf-8")
    return base


@pytest.fixture
def in_folder(folder, monkeypatch):
    monkeypatch.chdir(folder)
    Recorder.requests.clear()
    return folder


@pytest.mark.parametrize("case", FAULTS, ids=[case[0] for case in FAULTS])
def test_fault_table(case, in_folder, cli):
    _, args, code, line = case
    before = (in_folder / "a.ttl").read_bytes()
    if "--root" not in args:  # the small fixture project: the faults do not depend on the data's size
        args = ["--root", PROJECT, *args]
    done, out, err = cli(*args)
    assert done == code, err
    prefix = "" if code == 1 else ERROR
    err = "".join(line for line in err.splitlines(keepends=True) if not line.endswith("...\n"))  # build's progress
    assert re.fullmatch(prefix + line + "\n", err), err  # one line, and only one
    assert "Traceback" not in out + err
    assert Recorder.requests == []  # nothing reached the listener
    assert (in_folder / "a.ttl").read_bytes() == before  # format wrote nothing


def test_deep_nesting_is_read_not_a_recursion_error(in_folder, cli):
    code, out, err = cli("stats", "deep.ttl")
    assert (code, err) == (0, "")
    assert "triples:" in out and "rdf:first" in out


def test_a_parameter_cannot_inject_query_text(in_folder, cli, listener):
    """The value of one --param used to leave a `VALUES ?x {` that the next substitution matched."""
    code, out, err = cli(
        "query",
        "relation-source",
        "--param",
        "subject=VALUES ?object { x",
        "--param",
        f"object=}} SERVICE <{listener}/x> {{ ?x ?y ?z }} #",
    )
    assert (code, err) == (0, "") and out.endswith("(0 rows)\n")
    assert Recorder.requests == []


# --- faults that need a real process: mounts and kills ----------------------------------------


def in_mount(options: str, folder: Path, *args) -> subprocess.CompletedProcess:
    """`kfor-graph ARGS` in a private mount namespace where `folder` is a tmpfs mounted with
    `options` (a full or read-only disk; a root user would pass a plain permission check)."""
    script = 'mount -t tmpfs -o "$1" tmpfs "$2" && shift 2 && exec "$@"'
    command = [
        "unshare",
        "-m",
        "sh",
        "-c",
        script,
        "sh",
        options,
        str(folder),
        sys.executable,
        "-m",
        "kfor_graph",
        *args,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if "unshare:" in done.stderr or "mount:" in done.stderr:
        pytest.fail(f"cannot make a private mount here (root is needed): {done.stderr.strip()}")
    return done


@pytest.mark.parametrize("options, reason", [("size=8k", "No space left on device"), ("ro", "Read-only file system")])
def test_build_onto_a_full_or_read_only_disk(tmp_path, options, reason):
    disk = tmp_path / "disk"
    disk.mkdir()
    done = in_mount(options, disk, "--root", PROJECT, "build", "--out", disk / "dist")
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines()[-1].startswith(ERROR) and reason in done.stderr.splitlines()[-1]
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("command", [["docs", "--out", "{disk}/docs"], ["format", "{disk}/a.ttl"]], ids=lambda c: c[0])
def test_docs_and_format_on_a_read_only_disk(tmp_path, command):
    disk = tmp_path / "disk"
    disk.mkdir()
    args = [a.format(disk=disk) for a in command]
    done = in_mount("ro", disk, "--root", PROJECT, *args)
    assert done.returncode == 2, done.stderr
    assert re.fullmatch(ERROR + r".*(Read-only file system|no such file)\n", done.stderr), done.stderr


def test_format_keeps_the_mode_and_writes_through_a_symlink(tmp_path, folder, cli):
    real = tmp_path / "real.ttl"
    real.write_text((folder / "a.ttl").read_text(encoding="utf-8"), encoding="utf-8")
    real.chmod(0o600)
    link = tmp_path / "link.ttl"
    link.symlink_to(real)
    code, out, err = cli("format", link)
    assert (code, out, err) == (0, f"formatted {link}\n", "")
    assert link.is_symlink() and real.stat().st_mode & 0o777 == 0o600
    assert cli("format", "--check", real)[0] == 0


def test_a_second_build_into_the_same_folder_fails_clearly(tmp_path):
    import fcntl

    out = tmp_path / "dist"
    with open(tmp_path / ".dist.lock", "a") as lock:  # as a running build holds it
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = run_process("--root", PROJECT, "build", "--out", out)
    assert done.returncode == 2
    assert (
        done.stderr.splitlines()[-1]
        == f"{ERROR}{out}: another process is writing this folder (lock {tmp_path / '.dist.lock'})"
    )
    assert not out.exists()


def test_a_killed_build_leaves_the_old_files_and_the_next_build_tidies_up(tmp_path):
    """kill -9 at every moment of a build: dist/ holds one build's files, whole, and the next build
    removes what the killed one left."""
    out = tmp_path / "dist"
    assert run_process("--root", PROJECT, "build", "--out", out).returncode == 0
    old = {p.name: p.read_bytes() for p in out.iterdir()}
    (out / ".kfor.ttl.abc.tmp").write_bytes(b"left by an older build")
    for delay in (0.3, 0.6, 0.9, 1.2):
        process = subprocess.Popen(
            [sys.executable, "-m", "kfor_graph", "build", "--out", str(out)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=REPO,
        )
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        files = {p.name: p.read_bytes() for p in out.iterdir() if not p.name.startswith(".")}
        assert sorted(files) == sorted(old)
        # all from one build: the project's files or the fixture's, never a mix
        kinds = {"fixture" if files[name] == old[name] else "project" for name in files}
        assert len(kinds) == 1, delay
    assert run_process("--root", PROJECT, "build", "--out", out).returncode == 0
    assert not list(tmp_path.glob(".dist.new-*")) and not list(out.glob(".*.tmp"))
