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
from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache

from syndet.attribution.edits import Layouts, one_way_edits
from syndet.attribution.evidence import Catalogue, Sign, article_signs, line_starts, matches_at_line_starts
from syndet.duration import parse_time
from syndet.models import Article, Attribution, Evidence, Paragraph, Passage, Span, clip, covered_chars
from syndet.settings import AttributeSettings
from syndet.text.normalize import letter_table
from syndet.workers import fork_map

SYNDICATED = ("agency", "press_release", "republished")
_OPEN, _CLOSE, _STRAIGHT = "“«„", "”»", '"'
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+[”\"’]?|$)")
_SAID = re.compile(r"\b(?:said|says|say|told|tells|added|adds|noted|stressed|insisted|warned|argued|explained|"
                   r"asked|declared|according to|conveyed)\b", re.IGNORECASE)
# "U.S.": a letter starting a word, a full stop, a letter, a full stop. The pattern opens on the
# first full stop (re skips to it as to a literal, where a letter class is tried at every capital)
# and looks back for the letter; the matches are those of ``([A-Z])(?<!\w[A-Z])\.([A-Z])\.``.
_DOTTED = re.compile(r"\.(?<=(?<!\w)([A-Z])\.)([A-Z])\.")
_END_SLACK_WORDS = 3  # a copy this close to its article's end ends the story
_OWN_MARKS = ("dateline", "source_field", "copyright", "signoff")  # signs an origin puts on its own copy
TIME_WEIGHT = 2.0
"""Weight of being published first (doubled from ``attribute.time_window_hours`` apart)."""
EDIT_WEIGHT = 0.75
"""Weight of each one-way edit pointing at a copy as the original."""
CREDIT_WEIGHT = 1.0
"""Weight moved from a copy to the copy whose outlet it credits as where it took the story from."""
FEED_WEIGHT = 3.0
"""Weight against a copy whose article says it was taken from a feed."""


@dataclass(frozen=True)
class _Copy:
    article: Article
    span: Span  # the article's longest span of the passage
    text: str
    reach: int = 0  # where the article's last span of the passage ends
    begin: int = 0  # where the article's first span of the passage starts


