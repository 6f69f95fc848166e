"""The benchmark's reports: benchmarks/results.md, README's summary section
(between README_BEGIN and README_END), the scaling chart, and the figures
they share: the ratios between the scales of a run, each layer's growth
(log-log slope against transactions) and the issue's full-scale targets.

Everything here reads a run's report (the content of results.json), so runs
recorded before (benchmarks/**/*.json) render too: layers they recorded
under names the project no longer has (als, before ALS was a candidate
source) are shown after the layer recorded before them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

from .nodes import LAYERS
from .peers import staging_transactions_seconds


def _measured(scales: Sequence[dict]) -> list[dict]:
    """Scales with input rows, smaller first; failed builds included (their
    complete layers count)."""
    return sorted((s for s in scales if s["input_rows"]["transactions_train"]),
                  key=lambda s: s["input_rows"]["transactions_train"])


def _ok(scales: Sequence[dict]) -> list[dict]:
    """The measured scales whose build succeeded."""
    return [s for s in _measured(scales) if s["returncode"] == 0]


def scale_ratios(scales: Sequence[dict]) -> list[dict]:
    """For each pair of scales of the run (larger input / smaller input): the
    ratios of rows, wall time and peak memory, and wall-time ratio / row
    ratio (1 = linear; below 1 = fixed costs dominate the smaller scale)."""
    ok = _ok(scales)
    pairs = []
    for i, small in enumerate(ok):
        for large in ok[i + 1:]:
            rows = large["input_rows"]["transactions_train"] / small["input_rows"][
                "transactions_train"]
            wall = large["wall_seconds"] / small["wall_seconds"] if small["wall_seconds"] else None
            rss = (large["peak_rss_bytes"] / small["peak_rss_bytes"]
                   if small["peak_rss_bytes"] else None)
            pairs.append({
                "larger": large["scale"],
                "smaller": small["scale"],
                "transactions_ratio": round(rows, 3),
                "wall_time_ratio": round(wall, 3) if wall is not None else None,
                "peak_rss_ratio": round(rss, 3) if rss is not None else None,
                "wall_ratio_per_row_ratio": round(wall / rows, 3) if wall is not None else None,
            })
    return pairs


def resumed_runs(report: dict) -> list[dict]:
    """The runs that resumed a failed build of the report, oldest first
    (reports merged before chains were possible have one `resumed_run`)."""
    if report.get("resumed_runs"):
        return list(report["resumed_runs"])
    return [report["resumed_run"]] if report.get("resumed_run") else []



def _gb(value: int | None) -> str:
    return "n/a" if value is None else f"{value / 2**30:.2f} GB"


def _seconds(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:.0f} s" if value >= 100 else f"{value:.1f} s"


def _ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}x"


def _incomplete(report: dict) -> list[str]:
    requested = report.get("scales_requested") or []
    done = [s["scale"] for s in report["scales"]]
    if len(done) >= len(requested):
        return []
    missing = " ".join(requested[len(done):])
    return [(f"- incomplete: no result yet for {missing} (still running, or the run was "
             "stopped; results are written after each scale)")]


def _header(report: dict) -> list[str]:
    machine, settings = report["machine"], report["settings"]
    select = f" --select {' '.join(settings['select'])}" if settings["select"] else ""
    commit = (machine["git_commit"] or "unknown")[:12]
    dirty = " (with uncommitted changes)" if machine.get("git_dirty") else ""
    return [
        "# Benchmarks",
        "",
        "Written by `hm-warehouse bench` (`make bench`); do not edit by hand. The",
        "figures of one run, measured one scale after the other on a shared machine:",
        "compare the ratios of a run, not single figures across runs.",
        "",
        f"- run: {report['started_at']} to {report['finished_at']} (UTC)",
        *_incomplete(report),
        (f"- machine: {machine['cores']} cores ({machine['cores_available']} available), "
         f"{_gb(machine['ram_bytes'])} RAM, {machine['platform']}"),
        (f"- software: Python {machine['python']}, dbt-core {machine['dbt_core']}, "
         f"dbt-duckdb {machine['dbt_duckdb']}, DuckDB {machine['duckdb']}"),
        f"- code: git {commit}{dirty}",
        (f"- command: `dbt {settings['dbt_command']}{select}` into "
         + ("the kept warehouse of a failed build (resumed)" if any(
             s.get("resumed_warehouse") for s in report["scales"]) else "a fresh DuckDB file")
         + "; "
         f"dbt threads {settings['threads']}, DuckDB memory_limit {settings['memory_limit']}"),
        *[(f"- resumed: the {run['scale']} build failed and "
           f"`dbt {run['command']}` resumed it in its kept warehouse "
           f"({run['started_at']}, git {(run['git_commit'] or 'unknown')[:12]}); that "
           "scale's figures add the runs: wall time summed, peak memory the largest, each "
           "node's last run") for run in resumed_runs(report)],
        (f"- peak memory: summed VmRSS of the dbt process tree, sampled every "
         f"{settings['interval']} s (or the kernel's peak of its largest process, if higher)"),
    ]


def _scale_row(s: dict) -> str:
    rows = s["input_rows"]
    before, after = s.get("load_average_before"), s.get("load_average_after")
    load = f"{before[0]:.1f} → {after[0]:.1f}" if before and after else "n/a"
    per_m = s["seconds_per_million_transactions"]
    result = "ok" if s["returncode"] == 0 else f"FAILED (exit {s['returncode']})"
    cells = [
        s["scale"], f"{rows['transactions_train']:,}", f"{rows['customers']:,}",
        f"{rows['articles']:,}", _seconds(s["wall_seconds"]), _gb(s["peak_rss_bytes"]),
        "n/a" if per_m is None else f"{per_m:,.1f}", _gb(s["warehouse_bytes"]), load, result,
    ]
    return "| " + " | ".join(cells) + " |"


def _ratio_row(r: dict) -> str:
    per_row = r["wall_ratio_per_row_ratio"]
    cells = [
        f"{r['larger']} / {r['smaller']}", _ratio(r["transactions_ratio"]),
        _ratio(r["wall_time_ratio"]), _ratio(r["peak_rss_ratio"]),
        "n/a" if per_row is None else f"{per_row:.2f}",
    ]
    return "| " + " | ".join(cells) + " |"


def _slowest(s: dict) -> list[str]:
    kinds = ", ".join(f"{n} {t}s" for t, n in s["nodes_by_type"].items()) or "no nodes"
    lines = [
        "",
        f"## {s['scale']}: slowest models",
        "",
        (f"{kinds}; summed execution time {_seconds(s['node_seconds_total'])} "
         f"(models {_seconds(s['model_seconds_total'])}) in {_seconds(s['wall_seconds'])} "
         "of wall time. Share: the model's execution time / the summed time of all nodes."),
        "",
        "| model | seconds | share |",
        "|---|---:|---:|",
    ]
    for m in s["slowest_models"]:
        flag = "" if m["status"] == "success" else f" ({m['status']})"
        lines.append(f"| `{m['name']}`{flag} | {m['seconds']:.1f} | {m['share']:.1%} |")
    if s["returncode"] != 0:
        lines += ["", "The build failed; its last output:", "", "```",
                  s.get("output_tail", "").strip(), "```"]
    return lines


# ------------------------------------------------- layers, peers, targets

# issue 16's targets: the whole DAG at full scale, the demo build, staging of
# transactions against the bare typed load of the same file
TARGET_WALL_SECONDS = 30 * 60
TARGET_PEAK_RSS_BYTES = 16 * 2**30
TARGET_DEMO_WALL_SECONDS = 4 * 60
TARGET_STAGING_VS_TYPED_LOAD = 3.0


def loglog_slope(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Least-squares slope of log(y) on log(x): 1 = linear growth, 2 =
    quadratic, below 1 = fixed costs still weigh. None with < 2 points."""
    points = [(math.log(x), math.log(y)) for x, y in zip(xs, ys, strict=True) if x > 0 and y > 0]
    if len(points) < 2:
        return None
    mx = sum(p[0] for p in points) / len(points)
    my = sum(p[1] for p in points) / len(points)
    sxx = sum((p[0] - mx) ** 2 for p in points)
    if sxx == 0:
        return None
    return round(sum((p[0] - mx) * (p[1] - my) for p in points) / sxx, 3)


