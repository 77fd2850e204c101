"""The evidence catalogue (bundled as ``syndet/data/evidence.yaml``) and the signs it finds in one article.

The catalogue is data, not code, so that a user can add an agency without touching syndet: it is
read once into frozen :class:`Catalogue` records with every pattern compiled, and each problem is a
:class:`ConfigError` naming the file, the line and the entry. Signs are looked for in an article's
raw paragraphs, chrome included, because copyright lines and sign-offs are exactly what chrome
removal throws away.
"""

from __future__ import annotations

import hashlib
import importlib
import re
import sys
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from syndet.errors import ConfigError
from syndet.models import Article, Evidence, Paragraph, Span
from syndet.text.cache import Memo
from syndet.text.literals import Literals
from syndet.text.normalize import COMBINING_MARKS
from syndet.text.patterns import Pattern, PatternError
from syndet.yamlfile import bundled, read_mapping

# Python's own expression parser, to find the literals a pattern needs (a speed-up only: without it,
# as on a Python that moves it, every rule runs).
_sre_parser: Any
_sre_constants: Any
try:
    _sre_parser = importlib.import_module("re._parser")
    _sre_constants = importlib.import_module("re._constants")
except ImportError:  # pragma: no cover
    _sre_parser = _sre_constants = None

DEFAULT_CATALOGUE = bundled("evidence.yaml")
_NEWLINE = re.compile("\n")
SIGN_KINDS = ("dateline", "credit", "copyright", "signoff", "self_reference", "feed_notice", "press_phrase",
              "source_field", "republisher_mark")
_MOST_CHOICES = 3  # literals of an alternation a screen looks for (see Rule.screen)
_TEMPLATE_KINDS = ("dateline", "credit", "copyright", "self_reference")
_SOURCE_KEYS = {"name", "tags", "aliases", "datelines", "credits"}
_TOP_KEYS = {"weights", "templates", "agencies", "press_wires", "press_phrases", "signoffs", "feed_notices",
             "republisher_marks"}


@dataclass(frozen=True)
class Rule:
    """One compiled pattern and what a match means.

    Attributes:
        kind: Evidence kind a match produces (``dateline``, ``credit``, ...).
        origin: Agency or wire the match points to, or None (feed notices, press-release wording).
        origin_kind: ``agency`` or ``press_release``.
        pattern: The compiled expression.
        weight: How much one match counts towards ``origin``.
        needle: Text any match contains (the tag or alias), checked first because it is far cheaper.
        screen: Case-folded literals every match contains, each given as the choices one of
            which it holds (derived from the pattern; see :func:`required_choices`): an article
            whose folded text lacks every choice of one cannot match, so the expression is not run
            on it.
    """

    kind: str
    origin: str | None
    origin_kind: str
    pattern: Pattern
    weight: float
    needle: str | None = None

    @property
    def screen(self) -> tuple[tuple[str, ...], ...]:
        """Worked out on first use: most rules are passed over on their needle and never need it."""
        found: tuple[tuple[str, ...], ...] | None = self.__dict__.get("_screen")
        if found is None:
            found = kept_choices(self.pattern)
            if self.needle is not None or any(len(choice) == 1 for choice in found):
                # A rule gated on its tag or alias, or with a literal of its own, is screened well
                # enough; so is one whose alternations are long lists (weekdays, stock exchanges):
                # looking for every choice would cost more than running the rule.
                found = tuple(choice for choice in found if len(choice) == 1)
            else:
                found = tuple(choice for choice in found if len(choice) <= _MOST_CHOICES)
            object.__setattr__(self, "_screen", found)
        return found

    @property
    def scan(self) -> str | LineOpener | WordOpener | None:
        """How matches are looked for (worked out on first use; see :func:`matches`)."""
        if "_scan" not in self.__dict__:
            object.__setattr__(self, "_scan", kept_scan(self.pattern))
        found: str | LineOpener | WordOpener | None = self.__dict__["_scan"]
        return found