def attribute(passages: Sequence[Passage], articles: Sequence[Article],
              paragraphs: Mapping[str, Sequence[Paragraph]], catalogue: Catalogue,
              settings: AttributeSettings, signs: MutableMapping[str, tuple[Sign, ...]] | None = None,
              jobs: int = 1, twins: Mapping[str, str] | None = None,
              layouts: Layouts | None = None) -> tuple[Passage, ...]:
    """Attribute every passage.

    Args:
        passages: Passages from clustering.
        articles: The scanned articles (those holding a copy are looked up by id).
        paragraphs: Paragraphs of each article, chrome included.
        catalogue: Compiled evidence catalogue.
        settings: Thresholds and the publication-time window.
        signs: Signs already found, by article id (taken as they are), and filled with the ones
            found here (in the articles holding a passage that is neither a quotation nor a stock
            phrase): lets a caller that sees the same articles again find them once.
        jobs: Worker processes for the signs and the per-passage evidence (:mod:`syndet.workers`;
            the catalogue's patterns must all be bundled ones for more than 1).
        twins: The first article of each article's duplicate group (a page and its mirrors), for
            articles in one: a duplicate's signs repeat its twin's and count once.
        layouts: Word layouts of articles (:class:`Layouts`) kept by a caller that attributes
            passages of the same articles again; a fresh cache by default.

    Returns:
        The same passages, in the same order, each with its :class:`Attribution`.
    """
    by_id = {a.id: a for a in articles}
    known: MutableMapping[str, tuple[Sign, ...]] = {} if signs is None else signs
    quote_like = {p.id for p in passages if p.words <= settings.quote_max_words
                  and _quote_like(_quote_shares(p, by_id, paragraphs), p.words, settings)}
    prose: dict[str, list[Passage]] = defaultdict(list)  # article id -> passages that are not quote-like
    for passage in passages:
        if passage.id not in quote_like:
            for aid in passage.article_ids:
                prose[aid].append(passage)
    quotes: dict[str, Attribution] = {}
    held = _held_by(passages)
    waiting: list[tuple[Passage, list[_Copy]]] = []
    for passage in passages:
        copies = _copies(passage, by_id)
        if passage.id in quote_like and not _next_to_prose(passage, prose, settings.quote_context_chars):
            quotes[passage.id] = _quote(passage, copies, paragraphs, settings)
            continue
        stories = _stories(passage, held, settings)
        if stories > 1:
            quotes[passage.id] = Attribution("stock_phrase", None, None, 0.6, (Evidence(
                "stock_phrase", passage.spans[0].article_id,
                f"the same {passage.words} words in {len(passage.article_ids)} articles of "
                f"{stories} stories that share no other text"),))
            continue
        waiting.append((passage, copies))
    # Signs are looked for only in the articles holding a passage whose origin is weighed: a
    # quotation or a stock phrase is attributed without them.
    missing = list(dict.fromkeys(aid for passage, _ in waiting for aid in passage.article_ids if aid not in known))
    found = fork_map(lambda n: article_signs(by_id[missing[n]], paragraphs[missing[n]], catalogue,
                                             settings.dateline_paragraphs), len(missing), jobs)
    known.update(zip(missing, found, strict=True))
    layouts = Layouts() if layouts is None else layouts
    if waiting and jobs > 1:
        letter_table()  # built once here, not once in each worker
    made = fork_map(lambda n: _origin(waiting[n][1], known, paragraphs, catalogue, settings,
                                      waiting[n][0].words, layouts, twins), len(waiting), jobs, chunk=64)
    drafts = {passage.id: (draft, copies) for (passage, copies), draft in zip(waiting, made, strict=True)}
    sources = _story_sources(drafts)
    out = []
    for passage in passages:
        if passage.id in quotes:
            out.append(replace(passage, attribution=quotes[passage.id]))
            continue
        draft, copies = drafts[passage.id]
        out.append(replace(passage, attribution=draft.finish(sources[passage.id], copies, settings)))
    return tuple(out)


def _held_by(passages: Sequence[Passage]) -> dict[str, list[Passage]]:
    """The passages each article holds a copy of."""
    held: dict[str, list[Passage]] = defaultdict(list)
    for passage in passages:
        for aid in passage.article_ids:
            held[aid].append(passage)
    return held


def _stories(passage: Passage, held: Mapping[str, Sequence[Passage]], settings: AttributeSettings) -> int:
    """The unrelated stories a short passage in many articles is carried by (two or more: a stock
    phrase, each story maybe in several copies); 0 for a passage too long or in too few articles."""
    if passage.words > settings.stock_max_words or len(passage.article_ids) < settings.stock_min_articles:
        return 0
    return len(_unrelated(passage, held))


def _unrelated(passage: Passage, held: Mapping[str, Sequence[Passage]]) -> list[set[str]]:
    """The articles of a passage in groups joined by other text they share (copies of one story)."""
    members = list(dict.fromkeys(passage.article_ids))
    parent = {a: a for a in members}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    inside = set(members)
    for aid in members:
        for other in held[aid]:
            if other.id != passage.id:
                for bid in inside.intersection(other.article_ids):
                    parent[find(bid)] = find(aid)
    groups: dict[str, set[str]] = defaultdict(set)
    for aid in members:
        groups[find(aid)].add(aid)
    return list(groups.values())


def stock_pairs(passages: Sequence[Passage]) -> set[frozenset[str]]:
    """The article pairs that only a stock phrase joins: across the unrelated groups of each
    passage of kind ``stock_phrase``."""
    stock = [p for p in passages if p.attribution is not None and p.attribution.kind == "stock_phrase"]
    if not stock:
        return set()
    held = _held_by(passages)
    out: set[frozenset[str]] = set()
    for passage in stock:
        groups = _unrelated(passage, held)
        for i, g in enumerate(groups):
            for h in groups[i + 1:]:
                out.update(frozenset((a, b)) for a in g for b in h)
    return out


