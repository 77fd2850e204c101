"""The ``syndet`` command line: thin wrappers that read options, call the library and print.

Library errors (:class:`~syndet.errors.SyndetError`) become one red line and an exit status in
:func:`syndet.cli.common.fail`, and nowhere else.
"""

from __future__ import annotations

from syndet.cli.main import main

__all__ = ["main"]
