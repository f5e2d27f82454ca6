"""Text from a file or a person, made safe to put inside Streamlit markdown (headings, messages)."""

from __future__ import annotations

_MARKDOWN = frozenset("\\`*_{}[]()#+-.!|<>~:$")


def plain(text: str) -> str:
    """`text` with every markdown and HTML character escaped, so it shows exactly as written."""
    return "".join("\\" + c if c in _MARKDOWN else c for c in text)
