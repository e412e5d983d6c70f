"""A timeline as an SVG bar chart, laid out here and drawn by a template: no JavaScript, nothing fetched.

Bars are stacked per group when the timeline is split (the largest groups, the rest as
"other", as the CLI's chart shows them); each bar carries its period and count for the
tooltip and for tests.
"""

from __future__ import annotations

from dataclasses import dataclass

from archiver.reports.timeline import Timeline

WIDTH = 760
HEIGHT = 240
LEFT = 44  #: room for the count axis
BOTTOM = 36  #: room for the period labels
TOP = 10
#: At most this many period labels under the bars (every n-th when there are more).
MAX_LABELS = 12


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int  #: which group (0 when not split): its colour
    label: str  #: period, and group when split
    count: int


@dataclass
class Tick:
    x: float
    y: float
    text: str


@dataclass
class Chart:
    width: int
    height: int
    bars: list[Bar]
    labels: list[Tick]  #: periods, under the bars
    scale: list[Tick]  #: counts, left of the bars
    series: list[str]  #: group names in colour order (empty when not split)
    baseline: float


def bar_chart(timeline: Timeline) -> Chart:
    """The chart of a timeline's counts per period (stacked by group when split)."""
    plot_height = HEIGHT - TOP - BOTTOM
    groups = timeline.shown_groups() if timeline.split else {"": timeline.totals}
    periods = timeline.labels()
    peak = max(timeline.totals, default=0) or 1
    slot = (WIDTH - LEFT) / max(len(periods), 1)
    width = max(slot * 0.8, 1.0)
    baseline = TOP + plot_height
    bars: list[Bar] = []
    for i, period in enumerate(periods):
        stacked = 0
        for series, (name, counts) in enumerate(groups.items()):
            if not counts[i]:
                continue
            height = counts[i] / peak * plot_height
            top = baseline - stacked - height
            bars.append(Bar(LEFT + i * slot + (slot - width) / 2, top, width, height, series,
                            f"{period} {name}".strip(), counts[i]))
            stacked += height
    step = max(1, -(-len(periods) // MAX_LABELS))
    labels = [Tick(LEFT + i * slot + slot / 2, HEIGHT - BOTTOM / 2, period)
              for i, period in enumerate(periods) if i % step == 0]
    scale = [Tick(LEFT - 6, baseline - value / peak * plot_height, str(value)) for value in sorted({0, peak // 2, peak})]
    return Chart(WIDTH, HEIGHT, bars, labels, scale, [n for n in groups if n], baseline)
