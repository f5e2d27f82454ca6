"""The completion funnel of a round as a Plotly figure (no Streamlit, so tests and exports can use it)."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from capacity.charts import FONT, NEUTRAL
from capacity.i18n import format_number, format_percent, translator
from capacity.rounds.states import FUNNEL

_LABELS = dict(FUNNEL)


def funnel_figure(steps: Sequence[tuple[str, int]], lang: str) -> go.Figure:
    """Expected → started → submitted → under review → verified, with counts and shares of expected."""
    t = translator(lang)
    expected = steps[0][1] if steps else 0
    labels = [t(_LABELS[step]) for step, _ in steps]
    counts = [count for _, count in steps]
    shares = [
        f"{format_number(count, lang, 0)} ({format_percent(count / expected, lang)})"
        if expected
        else format_number(count, lang, 0)
        for count in counts
    ]
    figure = go.Figure(
        go.Funnel(
            y=labels,
            x=counts,
            text=shares,
            textinfo="text",
            marker={"color": NEUTRAL},
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    figure.update_layout(
        font={"family": FONT},
        height=300,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
    )
    return figure
