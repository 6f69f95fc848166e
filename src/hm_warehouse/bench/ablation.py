"""`hm-warehouse ablation`: the ranker's ablation on several generator seeds
in one run, written to benchmarks/ablation/ (results.json, results.md,
ablation.png) and README's ablation section.

For each data directory the whole project is built once with var
ranker_ablation true and every candidate source on (var
disabled_candidate_sources []) into its own warehouse file; from it come the
ablation mart (eval_ablation: MAP@12 with all signals and without each
one), the recall of each candidate source (eval_candidate_recall), the
strategies of the same weeks (eval_strategies: the ranker, the strongest
baseline, the oracle) and each family's build time (dbt's run_results.json
of that build), beside the whole build's wall time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import duckdb

from .. import registry
from ..project import project_dir
from .nodes import load_run_results
from .render import check_readme
from .render import update_readme as update_section

README_BEGIN = "<!-- ablation:begin -->"
README_END = "<!-- ablation:end -->"
RECALL_AT = (12, 100)


def family_models(root: Path | None = None) -> dict[str, str]:
    """Model name -> the signal it builds: each candidate source's model and
    each feature family's model (registry seeds)."""
    out = {row["model"]: row["source"] for row in registry.load("hm_candidate_sources", root)}
    for row in registry.load("hm_feature_families", root):
        if row["model"] and row["family"] != "candidates":
            out[row["model"]] = row["family"]
    return out


def build_seed(data_dir: Path, work: Path, root: Path, log=print) -> dict:
    """Build the project on `data_dir` with the ablation on, into work/; the
    run's measurements."""
    work.mkdir(parents=True, exist_ok=True)
    warehouse = work / "hm.duckdb"
    target = work / "target"
    env = {**os.environ, "HM_DATA_DIR": str(data_dir), "HM_DUCKDB_PATH": str(warehouse),
           "HM_SUBMISSION_PATH": str(work / "submission.csv")}
    command = [sys.executable, "-m", "hm_warehouse.cli", "build", "--warehouse", str(warehouse),
               "--submission", str(work / "submission.csv"), "--data-dir", str(data_dir), "--",
               "--vars", "{ranker_ablation: true, disabled_candidate_sources: []}",
               "--target-path", str(target)]
    log(f"ablation: building {data_dir} ...")
    started = time.monotonic()
    done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True,
                          check=False)
    wall = time.monotonic() - started
    (work / "build.log").write_text(done.stdout + done.stderr)
    if done.returncode != 0:
        raise RuntimeError(f"the build on {data_dir} failed (exit {done.returncode}); "
                           f"see {work / 'build.log'}")
    summary = json.loads((data_dir / "generation_summary.json").read_text()) \
        if (data_dir / "generation_summary.json").exists() else {}
    result = {"data_dir": str(data_dir), "seed": summary.get("seed"),
              "wall_seconds": round(wall, 1)}
    result.update(read_warehouse(warehouse))
    models = family_models(root)
    nodes = [n for n in load_run_results(target / "run_results.json")
             if n.resource_type == "model"]
    result["build_seconds"] = build_seconds(nodes, wall, models)
    return result


def build_seconds(nodes, wall: float, models: dict[str, str]) -> dict:
    """The build's times: each registered family's model, the helper models
    of the feature and candidate stages (the inputs of a family, e.g. the
    elbow curve or a probability model's rows), the ablation and the whole."""
    stages = ("models/features/", "python_models/features/", "models/ml/candidates/",
              "python_models/ml/candidates/")
    helpers = {n.name: round(n.seconds, 1) for n in nodes if n.name not in models
               and n.name != "cand_union" and (n.path or "").startswith(stages)}
    return {
        "whole_build_wall": round(wall, 1),
        "models_total": round(sum(n.seconds for n in nodes), 1),
        "families": {models[n.name]: round(n.seconds, 1) for n in nodes if n.name in models},
        "helpers": helpers,
        "ranker_ablation": next((round(n.seconds, 1) for n in nodes
                                 if n.name == "ranker_ablation"), None),
    }


def read_warehouse(path: Path) -> dict:
    con = duckdb.connect(str(path), read_only=True)
    try:
        ablation = con.sql("""
            select variant, variant_kind, signal, eval_week, map_at_12, recall_at_12,
                   map_vs_all, best_baseline, best_baseline_map_at_12, map_vs_best_baseline,
                   oracle_map_at_12, n_trees, n_features, n_customers
            from eval.eval_ablation order by eval_week, variant_kind, variant""").df()
        strategies = con.sql("""
            select strategy, eval_week, map_at_12, best_baseline, best_baseline_map_at_12,
                   map_vs_best_baseline, oracle_map_at_12, oracle_gap_share
            from eval.eval_strategies
            where segment_type = 'all' order by eval_week, map_at_12 desc""").df()
        elbow = con.sql("""
            select entity, k, inertia, is_chosen from features.feat_segment_elbow
            order by entity, k""").df()
        recall = con.sql(f"""
            select source, n_candidates, recall from eval.eval_candidate_recall
            where n_candidates in ({', '.join(str(n) for n in RECALL_AT)})
            order by source, n_candidates""").df()
    finally:
        con.close()
    return {"ablation": _records(ablation), "strategies": _records(strategies),
            "recall": _records(recall), "elbow": _records(elbow)}