def _story_sources(drafts: Mapping[str, tuple[_Draft, list[_Copy]]]) -> dict[str, str | None]:
    """The source copy of each passage. Passages shared by the same two articles with the same
    origin are one story, told in one direction: they choose together, each passage's scores
    weighted by its words, so that two runs of one copied story never name opposite sources. A
    passage with another origin (an article that took one section from AP, one from Reuters), or
    in more than two articles, chooses on its own evidence."""
    groups: dict[tuple[frozenset[str], str, str | None], list[str]] = defaultdict(list)
    for pid, (draft, copies) in drafts.items():
        if len(copies) == 2:
            groups[(frozenset(c.article.id for c in copies), draft.kind, draft.origin)].append(pid)
    chosen: dict[str, str | None] = {pid: draft.winner or _pick(draft.score) for pid, (draft, _) in drafts.items()}
    for members in groups.values():
        if len(members) < 2:
            continue
        total: dict[str, float] = defaultdict(float)
        for pid in members:
            draft = drafts[pid][0]
            for aid, value in draft.score.items():
                total[aid] += value * draft.words
        story = _pick(total)
        if story is not None:
            for pid in members:
                chosen[pid] = story
    return _undecided_from_story(drafts, chosen)


def _undecided_from_story(drafts: Mapping[str, tuple[_Draft, list[_Copy]]],
                          chosen: dict[str, str | None]) -> dict[str, str | None]:
    """A passage whose own copies cannot be told apart (a page and its mirror, the part of a story
    only twins kept) takes the source of the largest passage of the same origin that all its
    articles hold, when that source is one of them: it continues that story."""
    holders = {pid: frozenset(c.article.id for c in copies) for pid, (_, copies) in drafts.items()}
    by_article: dict[str, list[str]] = defaultdict(list)
    for pid, ids in holders.items():
        if chosen[pid] is not None:
            for aid in ids:
                by_article[aid].append(pid)
    for pid, (draft, _) in drafts.items():
        if chosen[pid] is not None or not holders[pid]:
            continue
        first = next(iter(holders[pid]))
        stories = [q for q in by_article[first] if holders[pid] <= holders[q] and chosen[q] in holders[pid]
                   and drafts[q][0].origin == draft.origin and drafts[q][0].kind == draft.kind]
        if stories:
            chosen[pid] = chosen[max(stories, key=lambda q: (drafts[q][0].words, q))]
    return chosen


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
    """One copy per article: its longest span (and where its first span starts and its last ends)."""
    best: dict[str, Span] = {}
    reach: dict[str, int] = {}
    begin: dict[str, int] = {}
    for span in passage.spans:
        if span.article_id not in best or span.length > best[span.article_id].length:
            best[span.article_id] = span
        reach[span.article_id] = max(reach.get(span.article_id, 0), span.end)
        begin[span.article_id] = min(begin.get(span.article_id, span.start), span.start)
    return [_Copy(by_id[a], s, by_id[a].text[s.start:s.end], reach[a], begin[a]) for a, s in best.items()]


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
    """The signs of an article that speak for this copy: every credit, but a dateline only for the
    section it opens (from the dateline to a sign-off, so an outlet's own lede above an agency's
    dateline, or its own text below the sign-off, is not the agency's), a sign-off only for the text
    before it, and only the dateline of the copy's own section when an article carries several."""
    def ended(sign: Sign) -> bool:  # a sign-off the copy comes after
        return sign.evidence.kind == "signoff" and sign.evidence.span is not None \
            and sign.evidence.span.end <= span.start

    closed = [s.evidence.span.end for s in signs if ended(s) and s.evidence.span]
    datelines = [s for s in signs if s.evidence.kind == "dateline" and s.evidence.span
                 and s.evidence.span.start < span.end and not any(s.evidence.span.start < c for c in closed)]
    others = [s for s in signs if s.evidence.kind != "dateline" and not ended(s)]
    if len({s.evidence.agency for s in datelines}) > 1:
        last = max(datelines, key=lambda s: s.evidence.span.start if s.evidence.span else 0)
        datelines = [s for s in datelines if s.evidence.agency == last.evidence.agency]
    return datelines + others


