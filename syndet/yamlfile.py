"""Read YAML (``yaml.safe_load`` rules) into plain data and the line of every key, with bounds.

Both the settings and the evidence catalogue need the line of each key, so that an error can name
``file:line``; this is the one place that reads them (front matter too). Every document is bounded
before it is built: its size, its nesting depth and the number of nodes it would have with every
alias expanded, so that no "billion laughs" alias bomb or deeply nested document can cost more than
a few MB or a fraction of a second.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from syndet.errors import ConfigError

MAX_BYTES = 1 << 20
"""Largest YAML document read (config files and catalogues are a few KB)."""
MAX_DEPTH = 64
"""Deepest nesting of mappings and lists allowed."""
MAX_NODES = 200_000
"""Most nodes a document may have once every alias is expanded."""


class YAMLBoundError(ValueError):
    """A YAML document that breaks a bound or cannot be built; the message says which."""


def load_bounded(text: str, max_bytes: int = MAX_BYTES, trusted: bool = False) -> tuple[Any, Any]:
    """Parse one YAML document within the bounds: its root node (for lines) and its data.

    A ``trusted`` document (one syndet ships) is read by libyaml when PyYAML has it, ten times
    faster (5 ms against 49 for the bundled catalogue); any other is read by PyYAML's own parser,
    whose nesting is bounded by Python's recursion limit rather than by the C stack.

    Raises:
        YAMLBoundError: The document is too large, too deep, expands to too many nodes, or holds
            a value that cannot be built (``2022-13-45`` as a date, an integer of thousands of digits).
        yaml.MarkedYAMLError: The text is not YAML (with the line of the problem).
    """
    import yaml  # kept out of `import syndet`

    if len(text) > max_bytes:
        raise YAMLBoundError(f"larger than {max_bytes // 1024} KB")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text) if trusted else yaml.SafeLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except RecursionError:
            raise YAMLBoundError("nested too deeply") from None
        if node is None:
            return None, None
        _bound(node)
        try:
            data = loader.construct_document(node)
        except yaml.YAMLError:
            raise
        except (ValueError, OverflowError, TypeError, RecursionError) as exc:
            raise YAMLBoundError(f"a value cannot be read: {str(exc).splitlines()[0][:200]}") from None
    finally:
        loader.dispose()
    return node, data


def _bound(root: Any) -> None:
    """Check depth and expanded size of a node graph (aliases are shared nodes: counted with a memo)."""
    import yaml

    sizes: dict[int, int] = {}
    depths: dict[int, int] = {}
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if key in sizes and not done:
            continue
        children: list[Any] = []
        if isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        if not done:
            sizes[key] = -1  # on the path: a node reached again before it is finished is a cycle
            stack.append((node, True))
            for child in children:
                if sizes.get(id(child)) == -1:
                    raise YAMLBoundError("a recursive alias")
                if id(child) not in sizes:
                    stack.append((child, False))
            continue
        size = 1 + sum(sizes[id(c)] for c in children)
        depth = 1 + max((depths[id(c)] for c in children), default=0)
        if size > MAX_NODES:
            raise YAMLBoundError(f"more than {MAX_NODES:,} values once its aliases are expanded")
        if depth > MAX_DEPTH:
            raise YAMLBoundError(f"nested more than {MAX_DEPTH} levels deep")
        sizes[key], depths[key] = size, depth


def read_mapping(path: Path, what: str, trusted: bool = False) -> tuple[dict[str, Any], dict[str, int]]:
    """Read a YAML file whose top level is a mapping.

    Args:
        path: The file.
        what: What the file is, for errors ("config file", "evidence catalogue").
        trusted: A file syndet ships (see :func:`load_bounded`).

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
        node, data = load_bounded(text, trusted=trusted)
    except YAMLBoundError as exc:
        raise ConfigError(f"{path}: {what} refused: {exc}") from None
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