def _records(frame) -> list[dict]:
    return json.loads(frame.to_json(orient="records"))


def _by(rows: Sequence[dict], *keys: str) -> dict:
    return {tuple(r[k] for k in keys): r for r in rows}


def render(report: dict, chart: str | None = None) -> str:
    """The markdown of results.md and README's section."""
    seeds = report["seeds"]
    names = [f"seed {s['seed']}" for s in seeds]
    intro = (f"Run {report['started_at']} on demo data, seeds "
             f"{', '.join(str(s['seed']) for s in seeds)}, one build per seed with "
             "`ranker_ablation: true` (`make ablation`). MAP@12 of the ranker with every signal "
             "(`all`) and without each one, trained on the same ABTs without the refit; "
             "Δ = variant − all (negative: the signal helps).")
    lines = [intro, ""]
    lines += ["### The ranker against the strongest baseline and the oracle", "",
              "| week | " + " | ".join(f"{n}: ranker / best baseline / oracle" for n in names)
              + " |", "|---|" + "---|" * len(seeds)]
    for week in ("hidden", "valid"):
        cells = []
        for s in seeds:
            r = _by(s["strategies"], "strategy", "eval_week").get(("ranker", week))
            if r is None:
                cells.append("n/a")
                continue
            oracle = (f" / {r['oracle_map_at_12']:.4f}" if r["oracle_map_at_12"] is not None
                      else "")
            gap = (f", {r['oracle_gap_share']:.0%} of the gap"
                   if r.get("oracle_gap_share") is not None else "")
            cells.append(f"{r['map_at_12']:.4f} / {r['best_baseline_map_at_12']:.4f} "
                         f"({r['best_baseline']}){oracle}: **{r['map_vs_best_baseline']:.2f}x**"
                         f"{gap}")
        lines.append(f"| {week} | " + " | ".join(cells) + " |")
    variants = []
    for s in seeds:
        for r in s["ablation"]:
            if r["variant"] not in variants:
                variants.append(r["variant"])
    lines += ["", "### Ablation: MAP@12 without each signal", "",
              "| variant | kind | " + " | ".join(f"{n} {w}" for n in names
                                                  for w in ("hidden", "valid"))
              + " | mean Δ |", "|---|---|" + "---:|" * (2 * len(seeds) + 1)]
    for variant in variants:
        cells, deltas, kind = [], [], ""
        for s in seeds:
            rows = _by(s["ablation"], "variant", "eval_week")
            for week in ("hidden", "valid"):
                r = rows.get((variant, week))
                if r is None:
                    cells.append("n/a")
                    continue
                kind = r["variant_kind"]
                if variant == "all":
                    cells.append(f"{r['map_at_12']:.4f}")
                else:
                    cells.append(f"{r['map_at_12']:.4f} ({r['map_vs_all']:+.4f})")
                    deltas.append(r["map_vs_all"])
        mean = f"{sum(deltas) / len(deltas):+.4f}" if deltas else ""
        lines.append(f"| {variant} | {kind} | " + " | ".join(cells) + f" | {mean} |")
    sources = sorted({r["source"] for s in seeds for r in s["recall"]})
    lines += ["", "### Recall of each candidate source (validation week, eval_candidate_recall)", "",
              "| source | " + " | ".join(f"{n} @{k}" for n in names for k in RECALL_AT)
              + " |", "|---|" + "---:|" * (len(RECALL_AT) * len(seeds))]
    for source in sources:
        cells = []
        for s in seeds:
            rows = _by(s["recall"], "source", "n_candidates")
            for k in RECALL_AT:
                r = rows.get((source, k))
                cells.append("n/a" if r is None else f"{r['recall']:.4f}")
        lines.append(f"| {source} | " + " | ".join(cells) + " |")
    families = sorted({f for s in seeds for f in s["build_seconds"]["families"]})
    title = ("### Build time of each family (s, the model's own dbt node; dbt ran 2 "
             "models at a time, the ablation beside the ranker)")
    lines += ["", title, "",
              "| family | " + " | ".join(names) + " |", "|---|" + "---:|" * len(seeds)]
    for family in families:
        lines.append(f"| {family} | " + " | ".join(
            str(s["build_seconds"]["families"].get(family, "n/a")) for s in seeds) + " |")
    for helper in sorted({h for s in seeds for h in s["build_seconds"].get("helpers", {})}):
        lines.append(f"| (input) `{helper}` | " + " | ".join(
            str(s["build_seconds"].get("helpers", {}).get(helper, "n/a")) for s in seeds) + " |")
    lines.append("| *ranker_ablation (the measurement itself)* | " + " | ".join(
        str(s["build_seconds"]["ranker_ablation"]) for s in seeds) + " |")
    lines.append("| **whole build, wall (with the ablation)** | " + " | ".join(
        str(s["build_seconds"]["whole_build_wall"]) for s in seeds) + " |")
    lines += ["", "### Segments: the elbow's k (KMeans, feat_segment_elbow)", "",
              "| entity | " + " | ".join(names) + " |", "|---|" + "---|" * len(seeds)]
    for entity in ("customer", "article"):
        cells = [next((str(r["k"]) for r in s["elbow"] if r["entity"] == entity
                       and r["is_chosen"]), "n/a") for s in seeds]
        lines.append(f"| {entity} | " + " | ".join(cells) + " |")
    if chart:
        folder = os.path.dirname(chart)
        elbow = os.path.join(folder, "segments_elbow.png") if folder else "segments_elbow.png"
        lines += ["", f"![ablation]({chart})", "", f"![elbow]({elbow})"]
    return "\n".join(lines) + "\n"