@dataclass
class _Draft:
    """An attribution before its source copy is chosen (passages of one story choose together)."""

    kind: str
    origin: str | None
    confidence: float
    stated: tuple[Evidence, ...]
    pieces: list[tuple[str, Evidence]]
    score: dict[str, float]
    words: int
    feed_only: bool = False
    winner: str | None = None  # the copy that no other copy beats, pair by pair (see _pairwise_winner)

    def finish(self, source: str | None, copies: list[_Copy], settings: AttributeSettings) -> Attribution:
        edits = _shown(self.pieces, source)
        if self.kind in ("agency", "press_release") and not self.feed_only:
            confidence = min(0.99, self.confidence + 0.03 * _kinds(edits))
            return Attribution(self.kind, self.origin, source, round(confidence, 2), self.stated + tuple(edits))
        if self.feed_only:
            confidence = min(0.9, 0.4 + 0.05 * _kinds(edits))
            return Attribution("agency", None, source, round(confidence, 2), self.stated + tuple(edits))
        if source is None and self.words < settings.republished_min_words:
            return Attribution("unknown", None, None, 0.2, self.stated + tuple(edits))
        outlet = next((c.article.source for c in copies if c.article.id == source), None) if source else None
        confidence = min(0.9, 0.45 + 0.1 * _kinds(edits))
        return Attribution("republished", outlet or source, source, round(confidence, 2), self.stated + tuple(edits))


def _origin(copies: list[_Copy], signs: Mapping[str, tuple[Sign, ...]],
            paragraphs: Mapping[str, Sequence[Paragraph]], catalogue: Catalogue,
            settings: AttributeSettings, words: int, layouts: Layouts,
            twins: Mapping[str, str] | None = None) -> _Draft:
    scores: dict[str, float] = defaultdict(float)
    press_score = 0.0
    feed: list[Evidence] = []
    press: list[Evidence] = []
    marks: list[Sign] = []
    per_origin: dict[str, list[Sign]] = defaultdict(list)
    # A duplicate (a mirror of a page) repeats its twin's signs: they count once per group.
    counted: dict[str, set[tuple[str | None, str]]] = defaultdict(set)
    joint: dict[tuple[str, str], Evidence] = {}  # credit lines naming several agencies, one each
    for copy in copies:
        seen: set[tuple[str | None, str]] = set()
        group = counted[(twins or {}).get(copy.article.id, copy.article.id)]
        for sign in _applicable(signs[copy.article.id], copy.span):
            ev = sign.evidence
            if ev.kind == "credit" and ev.agency is None:  # a line crediting several agencies
                joint.setdefault((ev.article_id, ev.detail), ev)
            elif ev.kind == "feed_notice":
                feed.append(ev)
            elif ev.kind == "republisher_mark":
                if ("", ev.detail) not in seen:
                    marks.append(sign)
                    seen.add(("", ev.detail))
            elif ev.kind == "press_phrase":
                if ("", ev.detail) not in seen:
                    press.append(ev)
                    seen.add(("", ev.detail))
                    if ("", ev.detail) not in group:
                        press_score += sign.weight
                        group.add(("", ev.detail))
            elif ev.agency and (ev.agency, ev.kind) not in seen:
                seen.add((ev.agency, ev.kind))
                if (ev.agency, ev.kind) not in group:
                    scores[ev.agency] += sign.weight
                    group.add((ev.agency, ev.kind))
                per_origin[ev.agency].append(sign)
    ranked = [kv for kv in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
              if kv[1] >= settings.agency_min_score]
    pieces, direction = _edits(copies, paragraphs, settings, layouts)
    credited = _credited_outlets(copies)
    shown_marks = tuple(m.evidence for m in marks)
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
        # The origin's own marks say most that a copy is its copy; a credit line counts half, as
        # another outlet writes one too when it runs the agency's story ("With inputs from AP").
        support = {e.article_id: sum(s.weight * (1.0 if s.evidence.kind in _OWN_MARKS else 0.5)
                                     for s in per_origin.get(origin or "", ()) if s.evidence.article_id == e.article_id)
                   for e in chosen}
        stated = _stated(copies, support, feed, marks)
        score = _source_scores(copies, direction, stated, credited, settings)
        winner = _pairwise_winner(copies, pieces, stated, credited, settings)
        return _Draft(kind, origin, confidence, tuple(chosen) + tuple(feed) + shown_marks, pieces, score, words,
                      winner=winner)
    stated = _stated(copies, {}, feed, marks)
    score = _source_scores(copies, direction, stated, credited, settings)
    winner = _pairwise_winner(copies, pieces, stated, credited, settings)
    if feed:
        return _Draft("agency", None, 0.4, tuple(feed) + shown_marks, pieces, score, words, feed_only=True,
                      winner=winner)
    return _Draft("republished", None, 0.45, tuple(joint.values()) + shown_marks, pieces, score, words,
                  winner=winner)


