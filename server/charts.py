"""Charts as inline SVG, drawn on the server: no JavaScript, no CDN, readable in any browser.

One shape serves every chart on the pages: horizontal bars, one per category (a deadline year,
a region, a source), each split into coloured segments by series (target kinds), with a legend.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#76b7b2",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
    "#2f4b7c",
)
_ROW, _LABEL, _WIDTH = 26, 230, 760
_LABEL_CHARS = 34


def bar_chart(
    title: str,
    categories: Sequence[str],
    series: Mapping[str, Sequence[int]],
    *,
    unit: str = "target",
) -> str:
    """An SVG of stacked horizontal bars: ``series[name][i]`` is the segment of category ``i``.

    ``unit`` names one counted thing (an "s" is added for other counts).
    """
    totals = [sum(values[i] for values in series.values()) for i in range(len(categories))]
    largest = max(totals, default=0) or 1
    names = [name for name, values in series.items() if any(values)]
    legend_rows = (len(names) + 4) // 5
    height = 34 + _ROW * len(categories) + 22 * legend_rows + 10
    scale = (_WIDTH - _LABEL - 100) / largest
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {_WIDTH} {height}" width="{_WIDTH}" height="{height}" '
        f'aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="18" class="chart-title" font-weight="bold">{escape(title)}</text>',
    ]
    for i, category in enumerate(categories):
        y = 30 + i * _ROW
        parts.append(
            f'<text x="{_LABEL - 8}" y="{y + 16}" text-anchor="end" class="chart-label">'
            f"{escape(_short(category))}</text>"
        )
        x = float(_LABEL)
        for index, name in enumerate(series):
            value = series[name][i]
            if not value:
                continue
            width = value * scale
            colour = PALETTE[index % len(PALETTE)]
            parts.append(
                f'<rect class="bar" x="{x:.1f}" y="{y + 3}" width="{width:.1f}" height="{_ROW - 8}" '
                f'fill="{colour}"><title>{escape(category)}: {value} {escape(name)}</title></rect>'
            )
            x += width
        parts.append(
            f'<text x="{x + 6:.1f}" y="{y + 16}" class="chart-value">{totals[i]} {unit}'
            f"{'' if totals[i] == 1 else 's'}</text>"
        )
    top = 30 + len(categories) * _ROW + 8
    for n, name in enumerate(names):
        index = list(series).index(name)
        x, y = (n % 5) * 150, top + (n // 5) * 22
        parts.append(
            f'<rect x="{x}" y="{y}" width="14" height="14" fill="{PALETTE[index % len(PALETTE)]}"/>'
            f'<text x="{x + 20}" y="{y + 12}" class="chart-legend">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _short(label: str) -> str:
    return label if len(label) <= _LABEL_CHARS else label[: _LABEL_CHARS - 1] + "…"