@dataclass(frozen=True)
class Source:
    """An agency or press-release wire known to the catalogue."""

    name: str
    kind: str
    tags: tuple[str, ...]
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Catalogue:
    """Every known origin and every compiled sign.

    Attributes:
        sources: Agencies and wires by name.
        datelines: Rules matched at the start of the leading paragraphs.
        rules: Rules matched anywhere, line by line.
        weights: Weight of each evidence kind.
    """

    sources: Mapping[str, Source]
    datelines: tuple[Rule, ...]
    rules: tuple[Rule, ...]
    weights: Mapping[str, float]

    @property
    def trusted(self) -> bool:
        """Whether every pattern is a bundled one (none runs with a time budget: see
        :mod:`syndet.workers` for why that matters)."""
        return all(rule.pattern.trusted for rule in (*self.datelines, *self.rules))

    def pattern_problems(self) -> list[str]:
        """What each pattern that was switched off for its cost said (see :mod:`syndet.text.patterns`)."""
        return [rule.pattern.problem for rule in (*self.datelines, *self.rules) if rule.pattern.problem]

    def origin_kind(self, name: str | None) -> str | None:
        """``agency`` or ``press_release`` for a known origin name."""
        source = self.sources.get(name) if name else None
        return source.kind if source else None

    def __post_init__(self) -> None:
        # Lookup tables derived once: every tag or alias a rule needs, found in a text in one pass,
        # and for each of them the rules (by number) of each kind that need it; folded names.
        needles = Literals(sorted({r.needle for r in (*self.datelines, *self.rules) if r.needle}))
        object.__setattr__(self, "_needles", needles)
        number = {needle: k for k, needle in enumerate(needles.items)}
        for attr, rules in (("_datelines", self.datelines), ("_rules", self.rules)):
            members: list[list[int]] = [[] for _ in needles.items]
            always = []
            for n, rule in enumerate(rules):
                if rule.needle is None:
                    always.append(n)
                elif rule.needle:
                    members[number[rule.needle]].append(n)
            object.__setattr__(self, attr + "_by_needle", tuple(map(tuple, members)))
            object.__setattr__(self, attr + "_always", tuple(always))
        object.__setattr__(self, "_screens", _ScreenLiterals())
        names: dict[str, str] = {}
        for source in reversed(tuple(self.sources.values())):  # the first source naming an alias wins
            for name in (source.name, *source.aliases):
                names[name.casefold()] = source.name
        object.__setattr__(self, "_names", names)

    def match_source_field(self, outlet: str | None) -> str | None:
        """The known origin an article's ``source`` field names, if any (an agency's own feed)."""
        names: dict[str, str] = self.__dict__["_names"]
        return names.get(outlet.strip().casefold()) if outlet else None

    def applicable(self, text: str) -> tuple[list[Rule], list[Rule]]:
        """The dateline rules and the other rules that can match ``text``, in catalogue order.

        A rule is passed over when its tag or alias is not in the text, or when one of the literals
        every match contains is not in the case-folded text: far cheaper than running it.
        """
        screen = _Screen(text, self.__dict__["_screens"])
        needles: Literals = self.__dict__["_needles"]
        held = np.flatnonzero(needles.found(text)).tolist()
        out: list[list[Rule]] = []
        for rules, attr in ((self.datelines, "_datelines"), (self.rules, "_rules")):
            by_needle: tuple[tuple[int, ...], ...] = self.__dict__[attr + "_by_needle"]
            picked = list(self.__dict__[attr + "_always"])
            for k in held:
                picked.extend(by_needle[k])
            out.append(screen.admitted(rules, sorted(picked)))
        return out[0], out[1]


def load_catalogue(path: Path | None = None, extra: Sequence[Path] = ()) -> Catalogue:
    """Read the catalogue and any user additions into compiled rules.

    Args:
        path: The main catalogue; the bundled catalogue (``syndet/data/evidence.yaml``) when None.
        extra: Files in the same layout; named entries replace or add, lists append.

    Returns:
        The compiled catalogue.

    Raises:
        ConfigError: A file cannot be read or parsed, a key is unknown or a pattern does not compile.
    """
    main = path or DEFAULT_CATALOGUE
    data, lines = _read(main)
    merged: dict[str, Any] = {k: v for k, v in data.items()}
    origins: dict[str, tuple[str, dict[str, int]]] = {}
    for key in ("agencies", "press_wires"):
        found = _entries(lines, key)
        for n, entry in enumerate(merged.get(key) or []):
            if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                origins[f"{key}:{entry['name']}"] = (str(main), found.get(str(n), {}))
    where_of: dict[str, tuple[str, dict[str, int]]] = {"": (str(main), lines)}
    items: dict[str, list[tuple[str, dict[str, int], int]]] = {}  # where each list item comes from
    for key, value in merged.items():
        if isinstance(value, list):
            items[key] = [(str(main), lines, n) for n in range(len(value))]
    for extra_path in extra:
        more, more_lines = _read(extra_path)
        for key, value in more.items():
            if key in ("agencies", "press_wires"):
                entries = list(merged.get(key) or [])
                found = _entries(more_lines, key)
                for n, entry in enumerate(_as_list(value, str(extra_path), more_lines, key)):
                    name = entry.get("name") if isinstance(entry, dict) else None
                    names = [e.get("name") if isinstance(e, dict) else None for e in entries]
                    if name in names:
                        entries[names.index(name)] = entry
                    else:
                        entries.append(entry)
                    origins[f"{key}:{name}"] = (str(extra_path), found.get(str(n), {}))
                merged[key] = entries
            elif key in ("weights", "templates"):
                base = dict(merged.get(key) or {})
                base.update(_as_map(value, str(extra_path), more_lines, key))
                merged[key] = base
                where_of[key] = (str(extra_path), more_lines)
            else:
                added = _as_list(value, str(extra_path), more_lines, key)
                items.setdefault(key, []).extend((str(extra_path), more_lines, n) for n in range(len(added)))
                merged[key] = list(merged.get(key) or []) + added
    return _build(merged, str(main), lines, origins, where_of, items)


def _read(path: Path) -> tuple[dict[str, Any], dict[str, int]]:
    data, lines = read_mapping(path, "evidence catalogue", trusted=_bundled(str(path)))
    for key in data:
        if key not in _TOP_KEYS:
            raise ConfigError(f"{_where(str(path), lines, str(key))}: unknown key '{key}' "
                              f"(known: {', '.join(sorted(_TOP_KEYS))})")
    return data, lines


def _entries(lines: Mapping[str, int], section: str) -> dict[str, dict[str, int]]:
    """The lines of each entry ``section.<n>``, by ``n``, keyed within the entry (``""`` for the
    entry itself, ``tags.0`` for ``section.<n>.tags.0``), all in one pass over the lines."""
    out: dict[str, dict[str, int]] = {}
    head = section + "."
    for key, line in lines.items():
        if key.startswith(head):
            n, dot, rest = key[len(head):].partition(".")
            out.setdefault(n, {})[rest if dot else ""] = line
    return out


