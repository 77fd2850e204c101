"""syndet: find the passages news articles share, say where each came from, filter duplicates.

The public API is re-exported here; everything else is internal and may change.
"""

from __future__ import annotations

from syndet.detector import Detector
from syndet.errors import ConfigError, IndexError_, InputError, SyndetError
from syndet.filter import Filter
from syndet.models import Alignment, Article, Attribution, Decision, Evidence, Paragraph, Passage, Span
from syndet.result import ScanResult
from syndet.settings import Settings

__version__ = "0.1.0"

__all__ = [
    "Alignment",
    "Article",
    "Attribution",
    "ConfigError",
    "Decision",
    "Detector",
    "Evidence",
    "Filter",
    "IndexError_",
    "InputError",
    "Paragraph",
    "Passage",
    "ScanResult",
    "Settings",
    "Span",
    "SyndetError",
    "__version__",
]
