"""The report's charts drawn with matplotlib (Agg, no display): one
`render_<kind>` per Panel kind, and `render_chart`, a Chart's panels laid
out in one figure, as PNG bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import math
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from .specs import Chart, Panel, source_order, strategy_order

DPI = 100
PALETTE = ("#1f4e79", "#c0504d", "#9bbb59", "#8064a2", "#f79646", "#4bacc6", "#7f7f7f")
ACCENT = "#c0504d"


def _fmt(value: float, fmt: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if fmt == "share":
        return _share(value)
    if fmt == "float":
        return f"{value:.4f}"
    return _short_count(value)


def _share(value: float) -> str:
    """A share as a percentage, with more decimals when it is small but not 0."""
    if value == 0 or abs(value) >= 0.001:
        return f"{value:.1%}"
    return f"{value:.2%}" if abs(value) >= 0.0001 else f"{value:.3%}"


def _short_count(value: float) -> str:
    value = float(value)
    if abs(value) >= 1e6:
        return f"{value / 1e6:.3g}M"
    if abs(value) >= 1e5:
        return f"{value / 1e3:.0f}k"
    return f"{value:,.0f}"


def _axis_formatter(fmt: str) -> FuncFormatter | PercentFormatter:
    if fmt == "share":
        return PercentFormatter(xmax=1.0, decimals=None)
    if fmt == "float":
        return FuncFormatter(lambda v, _: f"{v:.3f}")
    return FuncFormatter(lambda v, _: _short_count(v))


def _bar_labels(values: np.ndarray, panel: Panel, sep: str = " ") -> list[str]:
    """Value labels; with `with_share` also the share of the panel total; zeros
    (e.g. columns without nulls) get no label."""
    total = float(np.nansum(values))
    labels = []
    for v in values:
        if v == 0:
            labels.append("")
            continue
        text = _fmt(v, panel.fmt)
        if panel.with_share and total > 0:
            text += f"{sep}({_share(v / total)})"
        labels.append(text)
    return labels


def _rotate_if_crowded(ax: Axes) -> None:
    """Rotate the category tick labels of a bar chart when neighbours would
    overlap side by side (rendered widths against the distance between bar
    centres, on the laid-out figure)."""
    ticks = [t for t in ax.get_xticklabels() if t.get_text()]
    if len(ticks) < 2:
        return
    renderer = ax.get_figure().canvas.get_renderer()
    widths = [t.get_window_extent(renderer).width for t in ticks]
    slot = ax.get_window_extent(renderer).width / len(ticks)  # centre to centre
    if max(a + b for a, b in itertools.pairwise(widths)) / 2 > slot * 0.92:
        ax.tick_params(axis="x", labelrotation=30)
        for tick in ax.get_xticklabels():
            tick.set_horizontalalignment("right")
            tick.set_rotation_mode("anchor")


def _colors(labels: Sequence[str], highlight: str | None) -> list[str]:
    return [ACCENT if highlight is not None and lab == highlight else PALETTE[0]
            for lab in labels]


def render_bar(ax: Axes, frame: pd.DataFrame, panel: Panel) -> None:
    labels = [str(x) for x in frame["label"]]
    values = frame["value"].astype(float).to_numpy()
    bars = ax.bar(range(len(values)), values, color=_colors(labels, panel.highlight), width=0.7)
    ax.set_xticks(range(len(values)), labels)
    ax.yaxis.set_major_formatter(_axis_formatter(panel.fmt))
    if panel.logy:
        ax.set_yscale("log")
    if panel.annotate:
        ax.bar_label(bars, labels=_bar_labels(values, panel, sep="\n"), padding=2,
                     fontsize=8, linespacing=1.1)
        ax.margins(y=0.2 if panel.with_share else 0.12)


def render_hbar(ax: Axes, frame: pd.DataFrame, panel: Panel) -> None:
    labels = [str(x) for x in frame["label"]]
    values = frame["value"].astype(float).to_numpy()
    positions = np.arange(len(values))[::-1]  # first row at the top
    bars = ax.barh(positions, values, color=_colors(labels, panel.highlight), height=0.7)
    ax.set_yticks(positions, labels)
    ax.tick_params(axis="y", labelsize=9)
    ax.xaxis.set_major_formatter(_axis_formatter(panel.fmt))
    ax.set_ylim(-0.6, len(values) - 0.4)
    if panel.annotate:
        ax.bar_label(bars, labels=_bar_labels(values, panel), padding=3, fontsize=8)
        top = float(np.nanmax(values)) if len(values) else 0.0
        ax.set_xlim(0, top * 1.25 if top > 0 else 1)


def _grouped(frame: pd.DataFrame) -> pd.DataFrame:
    labels = list(dict.fromkeys(frame["label"]))
    series = list(dict.fromkeys(frame["series"]))
    return (frame.pivot_table(index="label", columns="series", values="value", aggfunc="first")
            .reindex(index=labels, columns=series))


def _ordered_strategies(table: pd.DataFrame) -> pd.DataFrame:
    order = [s for s in strategy_order() if s in table.index]
    return table.reindex(order + [s for s in table.index if s not in order])


def render_grouped_hbar(ax: Axes, frame: pd.DataFrame, panel: Panel) -> None:
    table = _grouped(frame)
    if set(table.index) & set(strategy_order()):
        table = _ordered_strategies(table)
    n_series = len(table.columns)
    height = 0.8 / max(n_series, 1)
    base = np.arange(len(table))[::-1].astype(float)
    for i, series in enumerate(table.columns):
        values = table[series].to_numpy(dtype=float)
        pos = base + (n_series - 1 - 2 * i) * height / 2
        bars = ax.barh(pos, np.nan_to_num(values), height=height, label=str(series),
                       color=PALETTE[i % len(PALETTE)])
        if panel.annotate:
            ax.bar_label(bars, labels=[_fmt(v, panel.fmt) for v in values], padding=3,
                         fontsize=8)
    ax.set_yticks(base, [str(x) for x in table.index])
    ax.xaxis.set_major_formatter(_axis_formatter(panel.fmt))
    top = float(np.nanmax(table.to_numpy(dtype=float))) if table.size else 0.0
    ax.set_xlim(0, top * 1.3 if top > 0 else 1)
    ax.legend(loc="lower right", fontsize=9, frameon=False)


def render_grouped_bar(ax: Axes, frame: pd.DataFrame, panel: Panel) -> None:
    table = _grouped(frame)
    n_series = len(table.columns)
    width = 0.8 / max(n_series, 1)
    base = np.arange(len(table)).astype(float)
    for i, series in enumerate(table.columns):
        values = table[series].to_numpy(dtype=float)
        pos = base + (2 * i - (n_series - 1)) * width / 2
        color = ACCENT if series == "ranker" else PALETTE[i % len(PALETTE)]
        bars = ax.bar(pos, np.nan_to_num(values), width=width, label=str(series), color=color)
        if panel.annotate:
            ax.bar_label(bars, labels=[_fmt(v, panel.fmt) for v in values], padding=2,
                         fontsize=7, rotation=90)
    ax.set_xticks(base, [str(x) for x in table.index])
    ax.yaxis.set_major_formatter(_axis_formatter(panel.fmt))
    ax.margins(y=0.2)
    ax.legend(loc="upper right", fontsize=9, frameon=False)


def render_hist(ax: Axes, frame: pd.DataFrame, panel: Panel) -> None:
    """Counts per distinct (integer) value as adjacent bars."""
    ax.bar(frame["value"].astype(float), frame["n"].astype(float), width=1.0,
           color=PALETTE[0], edgecolor="white", linewidth=0.3)
    ax.yaxis.set_major_formatter(_axis_formatter("count"))


def log_bins(max_value: float) -> np.ndarray:
    """Bin edges for positive integers, about 8 per decade, never narrower than
    one integer: [1, 2), [2, 3), ..., then geometric."""
    top = math.log10(max(float(max_value), 1.0) + 1.0)
    edges = np.unique(np.round(np.logspace(0, top, num=max(int(top * 8), 1) + 1)))
    edges = np.unique(np.concatenate([edges, [max(float(max_value), 1.0) + 1.0]]))
    return edges - 0.5  # integers sit inside their bin, not on an edge


def _median_mean(values: np.ndarray, counts: np.ndarray) -> tuple[float, float]:
    order = np.argsort(values)
    cumulative = np.cumsum(counts[order])
    median = float(values[order][np.searchsorted(cumulative, cumulative[-1] / 2)])
    return median, float((values * counts).sum() / counts.sum())


def _mark_median_mean(ax: Axes, values: np.ndarray, counts: np.ndarray,
                      legend_loc: str = "upper right") -> None:
    median, mean = _median_mean(values, counts)
    ax.axvline(median, color=ACCENT, linestyle="--", linewidth=1.2,
               label=f"median {median:,.0f}")
    ax.axvline(mean, color=ACCENT, linestyle=":", linewidth=1.5, label=f"mean {mean:,.1f}")
    ax.legend(loc=legend_loc, fontsize=9, frameon=False)


def _log_axis(ax: Axes, left: float, right: float) -> None:
    ax.set_xscale("log")
    ax.set_xlim(left, right)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))


def render_loghist(ax: Axes, frame: pd.DataFrame, panel: Panel) -> None:
    """Histogram of a positive integer count on log-log axes: logarithmic bins
    (`log_bins`), height = customers per single value in the bin (the bin's
    count over its number of integers), so wide bins are not inflated."""
    values = frame["value"].astype(float).to_numpy()
    counts = frame["n"].astype(float).to_numpy()
    edges = log_bins(values.max() if len(values) else 1.0)
    hist, _ = np.histogram(values, bins=edges, weights=counts)
    per_value = hist / np.diff(edges)  # edges are at half-integers: width = integers in bin
    ax.stairs(per_value, edges, fill=True, color=PALETTE[0], alpha=0.85)
    _log_axis(ax, edges[0], edges[-1])
    ax.set_yscale("log")
    positive = per_value[per_value > 0]
    if len(positive):
        ax.set_ylim(bottom=positive.min() / 2)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}" if v >= 1 else f"{v:g}"))
    if counts.sum() > 0:
        _mark_median_mean(ax, values, counts)


def render_logcdf(ax: Axes, frame: pd.DataFrame, panel: Panel) -> None:
    """Share of rows with a value of at most x, on a log x axis."""
    frame = frame.sort_values("value")
    values = frame["value"].astype(float).to_numpy()
    counts = frame["n"].astype(float).to_numpy()
    cumulative = np.cumsum(counts) / counts.sum()
    ax.step(values, cumulative, where="post", color=PALETTE[0], linewidth=1.8)
    _log_axis(ax, 0.8, values.max() * 1.2)
    ax.set_ylim(0, 1.02)
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
    _mark_median_mean(ax, values, counts, legend_loc="lower right")


def render_line(ax: Axes, frame: pd.DataFrame, panel: Panel) -> None:
    series_names = list(dict.fromkeys(frame["series"]))
    sources = source_order()
    if set(series_names) & set(sources):
        series_names = [s for s in sources if s in series_names] + [
            s for s in series_names if s not in sources]
    is_date = pd.api.types.is_datetime64_any_dtype(frame["x"]) or (
        len(frame) and isinstance(frame["x"].iloc[0], dt.date))
    # the accent colour is kept for the highlighted series
    palette = [c for c in PALETTE if c != ACCENT] if panel.highlight else list(PALETTE)
    for i, name in enumerate(series_names):
        part = frame[frame["series"] == name]
        x = pd.to_datetime(part["x"]) if is_date else part["x"]
        emphasis = panel.highlight == name
        ax.plot(x, part["value"].astype(float), label=str(name),
                color=ACCENT if emphasis else palette[i % len(palette)],
                linewidth=2.8 if emphasis else 1.5,
                marker=None if is_date else "o", markersize=4)
    ax.yaxis.set_major_formatter(_axis_formatter(panel.fmt))
    if not is_date:
        ticks = sorted(frame["x"].unique())
        if len(ticks) <= 12:
            ax.set_xticks(ticks)
    if panel.ymin is not None or panel.fmt != "share":
        ax.set_ylim(bottom=panel.ymin or 0)
    if len(series_names) > 1:
        ax.legend(fontsize=9, frameon=False, ncols=1 if len(series_names) < 4 else 2)


def render_box(ax: Axes, frame: pd.DataFrame, panel: Panel) -> None:
    """Horizontal boxes from precomputed quantiles (no raw rows): box p25-p75,
    median line, whiskers p05-p95, mean dot."""
    stats = [
        {"label": f"{row.label}  (n={_short_count(row.n)})", "whislo": row.p05, "q1": row.p25,
         "med": row.p50, "q3": row.p75, "whishi": row.p95, "mean": row.mean, "fliers": []}
        for row in frame.itertuples()
    ][::-1]  # first row at the top
    ax.bxp(stats, orientation="horizontal", showmeans=True, showfliers=False,
           patch_artist=True, widths=0.6,
           boxprops={"facecolor": "#c6d9ec", "edgecolor": PALETTE[0]},
           medianprops={"color": ACCENT, "linewidth": 2},
           meanprops={"marker": "o", "markerfacecolor": "black", "markeredgecolor": "black",
                      "markersize": 4})
    ax.tick_params(axis="y", labelsize=9)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.3f}"))
    ax.set_xlim(left=0)


RENDERERS: dict[str, Callable[[Axes, pd.DataFrame, Panel], None]] = {
    "bar": render_bar,
    "hbar": render_hbar,
    "grouped_hbar": render_grouped_hbar,
    "grouped_bar": render_grouped_bar,
    "hist": render_hist,
    "loghist": render_loghist,
    "logcdf": render_logcdf,
    "line": render_line,
    "box": render_box,
}


def _rows(frame: pd.DataFrame, panel: Panel) -> int:
    if panel.kind in ("hbar", "box"):
        return len(frame)
    if panel.kind == "grouped_hbar":
        return frame["label"].nunique() * max(frame["series"].nunique(), 1)
    return 0


def render_chart(chart: Chart, frames: Sequence[pd.DataFrame]) -> bytes:
    """The chart as PNG bytes."""
    n = len(chart.panels)
    rows = [_rows(f, p) for f, p in zip(frames, chart.panels, strict=True)]
    if chart.layout == "column":
        height = chart.height or sum(max(r, 4) * 0.26 + 1.0 for r in rows) + 0.6
        fig = Figure(figsize=(chart.width, height), dpi=DPI, layout="constrained")
        FigureCanvasAgg(fig)
        axes = fig.subplots(n, 1, squeeze=False,
                            height_ratios=[max(r, 4) * 0.26 + 1.0 for r in rows])[:, 0]
    else:
        height = chart.height or max(4.0, max(rows) * 0.28 + 1.4)
        fig = Figure(figsize=(chart.width, height), dpi=DPI, layout="constrained")
        FigureCanvasAgg(fig)
        axes = fig.subplots(1, n, squeeze=False, width_ratios=chart.width_ratios)[0]
    fig.suptitle(chart.title, fontsize=13, fontweight="bold")
    for ax, frame, panel in zip(axes, frames, chart.panels, strict=True):
        if frame.empty:
            ax.text(0.5, 0.5, "no data", ha="center", va="center", transform=ax.transAxes,
                    fontsize=12, color="grey")
            ax.set_xticks([])
            ax.set_yticks([])
        else:
            RENDERERS[panel.kind](ax, frame, panel)
        ax.set_title(panel.title, fontsize=11)
        ax.set_xlabel(panel.xlabel)
        ax.set_ylabel(panel.ylabel)
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="y" if panel.kind in ("bar", "grouped_bar", "hist", "line") else
                "both" if panel.kind in ("loghist", "logcdf") else "x", alpha=0.3)
        ax.set_axisbelow(True)
    fig.get_layout_engine().execute(fig)  # final axes widths, to fit category labels
    for ax, panel in zip(axes, chart.panels, strict=True):
        if panel.kind in ("bar", "grouped_bar"):
            _rotate_if_crowded(ax)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
