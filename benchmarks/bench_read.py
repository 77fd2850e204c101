"""Reading throughput of news pages and web archives, beside the extraction library alone.

Synthetic articles (``benchmarks.synth``) are wrapped in the layout of a real news page (the one
``tests/fixtures/formats/republished-ap.html`` is built on: navigation, share bar, scripts, JSON-LD,
related links, comment form, footer, character references), written as a folder of ``.html`` files
and as one gzipped WARC (each page a response record, with a request record before it, as crawlers
write them). Rows:

- ``trafilatura alone``: ``trafilatura.bare_extraction`` over the page bytes already in memory, the
  reference for what the extraction itself costs;
- ``syndet read, HTML folder``: ``read_articles`` over the folder (file walk, reading, extraction,
  metadata, articles);
- ``syndet read, WARC``: ``read_articles`` over the archive (streaming the records, extraction);
- ``warcio records alone`` (and ``fastwarc records alone`` when installed): iterating the archive and
  reading each payload, no extraction.

Throughput is pages per second and MB of HTML per second (page bytes, not archive bytes); ratios
are against ``trafilatura alone`` in the same run. Best of ``--repeat`` runs.

Run: ``python -m benchmarks.bench_read --pages 2000``
"""

from __future__ import annotations

import argparse
import html
import io
import json
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

_TEMPLATE = """<!DOCTYPE html>
<html lang="en-US"><head><meta charset="UTF-8"><title>{title} &#8211; {site}</title>
<link rel="canonical" href="https://{host}/{slug}/"><meta property="og:site_name" content="{site}">
<meta property="article:published_time" content="{published}">
<script type="application/ld+json">{ld}</script>
<script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}}</script>
<style>.share-bar a{{margin:0 4px}}</style></head>
<body><a class="skip-link" href="#content">Skip to content</a>
<header class="site-header"><div class="site-title"><a href="/">{site}</a></div>
<nav class="main-navigation"><ul><li><a href="/">Home</a></li><li><a href="/news/">News</a></li>
<li><a href="/world/">World</a></li><li><a href="/business/">Business</a></li>
<li><a href="/sports/">Sports</a></li></ul></nav>
</header><div id="content"><main><article><header><h1 class="entry-title">{title}</h1>
<div class="entry-meta">Posted on <time datetime="{published}">{published}</time></div></header>
<div class="share-bar">Share this article: <a href="#">Facebook</a> <a href="#">Twitter</a> <a href="#">Email</a></div>
<div class="entry-content">
{paragraphs}
</div></article>
<section class="related-posts"><h3>Related:</h3><ul><li><a href="/x/">Markets slide as rates rise</a></li>
<li><a href="/y/">Council approves budget</a></li></ul></section>
<div id="comments"><h3>Leave a Reply</h3><p>Your email address will not be published.</p>
<form><textarea></textarea></form></div>
</main><aside><h2>Trending Stories</h2><ul><li><a href="/a">Storm warning issued</a></li></ul></aside></div>
<footer><p>Copyright &copy; 2022 {site}. All rights reserved.</p></footer>
<script src="/js/navigation.js"></script></body></html>
"""


def pages(count: int, seed: int) -> list[tuple[str, bytes]]:
    """``count`` synthetic articles as news pages: (URL, page bytes)."""
    from benchmarks.synth import SynthConfig, write_corpus

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "articles.jsonl"
        write_corpus(SynthConfig(articles=count, seed=seed), path)
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    out = []
    for n, rec in enumerate(records):
        paras = "\n".join(f"<p>{html.escape(p.strip())}</p>" for p in rec["text"].split("\n\n") if p.strip())
        title = html.escape(rec.get("title") or f"Story {n}")
        site = html.escape(rec.get("source") or "The Daily Example")
        published = rec.get("published") or "2022-01-10T09:00:00Z"
        ld = json.dumps({"@type": "NewsArticle", "headline": rec.get("title") or "", "datePublished": published})
        host = f"site{n % 37}.example"
        page = _TEMPLATE.format(title=title, site=site, host=host, slug=f"story-{n}", published=published, ld=ld,
                                paragraphs=paras)
        out.append((f"https://{host}/story-{n}/", page.encode("utf-8")))
    return out


def write_warc(path: Path, docs: Sequence[tuple[str, bytes]]) -> None:
    """The pages as response records of one gzipped WARC, each after its request record."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for url, body in docs:
            for record in (
                    writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")),
                    writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=StatusAndHeaders(
                        "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"))):
                writer.write_record(record)
                record.raw_stream.close()


def best(repeat: int, work: Callable[[], int]) -> tuple[float, int]:
    """Fastest of ``repeat`` runs of ``work`` (seconds) and what it counted."""
    times, counted = [], 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        counted = work()
        times.append(time.perf_counter() - t0)
    return min(times), counted


def main(argv: Sequence[str] | None = None) -> int:
    """Build the pages and the archive, time each reader and print the table."""
    import trafilatura

    from syndet.read.files import read_articles
    from syndet.settings import InputSettings

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    docs = pages(args.pages, args.seed)
    megabytes = sum(len(body) for _, body in docs) / 1e6
    rows: list[tuple[str, float, int]] = []
    notes: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        for n, (_, body) in enumerate(docs):
            (folder / f"page-{n:06d}.html").write_bytes(body)
        archive = Path(tmp) / "crawl.warc.gz"
        write_warc(archive, docs)
        settings = InputSettings()

        def extract_only() -> int:
            return sum(1 for _, body in docs if trafilatura.bare_extraction(body, with_metadata=True) is not None)

        def syndet_read(path: Path) -> Callable[[], int]:
            return lambda: sum(1 for _ in read_articles([path], settings, lambda message: None))

        def warcio_only() -> int:
            from warcio.archiveiterator import ArchiveIterator

            with archive.open("rb") as handle:
                return sum(len(r.content_stream().read()) > 0 for r in ArchiveIterator(handle)
                           if r.rec_type == "response")

        rows.append(("trafilatura alone", *best(args.repeat, extract_only)))
        rows.append(("syndet read, HTML folder", *best(args.repeat, syndet_read(folder))))
        rows.append(("syndet read, WARC", *best(args.repeat, syndet_read(archive))))
        rows.append(("warcio records alone", *best(args.repeat, warcio_only)))
        try:
            from fastwarc.warc import ArchiveIterator as FastIterator
            from fastwarc.warc import WarcRecordType

            def fastwarc_only() -> int:
                with archive.open("rb") as handle:
                    return sum(len(r.reader.read()) > 0 for r in
                               FastIterator(handle, record_types=WarcRecordType.response, parse_http=True))

            rows.append(("fastwarc records alone", *best(args.repeat, fastwarc_only)))
        except ImportError:
            notes.append("fastwarc is not installed (pip install fastwarc): its row is left out")
        archive_mb = archive.stat().st_size / 1e6
    print(f"{args.pages} pages, {megabytes:.1f} MB of HTML ({archive_mb:.1f} MB as a gzipped WARC), best of "
          f"{args.repeat}\n")
    reference = rows[0][1]
    print(f"{'reader':<28}{'pages':>7}{'seconds':>10}{'pages/s':>10}{'MB/s':>8}{'vs trafilatura':>16}")
    for name, seconds, count in rows:
        print(f"{name:<28}{count:>7}{seconds:>10.2f}{count / seconds:>10.0f}{megabytes / seconds:>8.1f}"
              f"{reference / seconds:>15.2f}x")
    for note in notes:
        print(note)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
