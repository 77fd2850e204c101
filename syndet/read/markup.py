"""Text out of HTML fragments (feed items, table cells holding markup): block elements become
paragraphs, character references are decoded, scripts and styles dropped. Whole pages go through
:mod:`syndet.read.html` instead, which also removes the page's chrome."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure",
    "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "ol", "p", "pre", "section",
    "table", "td", "th", "tr", "ul",
})
_SKIPPED = frozenset({"script", "style", "noscript", "template", "iframe", "svg", "head"})
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9:-]*[\s/>]|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skip += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def looks_like_markup(text: str) -> bool:
    """Whether a string holds HTML tags or character references (and so needs :func:`html_to_text`)."""
    return _MARKUP.search(text) is not None


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment, one paragraph per block, paragraphs separated by a blank line."""
    parser = _Text()
    parser.feed(fragment)
    parser.close()
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parser.parts).split("\n"))
    return "\n\n".join(line for line in lines if line)