def _where(origin: str, lines: Mapping[str, int], key: str) -> str:
    line = lines.get(key)
    return f"{origin}:{line}" if line else origin


def _as_list(value: Any, origin: str, lines: Mapping[str, int], key: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ConfigError(f"{_where(origin, lines, key)}: '{key}' must be a list")
    return value


def _as_map(value: Any, origin: str, lines: Mapping[str, int], key: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ConfigError(f"{_where(origin, lines, key)}: '{key}' must be a mapping")
    return value


def _strings(value: Any, origin: str, lines: Mapping[str, int], key: str) -> list[str]:
    items = _as_list(value, origin, lines, key)
    if not all(isinstance(v, str) and v for v in items):
        raise ConfigError(f"{_where(origin, lines, key)}: '{key}' must be a list of non-empty strings")
    return items


# Word boundaries that hold in every script: ``\b`` needs a word character on one side, so it fails
# after a Devanagari vowel sign or an Arabic diacritic (combining marks are not word characters).
BEFORE = f"(?<![\\w{COMBINING_MARKS}])"
AFTER = f"(?![\\w{COMBINING_MARKS}])"


def _fill(template: str, slot: str, value: str, raw: str) -> str:
    """A template with ``slot`` replaced by ``value`` (the pattern of the literal ``raw``), and the
    ``\b`` beside the slot by a boundary that holds in every script where ``raw`` starts or ends
    with a letter that is not ASCII (for ASCII the two are the same, and ``\b`` is cheaper)."""
    if not raw[:1].isascii():
        template = template.replace("\\b" + slot, BEFORE + slot)
    if not raw[-1:].isascii():
        template = template.replace(slot + "\\b", slot + AFTER)
    return template.replace(slot, value)


@lru_cache(maxsize=64)
def _bundled(origin: str) -> bool:
    """Whether a catalogue file is the bundled one (asked for each of its thousand patterns)."""
    return Path(origin) == DEFAULT_CATALOGUE


def _compile(pattern: str, flags: int, where: str, key: str, origin: str) -> Pattern:
    """A catalogue pattern; one from a file other than the bundled catalogue (``origin``) runs with a
    bounded cost."""
    try:
        return Pattern(pattern, flags | re.MULTILINE, trusted=_bundled(origin), where=f"{where}: {key}")
    except PatternError as exc:
        raise ConfigError(f"{where}: '{key}' has an {exc}") from None


def _build(data: Mapping[str, Any], main: str, lines: Mapping[str, int],
           origins: Mapping[str, tuple[str, dict[str, int]]],
           where_of: Mapping[str, tuple[str, dict[str, int]]],
           items: Mapping[str, list[tuple[str, dict[str, int], int]]]) -> Catalogue:
    w_origin, w_lines = where_of.get("weights", (main, dict(lines)))
    weights = {k: 1.0 for k in SIGN_KINDS}
    for key, value in _as_map(data.get("weights"), w_origin, w_lines, "weights").items():
        where = _where(w_origin, w_lines, f"weights.{key}")
        if key not in SIGN_KINDS:
            raise ConfigError(f"{where}: unknown key 'weights.{key}' (known: {', '.join(SIGN_KINDS)})")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise ConfigError(f"{where}: 'weights.{key}' must be a number of at least 0")
        weights[key] = float(value)
    t_origin, t_lines = where_of.get("templates", (main, dict(lines)))
    templates: dict[str, list[str]] = {}
    for key, value in _as_map(data.get("templates"), t_origin, t_lines, "templates").items():
        if key not in _TEMPLATE_KINDS:
            raise ConfigError(f"{_where(t_origin, t_lines, f'templates.{key}')}: unknown key 'templates.{key}' "
                              f"(known: {', '.join(_TEMPLATE_KINDS)})")
        templates[key] = _strings(value, t_origin, t_lines, f"templates.{key}")
    sources: dict[str, Source] = {}
    datelines: list[Rule] = []
    rules: list[Rule] = []
    for section, kind in (("agencies", "agency"), ("press_wires", "press_release")):
        for entry in _as_list(data.get(section), main, lines, section):
            name = entry.get("name") if isinstance(entry, dict) else None
            where_file, sub = origins.get(f"{section}:{name}", (main, {}))
            where = _where(where_file, sub, "")
            if not isinstance(entry, dict) or not isinstance(name, str) or not name:
                raise ConfigError(f"{where}: each entry of '{section}' must be a mapping with a 'name'")
            unknown = set(entry) - _SOURCE_KEYS
            if unknown:
                raise ConfigError(f"{where}: unknown key '{section}.{name}.{sorted(unknown)[0]}' "
                                  f"(known: {', '.join(sorted(_SOURCE_KEYS))})")
            tags = _strings(entry.get("tags"), where_file, sub, "tags")
            aliases = _strings(entry.get("aliases"), where_file, sub, "aliases")
            sources[name] = Source(name, kind, tuple(tags), tuple(aliases))
            key = f"{section}.{name}"
            for template in templates.get("dateline", []):
                for tag in tags:
                    datelines.append(Rule("dateline", name, kind, _compile(
                        _fill(template, "{tag}", re.escape(tag), tag), 0, where, key, where_file), weights["dateline"],
                        tag))
            for pattern in _strings(entry.get("datelines"), where_file, sub, "datelines"):
                datelines.append(Rule("dateline", name, kind, _compile(pattern, 0, where, key, where_file),
                                      weights["dateline"]))
            for sign in ("credit", "copyright", "self_reference"):
                for template in templates.get(sign, []):
                    for alias in aliases:
                        expr = _fill(template, "{alias}", f"(?-i:{re.escape(alias)})", alias)
                        rules.append(Rule(sign, name, kind, _compile(expr, re.IGNORECASE, where, key, where_file),
                                          weights[sign], alias))
            for pattern in _strings(entry.get("credits"), where_file, sub, "credits"):
                rules.append(Rule("credit", name, kind, _compile(pattern, re.IGNORECASE, where, key, where_file),
                                  weights["credit"]))

    def item(key: str, n: int) -> tuple[str, str]:
        """Where item ``n`` of the merged list ``key`` was written: (``file:line``, file)."""
        origin, item_lines, k = items[key][n] if n < len(items.get(key, ())) else (main, dict(lines), n)
        return _where(origin, item_lines, f"{key}.{k}"), origin

    for n, pattern in enumerate(_strings(data.get("press_phrases"), main, lines, "press_phrases")):
        where, origin = item("press_phrases", n)
        rules.append(Rule("press_phrase", None, "press_release", _compile(pattern, 0, where, "press_phrases", origin),
                          weights["press_phrase"]))
    for n, pattern in enumerate(_strings(data.get("republisher_marks"), main, lines, "republisher_marks")):
        where, origin = item("republisher_marks", n)
        rules.append(Rule("republisher_mark", None, "republished",
                          _compile(pattern, re.IGNORECASE, where, "republisher_marks", origin),
                          weights["republisher_mark"]))
    for n, pattern in enumerate(_strings(data.get("feed_notices"), main, lines, "feed_notices")):
        where, origin = item("feed_notices", n)
        rules.append(Rule("feed_notice", None, "agency",
                          _compile(pattern, re.IGNORECASE, where, "feed_notices", origin), weights["feed_notice"]))
    for n, entry in enumerate(_as_list(data.get("signoffs"), main, lines, "signoffs")):
        where, origin = item("signoffs", n)
        if not isinstance(entry, dict) or set(entry) - {"agency", "pattern", "weight"} \
                or not isinstance(entry.get("pattern"), str) or entry.get("agency") not in sources:
            raise ConfigError(f"{where}: each sign-off needs 'pattern' and a known 'agency' (and an optional "
                              "'weight')")
        weight = entry.get("weight", weights["signoff"])
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight < 0:
            raise ConfigError(f"{where}: 'signoffs.{n}.weight' must be a number of at least 0")
        agency = str(entry["agency"])
        rules.append(Rule("signoff", agency, sources[agency].kind,
                          _compile(entry["pattern"], 0, where, f"signoffs.{n}", origin), float(weight)))
    return Catalogue(sources, tuple(datelines), tuple(rules), weights)


@dataclass(frozen=True)
class Sign:
    """A piece of evidence found in an article and how much it counts."""

    evidence: Evidence
    weight: float


def required_choices(pattern: Pattern | re.Pattern[str], shortest: int = 3) -> tuple[tuple[str, ...], ...]:
    """What every match of ``pattern`` contains, as choices of case-folded literal text: each
    match holds at least one literal of each choice.

    A run of literal text in the pattern's main sequence (or in a group that is a plain sequence)
    is a choice of one. An alternation there whose every branch holds such a run gives a choice of
    one run per branch, the longest: ``(?:ТАСС|TASS)`` gives ``("тасс", "tass")``. ASCII runs
    shorter than ``shortest`` screen out too little to be worth it; a run beyond ASCII ("©",
    "中新") is rare enough in any text to count from one character. Single runs come first,
    longest first, then the alternations.
    """
    parsed = _parsed(pattern.pattern, pattern.flags)
    if parsed is None:  # pragma: no cover - it compiled, so it parses (or this Python moved the parser)
        return ()
    runs, choices = _literal_runs(parsed, shortest)
    singles = sorted({_screen_fold(r) for r in runs}, key=len, reverse=True)
    plural = {tuple(dict.fromkeys(_screen_fold(r) for r in choice)) for choice in choices}
    return tuple((r,) for r in singles) + tuple(sorted(c for c in plural if not set(c) & set(singles)))


_NOTES_FORMAT = 1
"""Version of what :data:`_NOTES` holds: raised whenever the screens or the scans are worked out
differently, so that answers kept by an earlier syndet are not read."""
_NOTES = Memo("patterns", f"{_NOTES_FORMAT}|{sys.version}")  # the parser is Python's: its version counts


def _note_key(what: str, pattern: Pattern | re.Pattern[str]) -> str:
    trusted = getattr(pattern, "trusted", True)
    return what + hashlib.blake2b(f"{pattern.pattern}\x00{pattern.flags}\x00{trusted}".encode(),
                                  digest_size=12).hexdigest()


def kept_choices(pattern: Pattern | re.Pattern[str]) -> tuple[tuple[str, ...], ...]:
    """:func:`required_choices`, kept between runs in the cache folder (:class:`syndet.text.cache.Memo`):
    parsing a pattern costs a millisecond, and a stream's first checks need a few hundred."""
    key = _note_key("c", pattern)
    kept = _NOTES.get(key)
    if isinstance(kept, list) and all(isinstance(choice, list) and choice and all(
            isinstance(literal, str) and literal for literal in choice) for choice in kept):
        return tuple(tuple(choice) for choice in kept)
    found = required_choices(pattern)
    _NOTES.put(key, [list(choice) for choice in found])
    return found


def kept_scan(pattern: Pattern | re.Pattern[str]) -> str | LineOpener | WordOpener | None:
    """:func:`scan_strategy`, its choice kept between runs as :func:`kept_choices` is (the
    expressions are built from the pattern's text and compiled here; a kept choice that does not
    fit the pattern is worked out again)."""
    key = _note_key("s", pattern)
    kept = _NOTES.get(key)
    if isinstance(kept, list) and kept:
        try:
            return _scan_from(pattern, kept)
        except (ValueError, TypeError, re.error, RecursionError, OverflowError):
            pass
    recipe = scan_recipe(pattern)
    _NOTES.put(key, recipe)
    return _scan_from(pattern, recipe)


def _literal_runs(items: Any, shortest: int) -> tuple[list[str], list[tuple[str, ...]]]:
    """The runs of literal text of a parsed sequence that are long enough to screen with, and the
    alternations of it whose every branch holds one (the longest run of each branch)."""
    runs: list[str] = []
    choices: list[tuple[str, ...]] = []
    current: list[str] = []

    def close() -> None:
        run = "".join(current)
        current.clear()
        if len(run) >= shortest or (run and not run.isascii()):
            runs.append(run)

    def walk(items: Any) -> None:
        for op, arg in items:
            if op is _sre_constants.LITERAL:
                current.append(chr(arg))
            elif op is _sre_constants.SUBPATTERN:  # a group is matched whole, in sequence
                walk(arg[3])
            else:
                close()
                if op is _sre_constants.BRANCH:
                    picks = []
                    for branch in arg[1]:
                        held = _literal_runs(branch, shortest)[0]
                        if not held:
                            break
                        picks.append(max(held, key=len))
                    else:
                        choices.append(tuple(picks))

    walk(items)
    close()
    return runs, choices


def _screen_fold(text: str) -> str:
    """Text case-folded as the screen compares it: ``casefold`` and the dotless i as an i (``re``
    ignoring case matches "ı" for "i", which ``casefold`` keeps apart)."""
    folded = text.casefold()
    return folded.replace("\u0131", "i") if "\u0131" in folded else folded


LINES = "lines"
"""A :attr:`Rule.scan`: every match starts a line (the pattern opens with ``^``)."""


@dataclass(frozen=True)
class LineOpener:
    """A :attr:`Rule.scan` for a bundled pattern opening with ``^``: the pattern with a newline in
    place of its ``^``, which ``re`` finds by that newline in one search over a range instead of
    one match call per line; each place found is then matched by the pattern itself."""

    opener: re.Pattern[str]


@dataclass(frozen=True)
class WordOpener:
    """A :attr:`Rule.scan` for a bundled pattern opening with ``\\b`` and a letter: the same pattern
    with the boundary checked after that letter (a look-behind), so that it opens with a literal,
    which ``re`` searches for quickly, and every match is found in one call over a range."""

    pattern: re.Pattern[str]
    tail: re.Pattern[str] | None = None
    """What follows the opening word, from the first literal character on (``\\(`` after
    ``\\b(?:Monday|...)\\s*``), when that is not a letter: every match holds a match of it, and
    ``re`` finds a rare character far more quickly than every place a common letter opens a word,
    so a text without one is passed over at once."""


_OPENING_CARET = re.compile(r"(?:\(\?[aiLmsux]+\))*\^")


def scan_strategy(pattern: Pattern | re.Pattern[str]) -> str | LineOpener | WordOpener | None:
    """How :func:`matches` looks for a pattern's matches, from the way it opens.

    - ``^`` (the patterns are multi-line): only where a line starts; a bundled pattern's line starts
      found by their newline (:class:`LineOpener`), a user's one by one (:data:`LINES`);
    - ``\\b`` then a letter or digit, in a bundled pattern: the boundary checked after that
      character (:class:`WordOpener`), which ``re`` then finds by its leading literal instead of
      trying every position;
    - anything else, None: the pattern runs as it is.
    """
    return _scan_from(pattern, scan_recipe(pattern))


def scan_recipe(pattern: Pattern | re.Pattern[str]) -> list[Any]:
    """Which :func:`scan_strategy` a pattern takes, as JSON: ``["none"]``, ``["lines"]``,
    ``["line"]``, or ``[opening, group end, group width, tail]`` for a :class:`WordOpener`, the
    opening ``word``, ``words`` or ``group`` (the end and width only for a group) and whether a
    :attr:`WordOpener.tail` screens it. The pattern is parsed here; the strategy is then built from
    its text alone (:func:`_scan_from`)."""
    parsed = _parsed(pattern.pattern, pattern.flags)
    if parsed is None:  # pragma: no cover - it compiled, so it parses (or this Python moved the parser)
        return ["none"]
    if not parsed or parsed[0][0] is not _sre_constants.AT:
        return ["none"]
    trusted = getattr(pattern, "trusted", True)
    source = pattern.pattern
    if parsed[0][1] is _sre_constants.AT_BEGINNING and pattern.flags & re.MULTILINE:
        return ["line"] if trusted and _OPENING_CARET.match(source) else ["lines"]
    if not (trusted and parsed[0][1] is _sre_constants.AT_BOUNDARY and len(parsed) > 1 and source.startswith("\\b")):
        return ["none"]
    if (parsed[1][0] is _sre_constants.LITERAL and len(source) > 2 and chr(parsed[1][1]) == source[2]
            and re.fullmatch(r"\w", source[2], pattern.flags & re.ASCII)):
        return ["word", 0, 0, _tail_source(source[3:], pattern.flags) is not None]
    words = _word_choice(source, pattern.flags)
    if words is not None:
        return ["words", 0, 0, _tail_source(source[words.end():], pattern.flags) is not None]
    group = _literal_group(source, parsed[1])
    if group is not None and re.fullmatch(r"\w", chr(parsed[1][1][3][0][1]), pattern.flags & re.ASCII):
        return ["group", group, len(parsed[1][1][3]), _tail_source(source[group:], pattern.flags) is not None]
    return ["none"]


def _word_choice(source: str, flags: int) -> re.Match[str] | None:
    """``\\b(?:word|word...)`` opening a pattern, each word opening with a letter, when the
    alternation can be looked for by its first letters (:func:`_scan_from`)."""
    words = _WORD_CHOICE.match(source)
    if (words is not None and flags & re.IGNORECASE and not flags & re.VERBOSE
            and "\\|" not in words.group(1) and not source.startswith(_QUANTIFIERS, words.end())
            and not any(w[1:2] and w[1] in _QUANTIFIERS for w in words.group(1).split("|"))):
        return words
    return None


def _scan_from(pattern: Pattern | re.Pattern[str], recipe: list[Any]) -> str | LineOpener | WordOpener | None:
    """The strategy :func:`scan_recipe` chose, built from the pattern's text.

    Raises:
        ValueError: The recipe does not fit the pattern (one read back from a damaged file).
    """
    source, flags = pattern.pattern, pattern.flags
    how = recipe[0]
    if how == "none":
        return None
    if how == "lines":
        return LINES
    if not getattr(pattern, "trusted", True):  # a user's pattern runs only through its own time budget
        raise ValueError("a user's pattern is not rewritten")
    if how == "line":
        caret = _OPENING_CARET.match(source)
        if caret is None or not flags & re.MULTILINE:
            raise ValueError("not a pattern opening with ^")
        return LineOpener(re.compile(source[:caret.end() - 1] + "\\n" + source[caret.end():], flags))
    _, group, width, tail = recipe
    if not source.startswith("\\b") or len(source) < 3:
        raise ValueError("not a pattern opening with \\b")
    if how == "word":
        # \b before a word character: the character before it is not one (or there is none).
        rest = source[3:]
        opener = source[2] + r"(?<!\w[\s\S])" + rest
    elif how == "words":
        # \b before one of several words, each opening with a letter: the letters, in every case
        # ``re`` folds them to, looked for at once (a class in a group without IGNORECASE, which re
        # scans for quickly), the boundary and each word's own letter checked after it.
        words = _word_choice(source, flags)
        if words is None:
            raise ValueError("not a pattern opening with a choice of words")
        choices = words.group(1).split("|")
        letters = "".join(sorted({v for w in choices for v in _case_variants(w[0], flags)}))
        rest = source[words.end():]
        opener = f"(?-i:[{letters}])(?<!\\w[\\s\\S])(?:" + "|".join(f"(?<={w[0]}){w[1:]}" for w in choices) + ")" + rest
    elif how == "group" and isinstance(group, int) and isinstance(width, int) and 2 < group <= len(source) \
            and source[group - 1] == ")" and 0 < width < group:
        # \b before a group of literal text (an agency's name, case kept) opening with a word
        # character: the same check, made after the whole name, so that re searches for the name.
        rest = source[group:]
        opener = source[2:group] + rf"(?<!\w[\s\S]{{{width}}})" + rest
    else:
        raise ValueError(f"unknown scan {recipe!r}")
    tail_source = _tail_text(rest) if tail else None
    return WordOpener(re.compile(opener, flags), re.compile(tail_source, flags) if tail_source else None)


_SPACES = re.compile(r"(?:\\s[*+?]?)*")
_BACK_REFERENCE = re.compile(r"\\[1-9]|\(\?P=")


def _tail_source(rest: str, flags: int) -> str | None:
    """:attr:`WordOpener.tail` for what follows a pattern's opening word (``rest``): the rest from
    its first character on when, past white space, it opens with a literal character that is not a
    letter, digit or space. ``rest`` is the remainder of the pattern's main sequence (and any
    further top-level alternatives, which the tail then keeps too), so every match of the pattern
    holds a match of the tail, later in the text."""
    tail = _tail_text(rest)
    if tail is None:
        return None
    parsed = _parsed(tail, flags)  # None for a part of a pattern that does not stand alone
    if not parsed or parsed[0][0] is not _sre_constants.LITERAL or chr(parsed[0][1]).isalnum() \
            or chr(parsed[0][1]).isspace():
        return None
    return tail


def _tail_text(rest: str) -> str | None:
    """The rest past its white space, when it holds no back reference (a tail stands alone)."""
    rest = rest[_SPACES.match(rest).end():]  # type: ignore[union-attr]  # matches the empty string
    return rest if rest and not _BACK_REFERENCE.search(rest) else None


@lru_cache(maxsize=256)
def _parsed(source: str, flags: int) -> tuple[Any, ...] | None:
    """A pattern's top-level items as Python's expression parser reads them, or None when it does
    not parse: parsed once for both the screen and the scan of a rule (to be read, never changed).
    A rule's scan is worked out soon after its screen, so the last few hundred are enough; the
    whole catalogue's trees would hold some 14 MB."""
    if _sre_parser is None:  # pragma: no cover
        return None
    try:
        return tuple(_sre_parser.parse(source, flags))
    except Exception:  # never let a speed-up fail a run
        return None


_WORD_CHOICE = re.compile(r"\\b\(\?:([A-Za-z][^|()\[\]]*(?:\|[A-Za-z][^|()\[\]]*)+)\)")
_QUANTIFIERS = ("*", "+", "?", "{")
_FOLDED_TOO = {"i": "\u0130\u0131", "k": "\u212a", "s": "\u017f"}  # what else re matches for them, case ignored


def _case_variants(letter: str, flags: int) -> str:
    """Every character an ASCII letter matches with IGNORECASE (and ``flags``)."""
    extra = "" if flags & re.ASCII else _FOLDED_TOO.get(letter.lower(), "")
    return letter.lower() + letter.upper() + extra


_FLAG_GROUP = re.compile(r"\(\?(?:[aiLmsux]*(?:-[imsx]+)?):")


def _literal_group(source: str, item: Any) -> int | None:
    """Where the group opening ``source`` after its ``\\b`` ends, when it is a group with inline
    flags and no number (``(?-i:...)``) holding only literal text; else None (``re`` reads a plain
    ``(?:...)`` of literals as the literals themselves)."""
    if item[0] is not _sre_constants.SUBPATTERN or item[1][0] is not None or not item[1][3] \
            or any(op is not _sre_constants.LITERAL for op, _ in item[1][3]):
        return None
    opening = _FLAG_GROUP.match(source, 2)
    if opening is None:
        return None
    k = opening.end()
    while k < len(source):
        ch = source[k]
        if ch == "\\":
            k += 2
        elif ch in "[(|":  # a class or a group of one character: not read here
            return None
        elif ch == ")":
            return k + 1
        else:
            k += 1
    return None


def matches(rule: Rule, text: str, lo: int, hi: int, line_starts: Sequence[int]) -> Iterator[re.Match[str]]:
    """``rule.pattern.finditer(text, lo, hi)``, the same matches found with less work (:attr:`Rule.scan`).

    Args:
        line_starts: Where each line of ``text`` starts (0 and after each newline), in order.
    """
    how = rule.scan
    if how is None:
        yield from rule.pattern.finditer(text, lo, hi)
    elif isinstance(how, WordOpener):
        if how.tail is None or how.tail.search(text, lo, hi) is not None:
            yield from how.pattern.finditer(text, lo, hi)
    elif isinstance(how, LineOpener):
        yield from _line_matches(rule.pattern, how.opener, text, lo, hi)
    elif how == LINES:
        yield from matches_at_line_starts(rule.pattern, text, lo, hi, line_starts)


def matches_at_line_starts(pattern: Pattern | re.Pattern[str], text: str, lo: int, hi: int,
                           line_starts: Sequence[int]) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text, lo, hi)`` for a pattern that can only match at a line start
    (``^`` in multi-line mode): tried at the line starts in ``[lo, hi]`` only (:func:`line_starts`)."""
    end = lo
    for k in range(bisect_left(line_starts, lo), len(line_starts)):
        at = line_starts[k]
        if at > hi:  # a line starting at hi still holds an empty match, as finditer finds
            break
        if at < end:  # inside the last match, where finditer does not look again
            continue
        m = pattern.match(text, at, hi)
        if m:
            yield m
            end = m.end()


def _line_matches(pattern: Pattern, opener: re.Pattern[str], text: str, lo: int, hi: int
                  ) -> Iterator[re.Match[str]]:
    """The matches of a ``^`` pattern at the line starts in ``[lo, hi]``, as :data:`LINES` finds
    them (none starting inside the last one), the lines after the first found by ``opener``."""
    if lo > hi:
        return
    end = lo
    if lo == 0 or text[lo - 1] == "\n":
        m = pattern.match(text, lo, hi)
        if m:
            yield m
            end = m.end()
    newline = max(lo, end - 1)  # where to look for the newline before the next line start to try
    while True:
        found = opener.search(text, newline, hi)
        if found is None:
            return
        at = found.start() + 1
        m = pattern.match(text, at, hi)
        if m:  # always: the opener matched the same pattern at the same place
            yield m
            end = m.end()
        newline = max(at, end - 1)


def line_starts(text: str) -> list[int]:
    """Where each line of ``text`` starts: 0 and the place after each newline."""
    return [0, *(m.end() for m in _NEWLINE.finditer(text))]


class _ScreenLiterals:
    """The literals screens have asked for so far, as one :class:`Literals` (a rule's screen is
    worked out the first time it is needed, so the set grows over the first articles and then
    stays as it is)."""

    def __init__(self) -> None:
        self.known = Literals(())
        self._asked: list[str] = []

    def current(self) -> Literals:
        if self._asked:
            self.known = Literals((*self.known.items, *self._asked))
            self._asked = []
        return self.known

    def ask(self, literal: str) -> None:
        self._asked.append(literal)


class _Screen:
    """Whether the literals a rule needs are in one text: all the literals screens ask for, found
    in one pass over the case-folded text when the first is asked for (one not asked for before is
    looked up alone, and found in the pass from the next text on)."""

    def __init__(self, text: str, literals: _ScreenLiterals) -> None:
        self._text = text
        self._literals = literals
        self._found: tuple[str, Literals, set[str]] | None = None  # folded text, literals, those it holds

    def admitted(self, rules: Sequence[Rule], picked: Iterable[int]) -> list[Rule]:
        """The rules numbered ``picked`` (in order) that the text holds a literal of each choice of
        (:attr:`Rule.screen`), in one loop (it runs for some fifty rules an article)."""
        out = []
        for n in picked:
            rule = rules[n]
            for choice in rule.screen:
                if not any(map(self._has, choice)):
                    break
            else:
                out.append(rule)
        return out

    def _has(self, literal: str) -> bool:
        if self._found is None:
            folded = _screen_fold(self._text)
            known = self._literals.current()
            self._found = (folded, known, {known.items[k] for k in np.flatnonzero(known.found(folded)).tolist()})
        folded, known, held = self._found
        if literal in held:
            return True
        if literal in known:
            return False
        self._literals.ask(literal)
        return literal in folded


def article_signs(article: Article, paragraphs: Sequence[Paragraph], catalogue: Catalogue,
                  lead_paragraphs: int) -> tuple[Sign, ...]:
    """Every sign the catalogue finds in one article, in text order, one per rule and place; a
    credit line naming several agencies is one sign naming none (:func:`_joint_credits`).

    Args:
        article: The article, whose raw text is searched.
        paragraphs: Its paragraphs, chrome included (signs often live in chrome); the rest of the
            text from the first paragraph on is searched line by line.
        catalogue: The compiled catalogue.
        lead_paragraphs: Datelines are only looked for at the start of this many paragraphs.

    Returns:
        The signs, each with the span it was seen at, the origin it points to and its weight.
    """
    text = article.text
    datelines, rules = catalogue.applicable(text)
    found: dict[tuple[str, str | None, int], Sign] = {}
    starts = line_starts(text) if rules else []
    for para in paragraphs[:lead_paragraphs]:
        for rule in datelines:
            m = rule.pattern.match(text, para.start, para.end)
            if m:
                _keep(found, rule, article.id, text, m.start(), m.end())
    start = paragraphs[0].start if paragraphs else article.body_start
    whole: tuple[tuple[int, int], ...] = ((start, len(text)),)
    regions: dict[str, tuple[tuple[int, int], ...]] = {}
    for rule in rules:
        if rule.needle is None:
            where = whole
        elif rule.needle in regions:
            where = regions[rule.needle]
        else:  # a rule naming a tag or alias can only match in a paragraph holding it
            where = regions[rule.needle] = _holding(text, rule.needle, paragraphs, start)
        for lo, hi in where:
            for m in matches(rule, text, lo, hi, starts):
                _keep(found, rule, article.id, text, m.start(), m.end())
    _joint_credits(found)
    own = catalogue.match_source_field(article.source)
    out = sorted(found.values(), key=lambda s: (_start(s), s.evidence.kind))
    if own:
        out.insert(0, Sign(Evidence("source_field", article.id, f"source: {article.source}", None, own),
                           catalogue.weights["source_field"]))
    return tuple(out)


def _holding(text: str, needle: str, paragraphs: Sequence[Paragraph], start: int) -> tuple[tuple[int, int], ...]:
    """The paragraphs (from ``start`` on) whose text holds ``needle``, as (start, end) ranges."""
    out: list[tuple[int, int]] = []
    k, pos = 0, text.find(needle, start)
    while pos >= 0 and k < len(paragraphs):
        para = paragraphs[k]
        if para.end < pos + len(needle):
            k += 1
        elif para.start <= pos:
            out.append((max(para.start, start), para.end))
            k += 1
            pos = text.find(needle, para.end)
        else:  # between paragraphs or across the start of one: look again from its start
            pos = text.find(needle, para.start)
    return tuple(out)


def _start(sign: Sign) -> int:
    """Where a sign was seen (-1 for one with no place)."""
    return sign.evidence.span.start if sign.evidence.span else -1


def _joint_credits(found: dict[tuple[str, str | None, int], Sign]) -> None:
    """Make the credits of one line to several agencies one credit to none, of no weight: such a
    line ("This report contains material from Reuters and AFP", "With inputs from AP and
    Reuters") is an outlet's note on a story it put together from their reports, which says the
    text is the outlet's and credits no one agency with it. The sign kept is the one seen first."""
    lines: dict[int, list[tuple[str, str | None, int]]] = {}
    for key in found:
        if key[0] == "credit" and key[1] is not None:
            lines.setdefault(key[2], []).append(key)
    for line, keys in lines.items():
        if len({origin for _, origin, _ in keys}) > 1:
            first = min(keys, key=lambda k: _start(found[k]))
            joint = replace(found[first].evidence, agency=None)
            for key in keys:
                del found[key]
            found[("credit", None, line)] = Sign(joint, 0.0)


def _keep(found: dict[tuple[str, str | None, int], Sign], rule: Rule, article_id: str, text: str,
          start: int, end: int) -> None:
    line_start = text.rfind("\n", 0, start) + 1
    key = (rule.kind, rule.origin, line_start)
    if key in found:
        return
    line_end = text.find("\n", end)
    line = text[line_start: line_end if line_end >= 0 else len(text)].strip()
    detail = line if len(line) <= 120 else text[start:end].strip()[:120]
    found[key] = Sign(Evidence(rule.kind, article_id, detail, Span(article_id, start, end), rule.origin), rule.weight)