def layer_names(scales: Sequence[dict]) -> list[str]:
    """The layers the scales recorded, in LAYERS order; a name LAYERS lacks
    (a layer of a run recorded before, e.g. als) right after the layer the
    run recorded before it."""
    names = list(LAYERS)
    for s in scales:
        previous = None
        for name in s.get("layers", {}):
            if name not in names:
                names.insert(names.index(previous) + 1 if previous else 0, name)
            previous = name
    return [n for n in names if any(n in s.get("layers", {}) for s in scales)]


def _layer_figure(scale: dict, layer: str, key: str) -> float | None:
    figures = scale.get("layers", {}).get(layer)
    if not figures:
        return None
    if scale["returncode"] != 0 and not figures.get("complete", False):
        return None  # a layer the failed build did not finish: no figure
    return figures.get(key)


def layer_growth(scales: Sequence[dict]) -> dict[str, dict]:
    """Per layer, over the scales of a run: its seconds and peak memory per
    scale (None where a failed build did not finish the layer) and the
    log-log slopes against transactions."""
    measured = _measured(scales)
    rows = [s["input_rows"]["transactions_train"] for s in measured]
    out = {}
    for layer in layer_names(measured):
        seconds = [_layer_figure(s, layer, "seconds") for s in measured]
        peaks = [_layer_figure(s, layer, "peak_rss_bytes") for s in measured]

        def slope(values: list) -> float | None:
            pairs = [(r, v) for r, v in zip(rows, values, strict=True) if v]
            return loglog_slope(*zip(*pairs, strict=True)) if len(pairs) >= 2 else None

        out[layer] = {
            "seconds": dict(zip([s["scale"] for s in measured], seconds, strict=True)),
            "peak_rss_bytes": dict(zip([s["scale"] for s in measured], peaks, strict=True)),
            "time_slope": slope(seconds),
            "memory_slope": slope(peaks),
        }
    return out


