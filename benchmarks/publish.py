"""Publishing figures: `python -m benchmarks.publish [--runs 3] [--requests 200]`.

Times `kfor-graph site` on the real data (whole process, written to a tmpfs folder, to new folders on
disk, and into one folder on disk that each run replaces), then starts `kfor-graph serve` and measures, with a client loop over one kept-alive HTTP
connection (httpx), the latency of a resource page (HTML by content negotiation on its IRI path)
and of competency queries through the SPARQL endpoint. Prints a Markdown table with the medians
and the 95th percentiles, and the targets (site < 10 s; page median < 50 ms; query median < 100 ms).
"""

import argparse
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
PAGE = "/id/term/comkfor-07"
QUERIES = ["commander-on-date", "commanders-in-order", "timeline"]
HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def site_time(parent: Path, runs: int, replace: bool = False) -> list[float]:
    """`kfor-graph site` timed `runs` times, each into a new folder, or with `replace` into one folder
    (each run then replaces the previous site and deletes it, as a re-publication does). The folders
    are removed only after the last run: deleting 14,000 files right before a run made that run wait
    for the disk's discards (on this VM's disk, mounted with `discard`)."""
    times, made = [], Path(tempfile.mkdtemp(dir=parent, prefix="kfor-bench-site-"))
    try:
        for run in range(runs):
            out = made / ("site" if replace else f"site-{run}")
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "kfor_graph", "--root", str(ROOT), "site", "--out", str(out)],
                check=True,
                capture_output=True,
                env=_env(),
            )
            times.append(time.perf_counter() - started)
    finally:
        shutil.rmtree(made)
    return times


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def latencies(client: httpx.Client, n: int, method: str, path: str, **kwargs) -> list[float]:
    for _ in range(5):  # warm-up: first requests build caches
        client.request(method, path, **kwargs).raise_for_status()
    times = []
    for _ in range(n):
        started = time.perf_counter()
        client.request(method, path, **kwargs).raise_for_status()
        times.append(time.perf_counter() - started)
    return times


def p95(values: list[float]) -> float:
    return sorted(values)[int(0.95 * (len(values) - 1))]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of `site` per folder (default 3)")
    parser.add_argument("--requests", type=int, default=200, help="requests per measured URL (default 200)")
    args = parser.parse_args(argv)

    rows = []
    folders = [("tmpfs (/dev/shm)", Path("/dev/shm"))] if Path("/dev/shm").is_dir() else []
    folders.append(("disk (" + tempfile.gettempdir() + ")", Path(tempfile.gettempdir())))
    folders.append(("disk (" + tempfile.gettempdir() + "), replacing the previous site", Path(tempfile.gettempdir())))
    for label, folder in folders:
        times = site_time(folder, args.runs, replace=label.endswith("previous site"))
        rows.append(
            (
                f"`kfor-graph site`, whole process, to {label}",
                f"{statistics.median(times):.2f} s",
                f"{max(times):.2f} s (max of {args.runs})",
                "< 10 s",
                statistics.median(times) < 10,
            )
        )

    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "kfor_graph", "--root", str(ROOT), "serve", "--port", str(port)],
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait(base)
        with httpx.Client(base_url=base, timeout=30) as client:
            page = latencies(client, args.requests, "GET", PAGE, headers={"Accept": HTML})
            rows.append(
                (
                    f"`serve`: resource page `{PAGE}` (HTML by Accept)",
                    _ms(statistics.median(page)),
                    _ms(p95(page)),
                    "< 50 ms",
                    statistics.median(page) < 0.050,
                )
            )
            headers = {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}
            for name in QUERIES:
                text = (ROOT / "queries" / f"{name}.rq").read_text(encoding="utf-8")
                times = latencies(client, args.requests, "POST", "/sparql", content=text, headers=headers)
                rows.append(
                    (
                        f"`serve`: competency query `{name}` (SPARQL JSON), repeated",
                        _ms(statistics.median(times)),
                        _ms(p95(times)),
                        "< 100 ms",
                        statistics.median(times) < 0.100,
                    )
                )
                # each request a text the server has not seen (a numbered comment): no cached checks
                cold = []
                for i in range(args.requests // 4):
                    started = time.perf_counter()
                    client.post("/sparql", content=f"# {i}\n{text}", headers=headers).raise_for_status()
                    cold.append(time.perf_counter() - started)
                rows.append(
                    (
                        f"`serve`: competency query `{name}`, first time",
                        _ms(statistics.median(cold)),
                        _ms(p95(cold)),
                        "< 100 ms",
                        statistics.median(cold) < 0.100,
                    )
                )
    finally:
        process.terminate()
        process.wait(timeout=10)

    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
        f"{args.requests} requests per URL, one connection.\n"
    )
    print("| what | median | p95 / max | target | met |")
    print("|---|---|---|---|---|")
    for what, median, spread, target, met in rows:
        print(f"| {what} | {median} | {spread} | {target} | {'yes' if met else 'NO'} |")
    return 0


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _wait(base: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(base + "/", timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit("kfor-graph serve did not start")


def free_port() -> int:
    """A free loopback port (the socket is closed before the server binds it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


if __name__ == "__main__":
    sys.exit(main())