def _stated(copies: list[_Copy], support: Mapping[str, float], feed: Sequence[Evidence],
            marks: Sequence[Sign]) -> dict[str, float]:
    """Per copy, what its article states: signs of the origin for it, a feed notice or a
    republisher's mark against it."""
    stated = {c.article.id: support.get(c.article.id, 0.0) for c in copies}
    for ev in feed:
        stated[ev.article_id] = stated.get(ev.article_id, 0.0) - FEED_WEIGHT
    for sign in marks:
        stated[sign.evidence.article_id] = stated.get(sign.evidence.article_id, 0.0) - sign.weight
    return stated


def _pairwise_winner(copies: list[_Copy], pieces: Sequence[tuple[str, Evidence]], stated: Mapping[str, float],
                     credited: Sequence[tuple[str, str]], settings: AttributeSettings) -> str | None:
    """The copy that, compared with each other copy on its own, is never judged the later one and
    is judged the earlier one at least once; None when no copy is. Each comparison adds the time
    between the two (when both are dated), what each article states, the one-way edits between
    the two, and a credit one gives the other's outlet. Comparing pair by pair keeps evidence about
    other copies out of a comparison: a copy dated first among the dated ones does not, for that,
    beat an undated copy that the edits show it was taken from."""
    if len(copies) < 3:
        return None  # two copies: the scores are the one comparison
    ids = [c.article.id for c in copies]
    edits: dict[tuple[str, str], float] = defaultdict(float)
    for original, ev in pieces:
        if ev.kind.startswith("edit:"):
            edits[(original, ev.article_id)] += EDIT_WEIGHT
    for taker, giver in credited:
        edits[(giver, taker)] += CREDIT_WEIGHT
    moments = {c.article.id: _moment(c.article.published) for c in copies}

    def margin(x: str, y: str) -> float:
        mx, my = moments[x], moments[y]
        time = 0.0
        if mx is not None and my is not None:
            gap = _gap_hours(mx, my)
            time = time_weight(abs(gap), settings.time_window_hours) * (1 if gap > 0 else -1 if gap < 0 else 0)
        return time + stated[x] - stated[y] + edits[(x, y)] - edits[(y, x)]

    winners = []
    for x in ids:
        margins = [margin(x, y) for y in ids if y != x]
        if min(margins) >= 0 and max(margins) > 0:
            winners.append(x)
    return winners[0] if len(winners) == 1 else None