def targets(result: dict) -> list[dict]:
    """The issue's targets that apply to one scale's figures: full scale,
    the whole DAG's time and peak memory; demo, the build's time; every
    scale, staging of transactions against the bare typed load."""
    ratio = (result.get("peer_ratios") or {}).get("staging_vs_typed_load")
    ok = result["returncode"] == 0
    out = []
    if result["scale"] == "full":
        out += [
            {"target": "whole DAG at most 30 minutes", "value": _seconds(result["wall_seconds"]),
             "met": ok and result["wall_seconds"] <= TARGET_WALL_SECONDS},
            # a failed build did not run every model: its peak proves nothing
            {"target": "peak memory at most 16 GiB", "value": _gb(result["peak_rss_bytes"]),
             "met": result["peak_rss_bytes"] <= TARGET_PEAK_RSS_BYTES if ok else None},
        ]
    if result["scale"] == "demo":
        out.append({"target": "demo build at most 4 minutes",
                    "value": _seconds(result["wall_seconds"]),
                    "met": ok and result["wall_seconds"] <= TARGET_DEMO_WALL_SECONDS})
    out.append({"target": "staging of transactions at most 3x the bare typed load",
                "value": _ratio(ratio),
                "met": ratio is not None and ratio <= TARGET_STAGING_VS_TYPED_LOAD})
    return out


def _layers_table(scales: Sequence[dict]) -> list[str]:
    measured = _measured(scales)
    if not measured:
        return []
    growth = layer_growth(scales)
    names = [s["scale"] for s in measured]
    lines = [
        "| layer | " + " | ".join(f"{n} seconds" for n in names) + " | "
        + " | ".join(f"{n} peak memory" for n in names) + " | time slope | memory slope |",
        "|---|" + "---:|" * (2 * len(names) + 2),
    ]
    for layer, g in growth.items():
        cells = [layer]
        cells += [_seconds(g["seconds"][n]) if g["seconds"][n] is not None else "n/a"
                  for n in names]
        cells += [_gb(g["peak_rss_bytes"][n]) for n in names]
        cells += ["n/a" if g["time_slope"] is None else f"{g['time_slope']:.2f}",
                  "n/a" if g["memory_slope"] is None else f"{g['memory_slope']:.2f}"]
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        "Seconds: the summed execution time of the layer's nodes (dbt runs 2 at a time,",
        "so layers overlap). Peak memory: the process tree's while one of the layer's",
        "nodes ran. Slope: of log(time or memory) on log(transactions) over the scales",
        "of this run; 1 = linear, above 1 = grows faster than the data. n/a: a failed",
        "build did not finish the layer.",
    ]
    return lines


