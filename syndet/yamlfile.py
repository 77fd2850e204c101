"""Read a YAML file (``yaml.safe_load`` rules) into plain data and the line of every key.

Both the settings and the evidence catalogue need the line of each key, so that an error can name
``file:line``; this is the one place that reads them.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from syndet.errors import ConfigError


def read_mapping(path: Path, what: str) -> tuple[dict[str, Any], dict[str, int]]:
    """Read a YAML file whose top level is a mapping.

    Args:
        path: The file.
        what: What the file is, for errors ("config file", "evidence catalogue").

    Returns:
        The data (empty for an empty file) and the 1-based line of each key, by dotted path
        (``verify.min_passage_words``; list items by index: ``agencies.0.name``).

    Raises:
        ConfigError: The file is missing, unreadable, not YAML, or not a mapping.
    """
    import yaml  # kept out of `import syndet`

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: {what} not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read {what}: {exc}") from None
    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else {}
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise ConfigError(f"{where}: invalid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: invalid YAML: {exc}") from None
    if data is None:
        return {}, {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1: the top level of the {what} must be a mapping of keys, not "
                          f"{type(data).__name__}")
    lines: dict[str, int] = {}
    _collect(node, "", lines)
    return data, lines


def _collect(node: Any, prefix: str, lines: dict[str, int]) -> None:
    import yaml

    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = f"{prefix}{key_node.value}"
            lines[key] = key_node.start_mark.line + 1
            _collect(value_node, key + ".", lines)
    elif isinstance(node, yaml.SequenceNode):
        for n, item in enumerate(node.value):
            key = f"{prefix}{n}"
            lines[key] = item.start_mark.line + 1
            _collect(item, key + ".", lines)


def bundled(name: str) -> Path:
    """A YAML file shipped inside the package (``syndet/data/``): the default catalogue and the
    commented default configuration, found wherever the package is installed."""
    return Path(str(resources.files("syndet").joinpath("data", name)))
