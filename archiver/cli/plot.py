"""Timeline charts (``archiver timeline --plot``), drawn with matplotlib (the ``plot`` extra)."""

from __future__ import annotations

from pathlib import Path

from archiver.cli.output import timeline_summary
from archiver.errors import ArchiverError
from archiver.reports.timeline import Timeline

PLOT_FORMATS = (".png", ".svg")


def plot_timeline(timeline: Timeline, out: Path) -> None:
    """Draw the timeline as (stacked) bars into a PNG or SVG file, chosen by extension."""
    if out.suffix.lower() not in PLOT_FORMATS:
        raise ArchiverError(f"--plot: cannot tell the format of {out.name!r}; end the file name with .png or .svg")
    if not timeline.starts:
        raise ArchiverError("nothing to plot: no dated article matches")
    try:
        import matplotlib
    except ImportError:
        raise ArchiverError("--plot needs matplotlib: pip install 'news-archiver[plot]'") from None
    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    fig, ax = plt.subplots(figsize=(11, 5.5), dpi=100)
    try:
        positions = range(len(timeline.starts))
        if timeline.split:
            bottom = [0] * len(timeline.starts)
            for name, counts in timeline.shown_groups().items():
                ax.bar(positions, counts, bottom=bottom, label=name, width=0.85)
                bottom = [b + c for b, c in zip(bottom, counts)]
            ax.legend(title=timeline.split, fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1))
        else:
            ax.bar(positions, timeline.totals, width=0.85, color="#2f6690")
        labels = timeline.labels()
        step = max(1, len(labels) // 24)
        ax.set_xticks(list(positions)[::step], labels[::step], rotation=60, ha="right", fontsize="small")
        ax.set_xlim(-0.6, len(labels) - 0.4)
        date_name = "Fetch date" if timeline.date_field == "fetched_at" else "Publication date"
        ax.set_xlabel(f"{date_name} ({timeline.period})")
        ax.set_ylabel(f"Articles per {timeline.period}")
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.grid(axis="y", alpha=0.3)
        ax.set_title(f"Archived articles per {timeline.period}" + (f" by {timeline.split}" if timeline.split else ""))
        fig.text(0.01, 0.01, f"Query: {timeline.query or '(all articles)'} — {timeline_summary(timeline)}",
                 fontsize="small", color="#444444")
        fig.tight_layout(rect=(0, 0.04, 1, 1))
        try:
            fig.savefig(out, format=out.suffix.lower()[1:])
        except OSError as exc:
            raise ArchiverError(f"cannot write {out}: {exc.strerror or exc}") from None
    finally:
        plt.close(fig)
