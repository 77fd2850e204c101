"""Say where each shared passage came from: its kind, origin, source copy, confidence and evidence.

Evidence comes from two places. The articles holding a copy carry signs (datelines, credit and
copyright lines, sign-offs, feed notices, press-release wording; see :mod:`syndet.attribution.evidence`). The
copies themselves, compared with each other, show the one-way edits a republisher makes: quotation
marks stripped, "U.S." written "US", paragraphs split, the story cut short at the end; and the
earliest publication time points at the original. A passage that lies mostly inside quotation marks
or after "X said", with no shared prose around it, is a quotation two outlets reproduced on their own.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from syndet.attribution.evidence import Catalogue, Sign, article_signs
from syndet.models import Article, Attribution, Evidence, Paragraph, Passage, Span, clip, covered_chars
from syndet.settings import AttributeSettings

SYNDICATED = ("agency", "press_release", "republished")
_OPEN, _CLOSE, _STRAIGHT = "“«„", "”»", '"'
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+[”\"’]?|$)")
_SAID = re.compile(r"\b(?:said|says|say|told|tells|added|adds|noted|stressed|insisted|warned|argued|explained|"
                   r"asked|declared|according to|conveyed)\b", re.IGNORECASE)
_DOTTED = re.compile(r"\b([A-Z])\.([A-Z])\.")
_END_SLACK_WORDS = 3  # a copy this close to its article's end ends the story


@dataclass(frozen=True)
class _Copy:
    article: Article
    span: Span
    text: str


def attribute(passages: Sequence[Passage], articles: Sequence[Article],
              paragraphs: Mapping[str, Sequence[Paragraph]], catalogue: Catalogue,
              settings: AttributeSettings) -> tuple[Passage, ...]:
    """Attribute every passage.

    Args:
        passages: Passages from clustering.
        articles: The scanned articles (those holding a copy are looked up by id).
        paragraphs: Paragraphs of each article, chrome included.
        catalogue: Compiled evidence catalogue.
        settings: Thresholds and the publication-time window.

    Returns:
        The same passages, in the same order, each with its :class:`Attribution`.
    """
    by_id = {a.id: a for a in articles}
    signs: dict[str, tuple[Sign, ...]] = {}
    for passage in passages:
        for aid in passage.article_ids:
            if aid not in signs:
                signs[aid] = article_signs(by_id[aid], paragraphs[aid], catalogue, settings.dateline_paragraphs)
    quote_like = {p.id for p in passages if p.words <= settings.quote_max_words
                  and _quote_like(_quote_shares(p, by_id, paragraphs), p.words, settings)}
    prose: dict[str, list[Passage]] = defaultdict(list)  # article id -> passages that are not quote-like
    for passage in passages:
        if passage.id not in quote_like:
            for aid in passage.article_ids:
                prose[aid].append(passage)
    out = []
    for passage in passages:
        copies = _copies(passage, by_id)
        if passage.id in quote_like and not _next_to_prose(passage, prose, settings.quote_context_chars):
            out.append(replace(passage, attribution=_quote(passage, copies, paragraphs, settings)))
            continue
        out.append(replace(passage, attribution=_origin(copies, signs, paragraphs, catalogue, settings,
                                                         passage.words)))
    return tuple(out)


def origin_shares(copies: Iterable[tuple[Passage, Span]], article_id: str,
                  content: Sequence[tuple[int, int]]) -> list[tuple[str, float]]:
    """Share of one article's content that is syndicated, by origin, largest first ("62% AP").

    Args:
        copies: The passage copies in this article, as (passage, span).
        article_id: The article.
        content: The ``[start, end)`` ranges of its paragraphs that are not chrome, in order; only
            characters inside them count.

    Only agency copy, press releases and republished text count; a republished passage counts in the
    copies, not in the source article it was taken from.
    """
    content_chars = sum(hi - lo for lo, hi in content)
    if content_chars <= 0:
        return []
    ranges: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for passage, span in copies:
        att = passage.attribution
        if span.article_id != article_id or att is None or att.kind not in SYNDICATED:
            continue
        if att.kind == "republished" and att.source_article == article_id:
            continue
        label = att.origin or {"agency": "unknown agency", "press_release": "press release"}.get(
            att.kind, "unknown outlet")
        ranges[label].append((span.start, span.end))
    shares = [(label, min(1.0, covered_chars(clip(spans, content)) / content_chars))
              for label, spans in ranges.items()]
    return sorted(shares, key=lambda item: (-item[1], item[0]))


def _copies(passage: Passage, by_id: Mapping[str, Article]) -> list[_Copy]:
    """One copy per article: its longest span."""
    best: dict[str, Span] = {}
    for span in passage.spans:
        if span.article_id not in best or span.length > best[span.article_id].length:
            best[span.article_id] = span
    return [_Copy(by_id[a], s, by_id[a].text[s.start:s.end]) for a, s in best.items()]


# --- quotations -------------------------------------------------------------------------------------

def _quote_shares(passage: Passage, by_id: Mapping[str, Article],
                  paragraphs: Mapping[str, Sequence[Paragraph]]) -> tuple[float, float]:
    """(best share of a copy inside quotation marks, worst share of a copy quoted or attributed)."""
    marks, attributed = [], []
    for copy in _copies(passage, by_id):
        inside, said, total = _quoted_words(copy.article, paragraphs[copy.article.id], copy.span)
        marks.append(inside / total if total else 0.0)
        attributed.append(said / total if total else 0.0)
    return max(marks, default=0.0), min(attributed, default=0.0)


def _quoted_words(article: Article, paragraphs: Sequence[Paragraph], span: Span) -> tuple[int, int, int]:
    """Words of ``span`` inside double quotation marks, words quoted or in a sentence saying who said
    it, and all words. Quote state starts afresh at each paragraph, as a quotation that runs on
    reopens its marks."""
    text = article.text
    inside = said = total = 0
    for para in paragraphs:
        if para.end <= span.start or para.start >= span.end:
            continue
        state = False
        marks: list[tuple[int, bool]] = []
        for pos in range(para.start, para.end):
            ch = text[pos]
            if ch in _OPEN:
                state = True
            elif ch in _CLOSE:
                state = False
            elif ch == _STRAIGHT:
                state = not state
            else:
                continue
            marks.append((pos, state))
        attributed = [(m.start() + para.start, m.end() + para.start)
                      for m in _SENTENCE.finditer(text[para.start:para.end]) if _SAID.search(m.group())]
        k, state = 0, False
        for m in _WORD.finditer(text, max(para.start, span.start), min(para.end, span.end)):
            while k < len(marks) and marks[k][0] < m.start():
                state = marks[k][1]
                k += 1
            total += 1
            inside += state
            said += state or any(lo <= m.start() < hi for lo, hi in attributed)
    return inside, said, total


def _quote_like(shares: tuple[float, float], words: int, settings: AttributeSettings) -> bool:
    q_marks, q_attr = shares
    return q_marks >= settings.quote_min_share and q_attr >= settings.quote_min_share \
        and words <= settings.quote_max_words


def _next_to_prose(passage: Passage, prose: Mapping[str, Sequence[Passage]], reach: int) -> bool:
    """Whether other shared text of the same articles lies next to every copy of a quote-like
    passage (then the quotation is part of copied prose, not reproduced on its own)."""
    members = set(passage.article_ids)
    first = passage.spans[0].article_id
    for other in prose.get(first, ()):
        if other.id == passage.id or not members <= set(other.article_ids):
            continue
        if all(any(o.article_id == s.article_id and o.start < s.end + reach and s.start < o.end + reach
                   for o in other.spans) for s in passage.spans):
            return True
    return False


def _quote(passage: Passage, copies: list[_Copy], paragraphs: Mapping[str, Sequence[Paragraph]],
           settings: AttributeSettings) -> Attribution:
    evidence = []
    shares = []
    for copy in copies:
        inside, said, total = _quoted_words(copy.article, paragraphs[copy.article.id], copy.span)
        if not total:
            continue
        if inside / total >= settings.quote_min_share:
            evidence.append(Evidence("quote:marks", copy.article.id,
                                     f"{inside / total:.0%} of the copy inside quotation marks", copy.span))
        else:
            verb = _SAID.search(_sentence_around(copy))
            evidence.append(Evidence("quote:attribution", copy.article.id,
                                     f"{said / total:.0%} of the copy attributed"
                                     + (f" (“{verb.group()}”)" if verb else ""), copy.span))
        shares.append(said / total)
    evidence.append(Evidence("quote:context", copies[0].article.id,
                             f"no other text shared within {settings.quote_context_chars} characters: "
                             "the surrounding prose differs"))
    confidence = round(min(0.95, 0.5 + 0.45 * min(shares, default=0.0)), 2)
    return Attribution("quote", None, None, confidence, tuple(evidence))


def _sentence_around(copy: _Copy) -> str:
    text = copy.article.text
    lo = max(text.rfind("\n", 0, copy.span.start), 0)
    hi = text.find("\n", copy.span.end)
    return text[lo: hi if hi >= 0 else len(text)]


# --- origin -----------------------------------------------------------------------------------------

def _applicable(signs: Sequence[Sign], span: Span) -> list[Sign]:
    """The signs of an article that speak for this copy: every credit, but only the dateline that
    opens the section the copy is in when an article carries several."""
    datelines = [s for s in signs if s.evidence.kind == "dateline" and s.evidence.span]
    others = [s for s in signs if s.evidence.kind != "dateline"]
    if len({s.evidence.agency for s in datelines}) > 1:
        before = [s for s in datelines if s.evidence.span and s.evidence.span.start < span.end]
        last = max(before, key=lambda s: s.evidence.span.start if s.evidence.span else 0, default=None)
        datelines = [s for s in datelines if last and s.evidence.agency == last.evidence.agency]
    return datelines + others


def _origin(copies: list[_Copy], signs: Mapping[str, tuple[Sign, ...]],
            paragraphs: Mapping[str, Sequence[Paragraph]], catalogue: Catalogue,
            settings: AttributeSettings, words: int) -> Attribution:
    scores: dict[str, float] = defaultdict(float)
    press_score = 0.0
    feed: list[Evidence] = []
    press: list[Evidence] = []
    per_origin: dict[str, list[Sign]] = defaultdict(list)
    for copy in copies:
        seen: set[tuple[str | None, str]] = set()
        for sign in _applicable(signs[copy.article.id], copy.span):
            ev = sign.evidence
            if ev.kind == "feed_notice":
                feed.append(ev)
            elif ev.kind == "press_phrase":
                if ("", ev.detail) not in seen:
                    press.append(ev)
                    press_score += sign.weight
                    seen.add(("", ev.detail))
            elif ev.agency and (ev.agency, ev.kind) not in seen:
                seen.add((ev.agency, ev.kind))
                scores[ev.agency] += sign.weight
                per_origin[ev.agency].append(sign)
    ranked = [kv for kv in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
              if kv[1] >= settings.agency_min_score]
    pieces, direction = _edits(copies, paragraphs, settings)
    if ranked or press_score >= settings.press_min_score:
        best, best_score = ranked[0] if ranked else (None, 0.0)
        best_kind = catalogue.origin_kind(best)
        if best_kind != "press_release" and press_score >= settings.press_min_score \
                and press_score >= best_score:
            kind, origin = "press_release", None
            chosen = press
            total = press_score
        else:
            kind = best_kind or "agency"
            origin = best
            chosen = [s.evidence for s in per_origin[best]] if best else []
            if kind == "press_release":
                chosen += press
            total = best_score + (press_score if kind == "press_release" else 0.0)
        second = ranked[1][1] if len(ranked) > 1 and kind == "agency" else 0.0
        confidence = (1 - 0.5 ** (total / 2)) * (total / (total + second) if second else 1.0)
        support = {e.article_id: sum(s.weight for s in per_origin.get(origin or "", ())
                                     if s.evidence.article_id == e.article_id) for e in chosen}
        source = _source(copies, direction, support, feed)
        edits = _shown(pieces, source)
        confidence = min(0.99, confidence + 0.03 * _kinds(edits))
        return Attribution(kind, origin, source, round(confidence, 2), tuple(chosen) + tuple(feed) + tuple(edits))
    if feed:
        source = _source(copies, direction, {}, feed)
        edits = _shown(pieces, source)
        confidence = min(0.9, 0.4 + 0.05 * _kinds(edits))
        return Attribution("agency", None, source, round(confidence, 2), tuple(feed) + tuple(edits))
    source = _source(copies, direction, {}, [])
    edits = _shown(pieces, source)
    if source is None and words < settings.republished_min_words:
        return Attribution("unknown", None, None, 0.2, tuple(edits))
    outlet = next((c.article.source for c in copies if c.article.id == source), None) if source else None
    confidence = min(0.9, 0.45 + 0.1 * _kinds(edits))
    return Attribution("republished", outlet or source, source, round(confidence, 2), tuple(edits))


def _source(copies: list[_Copy], direction: Mapping[str, float], support: Mapping[str, float],
            feed: Sequence[Evidence]) -> str | None:
    """The copy judged original: signs of the origin in its article, one-way edits pointing away
    from it, earliest publication; a feed notice marks a copy as taken from elsewhere."""
    score = {c.article.id: direction.get(c.article.id, 0.0) + support.get(c.article.id, 0.0) for c in copies}
    for ev in feed:
        score[ev.article_id] = score.get(ev.article_id, 0.0) - 1.0
    ranked = sorted(score.items(), key=lambda kv: -kv[1])
    if len(ranked) < 2 or ranked[0][1] <= ranked[1][1]:
        return None
    return ranked[0][0]


def _edits(copies: list[_Copy], paragraphs: Mapping[str, Sequence[Paragraph]],
           settings: AttributeSettings) -> tuple[list[tuple[str, Evidence]], dict[str, float]]:
    """One-way edits between each pair of copies, each with the article it points at as the original,
    and a score per article (+ for the original); the earliest publication once, with its own score."""
    pieces: list[tuple[str, Evidence]] = []
    direction: dict[str, float] = defaultdict(float)

    def note(kind: str, original: _Copy, copy: _Copy, detail: str) -> None:
        pieces.append((original.article.id, Evidence(kind, copy.article.id, detail, copy.span)))
        direction[original.article.id] += 1.0
        direction[copy.article.id] -= 1.0

    facts = {c.article.id: _facts(c, paragraphs[c.article.id]) for c in copies}
    later: dict[str, list[str]] = defaultdict(list)  # article -> copies published after it, within the window
    for i, a in enumerate(copies):
        for b in copies[i + 1:]:
            for x, y in ((a, b), (b, a)):
                fx, fy = facts[x.article.id], facts[y.article.id]
                if fx.marks >= 2 and fy.marks * 4 <= fx.marks:
                    note("edit:quotes_stripped", x, y, f"quotation marks stripped: {fx.marks} in {x.article.id}, "
                         f"{fy.marks} in {y.article.id}")
                for abbr in fx.dotted:
                    dotted = f"{abbr[0]}.{abbr[1]}."
                    if dotted not in y.text and re.search(rf"\b{abbr}\b", y.text):
                        note("edit:abbreviation", x, y, f"“{dotted}” rewritten as “{abbr}” in {y.article.id}")
                if fy.paragraphs > fx.paragraphs:
                    note("edit:paragraphs_split", x, y, f"{fx.paragraphs} paragraphs in {x.article.id} split into "
                         f"{fy.paragraphs} in {y.article.id}")
                if fy.words_after <= _END_SLACK_WORDS and fx.words_after >= settings.trim_min_words:
                    note("edit:trimmed_end", x, y, f"{y.article.id} ends where {x.article.id} goes on")
            early = _earliest(a.article, b.article, settings.time_window_hours)
            if early:
                later[early].append(b.article.id if early == a.article.id else a.article.id)
                direction[early] += 1.0
    if later:
        by_id = {c.article.id: c.article for c in copies}
        first = min(later, key=lambda aid: (_time_key(by_id[aid]), aid))
        after = later[first]
        pieces.append((first, Evidence("earliest", first, f"published {by_id[first].published}, before "
                                       + (f"{after[0]} ({by_id[after[0]].published})" if len(after) == 1
                                          else f"{len(after)} other copies"))))
    return pieces, direction


def _shown(pieces: Sequence[tuple[str, Evidence]], source: str | None) -> list[Evidence]:
    """The edits worth showing: with a source copy, those each copy made to it; else each kind of
    edit once per copy (a passage in many articles would otherwise list every pair)."""
    shown: list[Evidence] = []
    seen: set[tuple[str, str]] = set()
    for original, ev in pieces:
        if source is not None and original != source and ev.kind != "earliest":
            continue
        if (ev.kind, ev.article_id) not in seen:
            seen.add((ev.kind, ev.article_id))
            shown.append(ev)
    return shown


def _kinds(edits: Sequence[Evidence]) -> int:
    """Kinds of one-way edit seen (confidence grows with the kinds, not with the number of copies)."""
    return len({e.kind for e in edits})


@dataclass(frozen=True)
class _Facts:
    """What the edit checks compare, worked out once per copy."""

    marks: int  # quotation marks in the copy
    dotted: tuple[str, ...]  # dotted abbreviations ("U.S." as "US"), sorted
    paragraphs: int  # content paragraphs the copy touches
    words_after: int  # content words of the article after the copy


def _facts(copy: _Copy, paragraphs: Sequence[Paragraph]) -> _Facts:
    return _Facts(_marks(copy.text), tuple(sorted({m.group(1) + m.group(2) for m in _DOTTED.finditer(copy.text)})),
                  _paragraph_count(paragraphs, copy.span), _words_after(copy.article, paragraphs, copy.span))


def _marks(text: str) -> int:
    return sum(text.count(ch) for ch in _OPEN + _CLOSE + _STRAIGHT)


def _paragraph_count(paragraphs: Sequence[Paragraph], span: Span) -> int:
    return sum(1 for p in paragraphs if not p.chrome and p.start < span.end and span.start < p.end)


def _words_after(article: Article, paragraphs: Sequence[Paragraph], span: Span) -> int:
    return sum(len(_WORD.findall(article.text, max(p.start, span.end), p.end))
               for p in paragraphs if not p.chrome and p.end > span.end)


def _earliest(a: Article, b: Article, window_hours: float) -> str | None:
    """The article published first, when both times are known and lie within the window."""
    ta, tb = _time(a.published), _time(b.published)
    if ta is None or tb is None or ta == tb:
        return None
    try:
        gap = abs((ta - tb).total_seconds()) / 3600
    except TypeError:  # one time has a zone and the other has not
        return None
    if gap > window_hours:
        return None
    return a.id if ta < tb else b.id


def _time_key(article: Article) -> float:
    """Publication time as a sort key (seconds; unknown last, zone-less taken as UTC)."""
    t = _time(article.published)
    if t is None:
        return float("inf")
    return (t if t.tzinfo else t.replace(tzinfo=UTC)).timestamp()


def _time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