def _peers_table(scales: Sequence[dict]) -> list[str]:
    rows = []
    for s in scales:
        peers, ratios = s.get("peers") or {}, s.get("peer_ratios") or {}
        scan, pandas = peers.get("scan") or {}, peers.get("pandas") or {}
        scan_steps = scan.get("steps") or {}
        stg = staging_transactions_seconds(s.get("models", {}))
        pandas_ok = pandas.get("returncode") == 0
        rows.append("| " + " | ".join([
            s["scale"],
            _seconds(scan_steps.get("scan")), _seconds(scan_steps.get("typed_load")),
            _seconds(stg), _ratio(ratios.get("staging_vs_scan")),
            _ratio(ratios.get("staging_vs_typed_load")),
            _seconds(pandas.get("wall_seconds")) if pandas_ok else
            ("not run" if not pandas else "FAILED"),
            _gb(pandas.get("peak_rss_bytes")) if pandas_ok else "n/a",
            _ratio(ratios.get("marts_vs_pandas_seconds")),
            _ratio(ratios.get("build_vs_pandas_wall")),
            _ratio(ratios.get("build_vs_pandas_peak_rss")),
        ]) + " |")
    return [
        ("| scale | raw scan | bare typed load | staging of transactions | staging / scan "
         "| staging / typed load | pandas notebook "
         "| pandas peak memory | staging + marts / pandas | whole build / pandas "
         "| build peak / pandas peak |"),
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        *rows,
        "",
        "Raw scan: DuckDB's count(*) and sum(price) over transactions_train.csv, the",
        "floor for anything that reads it. Bare typed load: `create table as select *",
        "from read_csv(...)` of the same file into a DuckDB file (sniffed types, no",
        "check). Staging of transactions: the models that parse it and split clean",
        "from rejected. Pandas notebook: read the csv files, the",
        "popular-last-week submission and the weekly per-customer and per-article",
        "aggregates, as public notebooks do (hm_warehouse/bench/peers.py). The warehouse does",
        "more than the notebook: quarantine, tests, features, ML.",
    ]


def _eval_table(scales: Sequence[dict]) -> list[str]:
    with_eval = [s for s in scales if s.get("eval")]
    if not with_eval:
        return []
    strategies = sorted({k for s in with_eval for k in s["eval"]})
    header = "| strategy | " + " | ".join(
        f"{s['scale']} {w}" for s in with_eval for w in ("valid", "hidden")) + " |"
    lines = [header, "|---|" + "---:|" * (2 * len(with_eval))]
    for strategy in strategies:
        cells = [strategy]
        for s in with_eval:
            for week in ("valid", "hidden"):
                m = s["eval"].get(strategy, {}).get(week)
                cells.append(f"{m['map_at_12']:.4f}" if m else "n/a")
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _targets_table(scales: Sequence[dict]) -> list[str]:
    rows = []
    for s in _measured(scales):
        for t in targets(s):
            met = "not known: the build failed" if t["met"] is None else \
                "yes" if t["met"] else "NO"
            rows.append(f"| {s['scale']} | {t['target']} | {t['value']} | {met} |")
    return ["| scale | target | measured | met |", "|---|---|---:|---|", *rows] if rows else []


def _sections(scales: Sequence[dict]) -> list[tuple[str, list[str]]]:
    """The tables results.md and README's summary share, the empty ones left out."""
    parts = (("Targets", _targets_table(scales)),
             ("Per layer", _layers_table(scales)),
             ("Peers: raw scan and pandas notebook (same files, same run)",
              _peers_table(scales)),
             ("MAP@12 per scale (eval_strategies, all customers)", _eval_table(scales)))
    return [(title, part) for title, part in parts if part]


