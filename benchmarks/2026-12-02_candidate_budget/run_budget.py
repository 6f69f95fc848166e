"""Candidate budget study (issue 16): the tail of the DAG (candidate
sources, union, ABTs, ALS, ranker, eval) rebuilt with other per-source caps
on a copy of a built demo warehouse, one budget after another in one run.

usage: run_budget.py WAREHOUSE DATA_DIR LABEL OUT_JSONL [budget ...]
a budget is name=var:value,var:value (for example b20=popular_n:20,als_n:20).
Per budget: the tail's dbt wall time, the union's size and recall on the
validation and hidden weeks, and MAP@12 of the ranker and the strongest
baseline from eval_strategies (all customers). Appends one JSON line each."""

import json
import os
import shutil
import subprocess
import sys
import time

import duckdb

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SELECT = "cand_popular+ cand_popular_age+ cand_als+ cand_repurchase+ cand_same_product+ cand_pairs+"


def measure(path: str) -> dict:
    con = duckdb.connect(path, read_only=True)
    out = {}
    for week, name in ((-1, "valid"), (0, "hidden")):
        rows, customers = con.sql(
            f"select count(*), count(distinct customer_id) from ml.cand_union where week_index = {week}"
        ).fetchone()
        n_labels, n_found = con.sql(f"""
            select count(*), count(u.article_id)
            from eval.eval_labels l
            left join ml.cand_union u using (customer_id, week_index, article_id)
            where l.eval_week = '{name}'""").fetchone()
        out[name] = {"union_rows": rows, "per_customer": round(rows / max(customers, 1), 1),
                     "labels": n_labels, "union_recall": round(n_found / max(n_labels, 1), 4)}
        maps = dict(con.sql(f"""
            select strategy, map_at_12 from eval.eval_strategies
            where eval_week = '{name}' and segment_type = 'all'""").fetchall())
        best = con.sql(f"""
            select best_baseline, best_baseline_map_at_12 from eval.eval_strategies
            where eval_week = '{name}' and segment_type = 'all' limit 1""").fetchone()
        out[name].update({"ranker": round(maps["ranker"], 5), "best_baseline": best[0],
                          "best_baseline_map": round(best[1], 5), "oracle": round(maps.get("oracle", 0), 5),
                          "strategies": {k: round(v, 5) for k, v in sorted(maps.items())}})
    con.close()
    return out


def main() -> None:
    warehouse, data_dir, label, out_path, *budgets = sys.argv[1:]
    for spec in budgets:
        name, _, assignments = spec.partition("=")
        dbt_vars = {k: int(v) for k, v in (a.split(":") for a in assignments.split(",") if a)}
        copy = f"/tmp/budget_{label}_{name}.duckdb"
        shutil.copy(warehouse, copy)
        env = dict(os.environ, HM_DATA_DIR=data_dir, HM_DUCKDB_PATH=copy,
                   HM_SUBMISSION_PATH=copy + ".csv", DBT_PROFILES_DIR=REPO)
        start = time.perf_counter()
        subprocess.run([os.path.join(REPO, ".venv/bin/dbt"), "run", "-s", *SELECT.split(),
                        "--vars", json.dumps(dbt_vars), "--target-path", copy + ".target",
                        "--log-path", copy + ".logs", "-q"], cwd=REPO, env=env, check=True)
        seconds = time.perf_counter() - start
        with open(os.path.join(copy + ".target", "run_results.json")) as f:
            timing = {r["unique_id"].split(".")[-1]: round(r["execution_time"], 1)
                      for r in json.load(f)["results"]}
        (n_trees,) = duckdb.connect(copy, read_only=True).sql(
            "select max(n_trees) from ml.ranker_models").fetchone()
        row = {"data": label, "ranker_trees": n_trees, "budget": name, "vars": dbt_vars, "tail_seconds": round(seconds, 1),
               "model_seconds": timing, **measure(copy)}
        with open(out_path, "a") as f:
            f.write(json.dumps(row) + "\n")
        print(json.dumps(row), flush=True)
        os.remove(copy)


if __name__ == "__main__":
    main()
