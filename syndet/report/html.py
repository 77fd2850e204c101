"""Self-contained HTML report: each passage's copies side by side, the shared text highlighted.

Article text is untrusted (it comes from the web), so every piece of it goes through
:func:`html.escape`; the page has inline CSS only, no script and no external asset, so it can be
mailed or archived as one file.
"""

from __future__ import annotations

from html import escape
from urllib.parse import urlsplit

from syndet.models import Passage, Span
from syndet.report.common import copy_role, kind_counts, origin_counts, origins_text, pair_summary
from syndet.result import ScanResult

_CONTEXT = 280
_CSS = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f4f5f7;color:#1d2330}
header{background:#1d2330;color:#fff;padding:18px 28px}
header h1{margin:0;font-size:21px} header p{margin:4px 0 0;color:#c5cad6}
main{padding:18px 28px;max-width:1600px}
h2{font-size:17px;margin:26px 0 10px}
table{border-collapse:collapse;background:#fff;width:100%;font-size:14px}
th,td{border-bottom:1px solid #e3e6ec;padding:6px 10px;text-align:left;vertical-align:top}
th{background:#eceef3}
.passage{background:#fff;border:1px solid #d9dde5;border-radius:8px;margin:0 0 18px;padding:14px 18px}
.passage h3{margin:0 0 6px;font-size:16px;display:flex;gap:10px;align-items:center;flex-wrap:wrap}
.badge{border-radius:4px;padding:1px 8px;font-size:13px;font-weight:600;color:#fff}
.k-agency{background:#2e7d32}.k-press_release{background:#8e24aa}.k-quote{background:#1565c0}
.k-republished{background:#c62828}.k-unknown{background:#6b7280}
.conf{color:#4b5563;font-size:13px;font-weight:normal}
ul.evidence{margin:6px 0 10px;padding-left:20px;font-size:13px;color:#374151}
ul.evidence code{background:#f1f3f6;border-radius:3px;padding:0 4px}
.copies{display:grid;grid-template-columns:repeat(auto-fit,minmax(380px,1fr));gap:14px}
.copy{border:1px solid #e3e6ec;border-radius:6px;padding:10px 12px;background:#fbfbfd}
.copy h4{margin:0 0 6px;font-size:13px;color:#374151;word-break:break-all}
.role{font-weight:600;border-radius:3px;padding:0 6px;margin-left:6px}
.role-source{background:#dcfce7;color:#14532d}.role-copy{background:#fee2e2;color:#7f1d1d}
.text{white-space:pre-wrap;font-family:Georgia,"Times New Roman",serif;font-size:15px;color:#4b5563}
mark{background:#fde68a;color:#111827;padding:0 1px;border-radius:2px}
details{background:#fff;border:1px solid #d9dde5;border-radius:6px;margin:0 0 8px;padding:6px 12px}
summary{cursor:pointer;font-weight:600;word-break:break-all}
sup.pid{font-size:10px;color:#92400e;font-family:system-ui,sans-serif}
ul.summary{background:#fff;border:1px solid #d9dde5;border-radius:8px;padding:10px 30px;margin:0}
td a{word-break:break-all}
"""


def to_html(result: ScanResult, title: str = "syndet scan") -> str:
    """The whole report as one HTML page."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<header><h1>{escape(title)}</h1><p>{_count(len(result.articles), 'article')}, "
        f"{_count(len(result.passages), 'shared passage')}</p></header><main>",
        _summary(result),
        _articles_table(result),
        _pairs_table(result),
        '<h2 id="passages">Shared passages</h2>',
    ]
    parts.extend(_passage(result, p) for p in result.passages)
    parts.append("<h2>Articles with every shared passage marked</h2>")
    parts.extend(_article_text(result, a.id) for a in result.articles if result.shared_chars(a.id))
    if result.warnings:
        parts.append('<h2 id="problems">Input problems</h2><ul>')
        parts.extend(f"<li>{escape(w)}</li>" for w in result.warnings)
        parts.append("</ul>")
    parts.append("</main></body></html>\n")
    return "\n".join(parts)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _summary(result: ScanResult) -> str:
    """Counts at the top, so that a large scan can be judged before scrolling."""
    sharing = sum(1 for a in result.articles if result.shared_chars(a.id))
    items = [f"<li><b>{sharing}</b> of {len(result.articles)} articles share text with another</li>",
             f"<li><b>{len(pair_summary(result))}</b> pairs of articles share text</li>"]
    kinds = kind_counts(result)
    if kinds:
        items.append("<li>passages by kind: " + ", ".join(f"{escape(k)} <b>{n}</b>" for k, n in kinds) + "</li>")
    origins = origin_counts(result)
    if origins:
        items.append("<li>passages by origin: " + ", ".join(f"{escape(o)} <b>{n}</b>" for o, n in origins[:15])
                     + (f", and {len(origins) - 15} more" if len(origins) > 15 else "") + "</li>")
    if result.warnings:
        items.append(f'<li><a href="#problems">{_count(len(result.warnings), "input problem")}</a></li>')
    return '<h2 id="summary">Summary</h2><ul class="summary">' + "".join(items) + "</ul>"


def anchor(article_index: int) -> str:
    """The HTML id of an article's row (ids are made from positions: article ids are arbitrary text)."""
    return f"a{article_index}"


def _link(url: str | None) -> str:
    """A link to the article's address, for http and https addresses only (nothing else is clickable)."""
    if not url:
        return ""
    if urlsplit(url.strip()).scheme.lower() not in ("http", "https"):
        return escape(url)
    return f'<a href="{escape(url.strip(), quote=True)}" rel="noopener noreferrer nofollow">{escape(url)}</a>'


def _articles_table(result: ScanResult) -> str:
    rows = ["<h2>Articles</h2><table><tr><th>Article</th><th>Title</th><th>Source</th><th>Published</th>"
            "<th>URL</th><th>Shared</th><th>Syndicated from</th><th>Passages</th></tr>"]
    for k, article in enumerate(result.articles):
        passages = list(dict.fromkeys(p.id for p, _ in result.copies_in(article.id)))
        links = " ".join(f'<a href="#{escape(pid, quote=True)}">{escape(pid)}</a>' for pid in passages)
        rows.append(
            f'<tr id="{anchor(k)}"><td>{escape(article.id)}</td><td>{escape(article.title or "")}</td>'
            f"<td>{escape(article.source or '')}</td><td>{escape(article.published or '')}</td>"
            f"<td>{_link(article.url)}</td>"
            f"<td>{result.shared_fraction(article.id):.0%}</td>"
            f"<td>{escape(origins_text(result, article.id))}</td><td>{links}</td></tr>")
    rows.append("</table>")
    return "".join(rows)


def _pairs_table(result: ScanResult) -> str:
    pairs = pair_summary(result)
    if not pairs:
        return ""
    index = {a.id: k for k, a in enumerate(result.articles)}
    rows = ['<h2 id="pairs">Article pairs</h2><table><tr><th>Article</th><th>Article</th>'
            "<th>Words shared</th><th>Share of each</th><th>Edited</th><th>Passages</th></tr>"]
    for pair in pairs:
        a, b = pair["articles"]
        links = " ".join(f'<a href="#{escape(pid, quote=True)}">{escape(pid)}</a>' for pid in pair["passages"])
        shares = " / ".join(f"{c:.0%}" for c in pair.get("containment", ()))
        rows.append(f'<tr><td><a href="#{anchor(index[a])}">{escape(a)}</a></td>'
                    f'<td><a href="#{anchor(index[b])}">{escape(b)}</a></td>'
                    f"<td>{pair['words']}</td><td>{shares}</td><td>{pair.get('edit_ratio', 0.0):.0%}</td>"
                    f"<td>{links}</td></tr>")
    rows.append("</table>")
    if result.duplicates:
        rows.append('<h2 id="duplicates">Duplicates (the same text)</h2><ul>')
        rows.extend("<li>" + " = ".join(f'<a href="#{anchor(index[i])}">{escape(i)}</a>' for i in g.articles)
                    + f" (similarity {g.similarity:.0%})</li>" for g in result.duplicates)
        rows.append("</ul>")
    return "".join(rows)


def _passage(result: ScanResult, passage: Passage) -> str:
    att = passage.attribution
    head = [f'<section class="passage" id="{escape(passage.id)}"><h3>{escape(passage.id)}']
    if att is not None:
        head.append(f'<span class="badge k-{escape(att.kind)}">{escape(att.kind)}</span>')
        if att.origin:
            head.append(f"<span>{escape(att.origin)}</span>")
        head.append(f'<span class="conf">confidence {att.confidence:.2f}</span>')
    head.append(f'<span class="conf">{len(passage.article_ids)} articles, {passage.words} words</span></h3>')
    if att is not None and att.evidence:
        head.append('<ul class="evidence">')
        head.extend(f"<li><code>{escape(e.kind)}</code> {escape(e.article_id)}: {escape(e.detail)}</li>"
                    for e in att.evidence)
        head.append("</ul>")
    head.append('<div class="copies">')
    for span in passage.spans:
        role = copy_role(att, span.article_id)
        badge = f'<span class="role role-{role}">{role}</span>' if role else ""
        head.append(f'<div class="copy"><h4>{escape(span.article_id)} [{span.start}:{span.end}]{badge}</h4>'
                    f'<div class="text">{_in_context(result, span)}</div></div>')
    head.append("</div></section>")
    return "".join(head)


def _in_context(result: ScanResult, span: Span) -> str:
    """The copy with some text either side, the shared part marked."""
    text = result.article(span.article_id).text
    lo = max(0, span.start - _CONTEXT)
    hi = min(len(text), span.end + _CONTEXT)
    if lo > 0:
        cut = text.find(" ", lo, span.start)
        lo = cut + 1 if cut >= 0 else lo
    if hi < len(text):
        cut = text.rfind(" ", span.end, hi)
        hi = cut if cut >= 0 else hi
    before = ("… " if lo > 0 else "") + text[lo:span.start]
    after = text[span.end:hi] + (" …" if hi < len(text) else "")
    return f"{escape(before)}<mark>{escape(text[span.start:span.end])}</mark>{escape(after)}"


def _article_text(result: ScanResult, article_id: str) -> str:
    """The whole article with every passage's copy marked and labelled."""
    text = result.article(article_id).text
    spans = sorted((s.start, s.end, p.id) for p, s in result.copies_in(article_id))
    out, pos = [], 0
    for start, end, pid in spans:
        start = max(start, pos)
        if end <= start:
            continue
        out.append(escape(text[pos:start]))
        out.append(f'<mark title="{escape(pid)}">{escape(text[start:end])}</mark>'
                   f'<sup class="pid"><a href="#{escape(pid)}">{escape(pid)}</a></sup>')
        pos = end
    out.append(escape(text[pos:]))
    origins = origins_text(result, article_id)
    label = f"{article_id} — {result.shared_fraction(article_id):.0%} shared" + (f"; {origins}" if origins else "")
    return f'<details><summary>{escape(label)}</summary><div class="text">{"".join(out)}</div></details>'