def render_summary(report: dict, chart: str | None = None) -> str:
    """The compact summary of a run: README's benchmark section."""
    scales = report["scales"]
    lines = [
        "| scale | transactions | wall time | peak memory | warehouse file | result |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for s in scales:
        result = "ok" if s["returncode"] == 0 else f"FAILED (exit {s['returncode']})"
        lines.append(f"| {s['scale']} | {s['input_rows']['transactions_train']:,} | "
                     f"{_seconds(s['wall_seconds'])} | {_gb(s['peak_rss_bytes'])} | "
                     f"{_gb(s['warehouse_bytes'])} | {result} |")
    for title, part in _sections(scales):
        lines += ["", f"**{title}**", "", *part]
    if chart:
        lines += ["", f"![time and memory per layer against transactions]({chart})"]
    commit = (report["machine"]["git_commit"] or "unknown")[:12]
    lines += ["", f"Run {report['started_at']} to {report['finished_at']} (UTC), git {commit}."]
    return "\n".join(lines) + "\n"


def scaling_chart(report: dict, path: Path) -> bool:
    """Log-log chart of each layer's time and peak memory against the
    transactions of the run's scales (a failed build's finished layers
    included; the whole-build line only where the build succeeded); False
    with fewer than 2 scales."""
    measured = _measured(report["scales"])
    if len(measured) < 2:
        return False
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    growth = layer_growth(report["scales"])
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 5), constrained_layout=True)

    def points(values: dict) -> tuple[list, list]:
        pairs = [(s["input_rows"]["transactions_train"], values[s["scale"]]) for s in measured
                 if values[s["scale"]]]
        return [p[0] for p in pairs], [p[1] for p in pairs]

    for layer, g in growth.items():
        xs, secs = points(g["seconds"])
        slope = "n/a" if g["time_slope"] is None else f"{g['time_slope']:.2f}"
        if xs:
            left.plot(xs, secs, marker="o", label=f"{layer} (slope {slope})")
        xs, peaks = points(g["peak_rss_bytes"])
        if xs:
            right.plot(xs, [p / 2**30 for p in peaks], marker="o", label=layer)
    ok = _ok(report["scales"])
    rows = [s["input_rows"]["transactions_train"] for s in ok]
    left.plot(rows, [s["wall_seconds"] for s in ok], color="black", linestyle="--",
              marker="s", label="whole build, wall")
    right.plot(rows, [s["peak_rss_bytes"] / 2**30 for s in ok], color="black",
               linestyle="--", marker="s", label="whole build")
    for ax, ylabel, title in (
            (left, "seconds (summed node execution time)", "Time per layer"),
            (right, "peak memory of the process tree, GiB", "Peak memory while the layer ran")):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("transactions in transactions_train.csv")
        ax.set_ylabel(ylabel)
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    fig.suptitle(f"hm-warehouse dbt build, scales {', '.join(s['scale'] for s in measured)} "
                 f"({report['started_at'][:10]})")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


README_BEGIN = "<!-- bench:summary:begin -->"
README_END = "<!-- bench:summary:end -->"


def check_readme(readme: Path, begin: str = README_BEGIN, end: str = README_END) -> str:
    """README's text; ValueError when it lacks the section markers (by
    default the bench summary's)."""
    text = readme.read_text()
    if begin not in text or end not in text:
        raise ValueError(f"{readme} has no {begin} ... {end} section")
    return text


def update_readme(readme: Path, summary: str, begin: str = README_BEGIN,
                  end: str = README_END) -> None:
    """Replace the text between the README's section markers (by default the
    bench summary's) with `summary`."""
    text = check_readme(readme, begin, end)
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    readme.write_text(f"{head}{begin}\n{summary}{end}{tail}")


def render_markdown(report: dict) -> str:
    """benchmarks/results.md from the report (the content of results.json)."""
    lines = _header(report) + [
        "",
        ("| scale | transactions | customers | articles | wall time | peak memory "
         "| s per M transactions | warehouse file | load avg before → after | result |"),
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
        *(_scale_row(s) for s in report["scales"]),
    ]
    if report["ratios"]:
        lines += [
            "",
            "## Ratios between scales (same run)",
            "",
            ("| larger / smaller | transactions | wall time | peak memory "
             "| wall-time ratio / row ratio |"),
            "|---|---:|---:|---:|---:|",
            *(_ratio_row(r) for r in report["ratios"]),
            "",
            "A wall-time ratio / row ratio of 1: the build time grows like the data;",
            "below 1: fixed costs (dbt start-up and parsing, small models, tests) weigh",
            "on the smaller scale; above 1: something grows faster than the data.",
        ]
    for title, part in _sections(report["scales"]):
        lines += ["", f"## {title}", "", *part]
    if report.get("chart"):
        lines += ["", f"![time and memory per layer]({report['chart']})"]
    for s in report["scales"]:
        lines += _slowest(s)
    return "\n".join(lines) + "\n"
