"""A row of tiles: the library's `dashboard.Tile`s side by side, each a bordered metric."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from capacity.dashboard import Tile


def tile_row(tiles: Sequence[Tile]) -> None:
    """One column per tile, in order; a tile's help and change show only when it has them."""
    for column, tile in zip(st.columns(len(tiles)), tiles, strict=True):
        column.metric(tile.label, tile.value, delta=tile.delta, help=tile.help, border=True)
