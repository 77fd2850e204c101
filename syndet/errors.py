"""Exceptions raised by the library; the CLI turns each into one line and an exit code."""

from __future__ import annotations


class SyndetError(Exception):
    """Base class for every error syndet raises on purpose."""

    exit_code = 1


class ConfigError(SyndetError):
    """A configuration file or value is wrong; the message names the key and, if known, the line."""

    exit_code = 2


class InputError(SyndetError):
    """An article or input file cannot be used; the message names the file and, if known, the line."""

    exit_code = 3


class IndexError_(SyndetError):  # noqa: N801 - trailing underscore avoids shadowing the builtin
    """A persistent index cannot be opened, read or written."""

    exit_code = 4


class EngineError(SyndetError):
    """The engine that runs the stages (Spark, Java) cannot start or failed part-way."""

    exit_code = 5
