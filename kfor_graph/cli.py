"""The `kfor-graph` command. Exit codes: 0 ok, 1 the data does not conform, 2 bad input or usage
(3 for an unexpected internal error, with its traceback)."""

import argparse
import sys
import traceback
from pathlib import Path

from kfor_graph import __version__, query, store
from kfor_graph.build import build, format_summary
from kfor_graph.docs import write_docs
from kfor_graph.errors import InputError, KforGraphError, NotConformingError
from kfor_graph.export import FORMATS as EXPORT_FORMATS
from kfor_graph.export import serialize
from kfor_graph.files import write_atomic
from kfor_graph.fmt import default_format_paths, format_files
from kfor_graph.load import load_dataset, load_graphs, union_graph
from kfor_graph.qc import run_checks
from kfor_graph.sandbox import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT
from kfor_graph.stats import compute, format_stats
from kfor_graph.validate import ENGINES as VALIDATION_ENGINES
from kfor_graph.validate import FORMATS as REPORT_FORMATS
from kfor_graph.validate import validate_files

PROG = "kfor-graph"


class _Parser(argparse.ArgumentParser):
    """Usage errors as one line on stderr, exit 2."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _paths_argument(parser, what="data"):
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        type=Path,
        help=f"Turtle files or folders of them to use as the {what} (default: the project's data/)",
    )


def _engine_argument(parser):
    parser.add_argument(
        "--engine",
        choices=VALIDATION_ENGINES,
        default=None,
        help="validation engine: oxigraph (the shapes as SPARQL on Oxigraph) or pyshacl (the reference); "
        "default: oxigraph, or pyshacl for shapes it does not compile",
    )


def _positive(kind):
    """An argparse type: a number of `kind` greater than 0."""

    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            value = 0
        if not value > 0:
            raise argparse.ArgumentTypeError(f"not a positive number: {text!r}")
        return value

    return parse


def _limit_arguments(parser, timeout: float) -> None:
    """--timeout and --max-rows, the limits of every SPARQL query (kfor_graph.sandbox)."""
    parser.add_argument(
        "--timeout",
        type=_positive(float),
        default=timeout,
        metavar="SECONDS",
        help=f"stop a query after this many seconds (default {timeout:g})",
    )
    parser.add_argument(
        "--max-rows",
        type=_positive(int),
        default=DEFAULT_MAX_ROWS,
        metavar="N",
        help=f"fail if a query returns more than N rows (default {DEFAULT_MAX_ROWS:,})",
    )


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Check, query and publish KFOR Graph, a linked-data graph of NATO's Kosovo Force.",
        epilog="exit codes: 0 ok, 1 the data does not conform to the shapes, 2 unreadable input or bad usage",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument(
        "--root",
        type=Path,
        metavar="DIR",
        help="folder holding ontology/, data/ and queries/ (default: the installed graph, or the checkout)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    p = commands.add_parser("validate", help="check the data against the SHACL shapes")
    _paths_argument(p)
    p.add_argument("--shapes", type=Path, metavar="FILE", help="shapes graph (default: ontology/*-shapes.ttl)")
    p.add_argument("--format", choices=REPORT_FORMATS, default="text", help="report format (default: text)")
    _engine_argument(p)
    p.set_defaults(run=cmd_validate)

    p = commands.add_parser("check", help="run the quality checks queries/qc/*-violation.rq; any row fails")
    _paths_argument(p)
    p.set_defaults(run=cmd_check)

    p = commands.add_parser("build", help="validate, then write every dump and void.ttl to --out")
    _paths_argument(p)
    p.add_argument("--shapes", type=Path, metavar="FILE", help="shapes graph (default: ontology/*-shapes.ttl)")
    p.add_argument("--out", type=Path, default=Path("dist"), metavar="DIR", help="output folder (default: dist)")
    _engine_argument(p)
    p.set_defaults(run=cmd_build)

    p = commands.add_parser("export", help="write the graph to stdout in one RDF format")
    _paths_argument(p)
    p.add_argument("--format", choices=EXPORT_FORMATS, default="ttl", help="RDF format (default: ttl)")
    p.set_defaults(run=cmd_export)

    p = commands.add_parser("query", help="run a query of queries/ (by name) or a .rq file")
    p.add_argument(
        "query",
        nargs="?",
        metavar="NAME|FILE",
        help="a file stem in queries/ or queries/qc/, or the path of a .rq file",
    )
    p.add_argument("--format", choices=query.RESULT_FORMATS, default="table", help="result format (default: table)")
    p.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="replace the default of the query's `VALUES ?NAME { ... }` line; repeatable",
    )
    p.add_argument(
        "--engine",
        choices=("rdflib", "oxigraph"),
        default="oxigraph",
        help="oxigraph (default: an in-memory store of the files, or a store made by `load --store`) or rdflib",
    )
    p.add_argument(
        "--store",
        type=Path,
        metavar="DIR",
        help="with --engine oxigraph: query this store (default: an in-memory store of the files)",
    )
    p.add_argument(
        "--data",
        type=Path,
        action="append",
        metavar="PATH",
        help="query these Turtle files or folders instead of data/; repeatable",
    )
    p.add_argument("--list", action="store_true", help="list the queries instead")
    _limit_arguments(p, DEFAULT_TIMEOUT)
    p.set_defaults(run=cmd_query)

    p = commands.add_parser("list-queries", help="list the queries with their summaries")
    p.set_defaults(run=cmd_list_queries)

    p = commands.add_parser("stats", help="count triples, entities per class, properties, dates covered")
    _paths_argument(p)
    p.set_defaults(run=cmd_stats)

    p = commands.add_parser("docs", help="write HTML documentation of the ontology (pyLODE)")
    p.add_argument(
        "--out", type=Path, default=Path("dist/docs"), metavar="DIR", help="output folder (default: dist/docs)"
    )
    p.set_defaults(run=cmd_docs)

    p = commands.add_parser("site", help="write the graph as a static site mirroring its IRIs (pages and RDF)")
    _paths_argument(p)
    p.add_argument(
        "--out",
        type=Path,
        default=Path("dist/site"),
        metavar="DIR",
        help="output folder, replaced whole (default: dist/site)",
    )
    p.set_defaults(run=cmd_site)

    p = commands.add_parser("serve", help="serve the pages, RDF by content negotiation and a SPARQL endpoint")
    _paths_argument(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=8080, help="port (default: 8080)")
    p.add_argument(
        "--store",
        type=Path,
        metavar="DIR",
        help="an Oxigraph store made by `load --store` (default: an in-memory store of the files)",
    )
    _limit_arguments(p, 10.0)  # a public endpoint answers sooner than a command run by hand
    p.set_defaults(run=cmd_serve)

    p = commands.add_parser("format", help="rewrite Turtle files in canonical form")
    p.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        type=Path,
        help="Turtle files (default: data/**/*.ttl under --root or the current folder)",
    )
    p.add_argument("--check", action="store_true", help="change nothing; exit 1 listing files not in canonical form")
    p.set_defaults(run=cmd_format)

    p = commands.add_parser("chart", help="draw a chart of the graph (SVG or PNG) from the queries in queries/")
    p.add_argument("name", nargs="?", metavar="NAME", help="the chart's name (see --list)")
    _paths_argument(p)
    p.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help="write to FILE (default: stdout); with --all, the folder for NAME.FORMAT files",
    )
    p.add_argument("--format", choices=("svg", "png"), help="svg (default, or from the suffix of --out) or png")
    p.add_argument("--all", action="store_true", help="draw every chart into the folder --out")
    p.add_argument("--list", action="store_true", help="list the charts with their descriptions")
    p.set_defaults(run=cmd_chart)

    p = commands.add_parser("load", help="load the graph into an Oxigraph store or a SPARQL endpoint")
    _paths_argument(p)
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--store", type=Path, metavar="DIR", help="an on-disk Oxigraph store (created if missing)")
    target.add_argument("--endpoint", metavar="URL", help="a SPARQL 1.1 Graph Store Protocol endpoint")
    p.add_argument(
        "--graph",
        action="append",
        metavar="IRI",
        help="with --endpoint: push only this named graph; repeatable (default: both)",
    )
    p.add_argument(
        "--query-endpoint",
        metavar="URL",
        help="with --endpoint: the SPARQL query endpoint that counts the graphs after loading "
        "(default: the endpoint's sibling /query, for paths ending in /store or /data)",
    )
    p.add_argument(
        "--deadline",
        type=float,
        default=store.DEADLINE,
        metavar="SECONDS",
        help=f"with --endpoint: the longest any one HTTP request may take (default: {store.DEADLINE:g})",
    )
    p.add_argument(
        "--allow-empty",
        action="store_true",
        help="load a graph with no triples, emptying the target's copy (refused by default)",
    )
    p.set_defaults(run=cmd_load)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        return args.run(args) or 0
    except NotConformingError as exc:
        print(exc.report.format("text"), end="")
        print(f"{PROG}: {exc}", file=sys.stderr)
        return exc.exit_code
    except KforGraphError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # e.g. `kfor-graph export | head`
        sys.stderr.close()
        return 0
    except OSError as exc:  # an unwritable or full disk, a path that is a file, not a folder...: bad input
        print(f"{PROG}: error: {_os_error(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception:
        traceback.print_exc()
        print(f"{PROG}: internal error (a bug: please report it with the traceback above)", file=sys.stderr)
        return 3


def _os_error(exc: OSError) -> str:
    """`path: reason`, as one line."""
    paths = " -> ".join(str(p) for p in (exc.filename, exc.filename2) if p is not None)
    reason = exc.strerror or " ".join(str(exc).split())
    return f"{paths}: {reason}" if paths else reason


def cmd_check(args):
    failed = 0
    for name, rows in run_checks(union_graph(_load(args)), root=args.root).items():
        print(f"{'FAIL' if rows else 'ok'}: {name}")
        for row in rows:
            print("    " + "  ".join(term.n3() for term in row))
        failed += bool(rows)
    return 1 if failed else 0


def _load(args, paths=None):
    paths = args.paths if paths is None else paths
    return load_dataset(paths or None, root=args.root)


def cmd_validate(args):
    report = validate_files(args.paths or None, args.shapes, root=args.root, engine=args.engine)
    print(report.format(args.format), end="")
    return 0 if report.conforms else 1


def cmd_build(args):
    result = build(args.out, args.paths or None, args.shapes, root=args.root, engine=args.engine)
    print(format_summary(result), end="")


def cmd_export(args):
    data = serialize(load_graphs(args.paths or None, root=args.root), args.format)
    sys.stdout.buffer.write(data)
    sys.stdout.flush()


def cmd_query(args):
    if args.list:
        return cmd_list_queries(args)
    if not args.query:
        raise InputError("query: give a query NAME or FILE (or --list)")
    text = query.apply_params(query.read_query(args.query, args.root), query.parse_params(args.param))
    limits = {"timeout": args.timeout, "max_rows": args.max_rows}
    if args.engine == "oxigraph":
        # Without --store, Oxigraph runs on an in-memory store of the files.
        if args.store:
            result = store.run_query(text, args.store, **limits)
        else:
            result = store.run_query(text, dataset=load_graphs(args.data or None, root=args.root), **limits)
    else:
        result = query.run_query(text, _load(args, args.data or []), **limits)
    print(query.format_result(result, args.format), end="")


def cmd_list_queries(args):
    infos = query.list_queries(args.root)
    width = max((len(info.name) for info in infos), default=0)
    for info in infos:
        print(f"{info.name:<{width}}  {info.summary}".rstrip())


def cmd_stats(args):
    print(format_stats(compute(load_graphs(args.paths or None, root=args.root))), end="")


def cmd_docs(args):
    print(write_docs(args.out, root=args.root))


def cmd_site(args):
    # Imported here: the site draws the charts, and Altair would add about 0.2 s to the start of every
    # other command (tests/test_layout.py lists this import).
    from kfor_graph.site import write_site

    print(write_site(args.out, args.paths or None, root=args.root))


def cmd_serve(args):
    # Imported here: the web stack (Starlette, uvicorn, anyio) would add a third of a second to the
    # start of every other command (tests/test_layout.py lists this import).
    from kfor_graph.serve import serve

    serve(
        args.host, args.port, args.store, args.paths or None, root=args.root, timeout=args.timeout, rows=args.max_rows
    )


def cmd_format(args):
    # A command that rewrites files works on the checkout in front of it, never on an installed copy.
    files = args.files or default_format_paths(args.root or Path.cwd())
    changed = format_files(files, check=args.check)
    if args.check:
        for path in changed:
            print(f"not in canonical form: {path}")
        return 1 if changed else 0
    for path in changed:
        print(f"formatted {path}")


def cmd_chart(args):
    # Imported here, not at the top: Altair takes about 0.16 s to import, which every other command
    # would pay on each start (tests/test_layout.py allows this one late import).
    import kfor_graph.chart as chart

    if args.list:
        width = max(len(name) for name in chart.CHARTS)
        for info in chart.CHARTS.values():
            print(f"{info.name:<{width}}  {info.title}: {info.summary} (queries: {', '.join(info.queries)})")
        return 0
    if args.all:
        if args.name:  # argparse took the first PATH for a NAME
            args.paths.insert(0, Path(args.name))
        if args.out is None:
            raise InputError("chart --all needs --out DIR")
        fmt = args.format or "svg"
        dataset = _load(args)
        outputs = {
            args.out / f"{name}.{fmt}": chart.render(name, dataset, fmt, root=args.root) for name in chart.chart_names()
        }
        try:
            args.out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"{args.out}: cannot create the folder: {exc.strerror or exc}") from None
        for path, data in outputs.items():
            _write(path, data)
            print(path)
        return 0
    if not args.name:
        raise InputError(f"chart: give a chart NAME (one of: {', '.join(chart.chart_names())}) or --list")
    chart.info(args.name)  # an unknown name, or a folder that is not one, fails before the graph loads
    if args.out is not None and not args.out.parent.is_dir():
        raise InputError(f"{args.out}: cannot write: {args.out.parent} is not a folder")
    fmt = args.format or ("png" if args.out and args.out.suffix.lower() == ".png" else "svg")
    data = chart.render(args.name, _load(args), fmt, root=args.root)
    if args.out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        _write(args.out, data)


def _write(path: Path, data: bytes):
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror or exc}") from None


def cmd_load(args):
    if args.store is not None:
        if args.graph or args.query_endpoint:
            raise InputError(f"{'--graph' if args.graph else '--query-endpoint'} goes with --endpoint")
        graphs = load_graphs(args.paths or None, root=args.root, allow_empty=args.allow_empty)
        counts = store.load_store(graphs, args.store, allow_empty=args.allow_empty)
    else:
        counts = store.push_gsp(
            load_dataset(args.paths or None, root=args.root, allow_empty=args.allow_empty),
            args.endpoint,
            graphs=args.graph,
            query_endpoint=args.query_endpoint,
            deadline=args.deadline,
            allow_empty=args.allow_empty,
        )
    for graph, count in (counts or {}).items():  # push_gsp's counts are (local, server) pairs
        print(f"{graph}: {count}")


if __name__ == "__main__":
    sys.exit(main())