def _source_scores(copies: list[_Copy], direction: Mapping[str, float], stated: Mapping[str, float],
                   credited: Sequence[tuple[str, str]], settings: AttributeSettings) -> dict[str, float]:
    """Per copy, how strongly it is the original: the time signal first (:func:`time_scores`), then
    what its article states (:func:`_stated`) and the credits naming it, then the one-way edits
    between the copies."""
    times = time_scores([c.article for c in copies], settings.time_window_hours)
    pairs = max(1, len(copies) - 1)  # edits are counted per pair of copies: averaged, as the times are
    score = {c.article.id: times.get(c.article.id, 0.0) + stated.get(c.article.id, 0.0)
             + EDIT_WEIGHT * direction.get(c.article.id, 0.0) / pairs for c in copies}
    for taker, giver in credited:  # the giver printed it before the taker, not necessarily first
        score[taker] -= CREDIT_WEIGHT
        score[giver] += CREDIT_WEIGHT
    return score


_FROM_OUTLET = re.compile(r"^\W{0,3}(?:\(|\[)?\s*(?:from|taken\s+from|reprinted\s+from|copied\s+from|courtesy\s+of|"
                          r"this\s+(?:article|story)\s+(?:first\s+appeared|was\s+(?:first|originally)\s+published)"
                          r"\s+(?:in|on|by))\s+(?:the\s+)?(?P<outlet>[A-Z][^\n.()\[\]]{2,80}?)\s*\.?\s*(?:\)|\])?\s*$",
                          re.IGNORECASE | re.MULTILINE)


def _outlet_key(name: str) -> str:
    return re.sub(r"^the\s+", "", " ".join(name.split()).casefold())


def _credited_outlets(copies: list[_Copy]) -> list[tuple[str, str]]:
    """(copy, credited copy) for each copy whose article says it took the story from an outlet
    that another copy's article is from ("From the Westport Express.", "This article first
    appeared in ..."): the credit names where the story came from."""
    by_outlet = {_outlet_key(c.article.source): c.article.id for c in copies if c.article.source}
    found = []
    for copy in copies:
        for named in _named_outlets(copy.article.text):
            giver = by_outlet.get(named)
            if giver is not None and giver != copy.article.id:
                found.append((copy.article.id, giver))
                break
    return found


@lru_cache(maxsize=65_536)
def _named_outlets(text: str) -> tuple[str, ...]:
    """The outlets an article's text credits as where it took a story from (read once per text:
    an article is in many passages)."""
    return tuple(_outlet_key(m.group("outlet"))
                 for m in matches_at_line_starts(_FROM_OUTLET, text, 0, len(text), line_starts(text)))


def _pick(score: Mapping[str, float]) -> str | None:
    """The copy with the strictly highest score (None on a tie)."""
    ranked = sorted(score.items(), key=lambda kv: -kv[1])
    if len(ranked) < 2 or ranked[0][1] <= ranked[1][1] + 1e-9:
        return None
    return ranked[0][0]