def chart(report: dict, path: Path) -> None:
    """Two panels: MAP@12 change without each signal (per seed and week),
    and each source's recall@12 and @100."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    seeds = report["seeds"]
    variants = [r["variant"] for r in seeds[0]["ablation"]
                if r["eval_week"] == "valid" and r["variant"] != "all"]
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 6), constrained_layout=True)
    series = [(s["seed"], week) for s in seeds for week in ("hidden", "valid")]
    height = 0.8 / len(series)
    y = np.arange(len(variants))
    for i, (seed, week) in enumerate(series):
        rows = _by(next(s for s in seeds if s["seed"] == seed)["ablation"],
                   "variant", "eval_week")
        values = [rows[(v, week)]["map_vs_all"] if (v, week) in rows else 0 for v in variants]
        left.barh(y + i * height, values, height, label=f"seed {seed}, {week} week")
    left.set_yticks(y + height * (len(series) - 1) / 2, variants)
    left.axvline(0, color="black", linewidth=0.8)
    left.invert_yaxis()
    left.set_xlabel("MAP@12 of the variant minus MAP@12 with every signal")
    left.set_title("Ablation: the ranker without each signal (left of 0: the signal helps)")
    left.legend(fontsize=8)
    sources = sorted({r["source"] for s in seeds for r in s["recall"]})
    x = np.arange(len(sources))
    width = 0.8 / (len(seeds) * len(RECALL_AT))
    i = 0
    for s in seeds:
        rows = _by(s["recall"], "source", "n_candidates")
        for k in RECALL_AT:
            right.bar(x + i * width, [rows[(src, k)]["recall"] if (src, k) in rows else 0
                                      for src in sources], width,
                      label=f"seed {s['seed']}, first {k}")
            i += 1
    right.set_xticks(x + width * (i - 1) / 2, sources, rotation=45, ha="right")
    right.set_ylabel("share of bought articles among the source's candidates")
    right.set_title("Recall of each candidate source (validation week)")
    right.legend(fontsize=8)
    fig.suptitle(f"hm-warehouse ranker ablation, demo data ({report['started_at'][:10]})")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def elbow_chart(report: dict, path: Path) -> None:
    """The inertia curve of each entity and seed, the chosen k marked."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.5), constrained_layout=True)
    for ax, entity in zip(axes, ("customer", "article"), strict=True):
        for s in report["seeds"]:
            rows = [r for r in s["elbow"] if r["entity"] == entity]
            ks = [r["k"] for r in rows]
            inertia = [r["inertia"] for r in rows]
            line = ax.plot(ks, inertia, marker="o", label=f"seed {s['seed']}")[0]
            for r in rows:
                if r["is_chosen"]:
                    ax.plot([r["k"]], [r["inertia"]], marker="*", markersize=16,
                            color=line.get_color())
        ax.set_xlabel("k (clusters)")
        ax.set_ylabel("KMeans inertia (standardised profiles)")
        ax.set_title(f"{entity} segments: elbow method (star: chosen k)")
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def update_readme(readme: Path, text: str) -> None:
    """Replace README's ablation section with `text`."""
    update_section(readme, text, README_BEGIN, README_END)


def run(data_dirs: Sequence[Path], out_dir: Path, work: Path, readme: Path | None = None,
        log=print) -> dict:
    root = project_dir()
    if readme is not None:
        check_readme(readme, README_BEGIN, README_END)  # before the builds
    report = {"started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "seeds": []}
    for i, data_dir in enumerate(data_dirs):
        report["seeds"].append(build_seed(Path(data_dir), work / f"run{i}", root, log))
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "results.json").write_text(json.dumps(report, indent=2) + "\n")
    chart(report, out_dir / "ablation.png")
    elbow_chart(report, out_dir / "segments_elbow.png")
    (out_dir / "results.md").write_text("# Ranker ablation\n\n" + render(report, "ablation.png"))
    if readme is not None:
        update_readme(readme, render(report, os.path.relpath(out_dir / "ablation.png",
                                                             readme.parent)))
    return report
