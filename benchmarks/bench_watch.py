"""One `marsad watch` cycle over many loopback feeds, one of whose hosts hangs: the cycle should take about the
fetch timeout, not the number of feeds times it (each source is polled in a thread of its own).

    python benchmarks/bench_watch.py [--feeds 100] [--articles 2] [--timeout 5]

Every feed is a server of its own on 127.0.0.1 (a host, for the per-host politeness rules), serving an RSS feed
of ``--articles`` short Arabic articles; one more feed never answers. Prints the cycle's seconds against the
timeout, the articles stored and the time the analysis took. Run by hand; the figures go in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from marsad.watch.config import load_config
from marsad.watch.runner import default_pipeline, run_cycle

TOWNS = ["طرابلس", "بنغازي", "مصراتة", "سرت", "درنة", "الزاوية", "سبها", "غريان", "زليتن", "طبرق"]


def serve(routes: dict[str, bytes], hang: threading.Event | None = None) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if hang is not None:
                hang.wait(120)
                return
            body = routes.get(self.path)
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def site(n: int, articles: int) -> ThreadingHTTPServer:
    routes: dict[str, bytes] = {}
    server = serve(routes)
    url = f"http://127.0.0.1:{server.server_address[1]}"
    items = []
    for k in range(articles):
        town = TOWNS[(n + k) % len(TOWNS)]
        text = (f"قتل {k + 2} أشخاص في هجوم استهدف نقطة تفتيش في مدينة {town} الليبية، بحسب مصدر أمني "
                f"تحدث إلى المصدر رقم {n}. وقال إن المهاجمين فروا.")
        routes[f"/{k}.html"] = (f'<html><head><meta charset="utf-8"><title>خبر {n}-{k}</title></head><body>'
                                f"<article><p>{text}</p></article></body></html>").encode()
        items.append(f"<item><title>خبر {n}-{k}</title><link>{url}/{k}.html</link></item>")
    routes["/feed.xml"] = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
                           + "".join(items) + "</channel></rss>").encode()
    return server


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--feeds", type=int, default=100)
    ap.add_argument("--articles", type=int, default=2, help="articles per feed")
    ap.add_argument("--timeout", type=float, default=5.0, help="the fetch timeout, seconds")
    args = ap.parse_args()
    hang = threading.Event()
    servers = [site(n, args.articles) for n in range(args.feeds)]
    hanging = serve({}, hang)
    urls = [f"http://127.0.0.1:{s.server_address[1]}/feed.xml" for s in [*servers, hanging]]
    with tempfile.TemporaryDirectory() as tmp:
        cfg = Path(tmp) / "watch.yaml"
        cfg.write_text("sources:\n" + "".join(f"  - name: f{i}\n    feed: {u}\n" for i, u in enumerate(urls))
                       + f"fetch: {{timeout: {args.timeout}s, per_host_delay: 0s, retries: 0}}\n", encoding="utf-8")
        default_pipeline()  # loaded before the clock starts, as in a long-running watch
        started = time.monotonic()
        report = run_cycle(Path(tmp) / "w.db", load_config(cfg))
        seconds = time.monotonic() - started
    hang.set()
    for s in [*servers, hanging]:
        s.shutdown()
    stored = sum(s.stored for s in report.sources)
    failed = [s.name for s in report.sources if s.error]
    print(f"{len(urls)} feeds ({args.feeds} answering, 1 hanging), {stored} articles stored, "
          f"failed: {', '.join(failed) or 'none'}")
    print(f"cycle: {seconds:.1f} s with a {args.timeout:.0f} s timeout "
          f"({seconds / args.timeout:.2f}x the timeout; one feed after another would take over {args.timeout:.0f} s "
          f"for the hanging one plus every other feed's fetches)")


if __name__ == "__main__":
    main()