def _edits(copies: list[_Copy], paragraphs: Mapping[str, Sequence[Paragraph]], settings: AttributeSettings,
           layouts: Layouts) -> tuple[list[tuple[str, Evidence]], dict[str, float]]:
    """One-way edits between each pair of copies, each with the article it points at as the original,
    and a score per article (+ for the original); the earliest publication once, as evidence (its
    weight is :func:`time_scores`'). Each edit is checked in both directions, word for word
    (:mod:`syndet.attribution.edits`)."""
    pieces: list[tuple[str, Evidence]] = []
    direction: dict[str, float] = defaultdict(float)

    def note(kind: str, original: _Copy, copy: _Copy, detail: str) -> None:
        pieces.append((original.article.id, Evidence(kind, copy.article.id, detail, copy.span)))
        direction[original.article.id] += 1.0
        direction[copy.article.id] -= 1.0

    lays = {c.article.id: layouts.get(c.article, paragraphs[c.article.id]) for c in copies}
    regions = {aid: lays[aid].range(c.begin, max(c.reach, c.span.end)) for aid, c in
               ((c.article.id, c) for c in copies)}
    dotted = {c.article.id: tuple(sorted({m.group(1) + m.group(2) for m in _DOTTED.finditer(c.text)}))
              for c in copies}
    for i, a in enumerate(copies):
        for b in copies[i + 1:]:
            for x, y in ((a, b), (b, a)):
                xid, yid = x.article.id, y.article.id
                for abbr in dotted[xid]:
                    spelt = f"{abbr[0]}.{abbr[1]}."
                    if spelt not in y.text and re.search(rf"\b{abbr}\b", y.text):
                        note("edit:abbreviation", x, y, f"“{spelt}” rewritten as “{abbr}” in {yid}")
                for edit in one_way_edits(lays[xid], regions[xid], lays[yid], regions[yid], xid, yid,
                                          settings.trim_min_words, _END_SLACK_WORDS):
                    note(edit.kind, x, y, edit.detail)
    first = _earliest_copy([c.article for c in copies])
    if first is not None:
        by_id = {c.article.id: c.article for c in copies}
        after = [c.article.id for c in copies if c.article.id != first and _moment(c.article.published)]
        pieces.append((first, Evidence("earliest", first, f"published {by_id[first].published}, before "
                                       + (f"{after[0]} ({by_id[after[0]].published})" if len(after) == 1
                                          else f"{len(after)} other copies with a date"))))
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


def _moment(value: str | None) -> tuple[datetime, bool] | None:
    """A publication time (:func:`syndet.duration.parse_time`) and whether it has a time of day (a
    date alone is a whole day)."""
    moment = parse_time(value)
    if moment is None or value is None:
        return None
    text = value.strip()
    return moment, len(text) > 10 and ("T" in text or " " in text)


def _gap_hours(a: tuple[datetime, bool], b: tuple[datetime, bool]) -> float:
    """Hours from ``a`` to ``b`` (positive when ``a`` is earlier); 0 when either is a date alone and
    both fall on the same day (a tie: the day says nothing about the order)."""
    if not (a[1] and b[1]):
        days = (b[0].date() - a[0].date()).days
        return 24.0 * days
    return (b[0] - a[0]).total_seconds() / 3600


def time_weight(hours: float, full_at: float) -> float:
    """How much one copy's being published ``hours`` before another counts towards its being the
    original: something for any gap, growing with the gap up to twice that at ``full_at`` hours and
    beyond; dates never stop counting."""
    if hours <= 0:
        return 0.0
    return TIME_WEIGHT * (1.0 + min(1.0, hours / max(full_at, 1e-9)))


def time_scores(articles: Sequence[Article], full_at: float) -> dict[str, float]:
    """Per article, the time signal: each pair of dated copies moves weight from the later to the
    earlier one (averaged over the pairs an article is in, so many copies do not add up)."""
    moments = {a.id: _moment(a.published) for a in articles}
    dated = [a.id for a in articles if moments[a.id] is not None]
    score: dict[str, float] = defaultdict(float)
    if len(dated) < 2:
        return score
    for i, x in enumerate(dated):
        for y in dated[i + 1:]:
            mx, my = moments[x], moments[y]
            assert mx is not None and my is not None
            gap = _gap_hours(mx, my)
            w = time_weight(abs(gap), full_at)
            if gap > 0:
                score[x] += w
                score[y] -= w
            elif gap < 0:
                score[y] += w
                score[x] -= w
    return {k: v / (len(dated) - 1) for k, v in score.items()}


def _earliest_copy(articles: Sequence[Article]) -> str | None:
    """The one article published strictly before every other dated copy, if there is one."""
    moments = [(a.id, _moment(a.published)) for a in articles]
    dated = [(aid, m) for aid, m in moments if m is not None]
    if len(dated) < 2:
        return None
    for aid, m in dated:
        if all(_gap_hours(m, other) > 0 for bid, other in dated if bid != aid):
            return aid
    return None
