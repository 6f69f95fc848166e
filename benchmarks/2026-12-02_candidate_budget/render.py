"""results.jsonl of run_budget.py -> results.md (one table per seed)."""

import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def main() -> None:
    with open(os.path.join(HERE, "results.jsonl")) as f:
        rows = [json.loads(line) for line in f]
    lines = ["# Candidate budget and ALS cost (issue 16), demo data", "",
             "`run_budget.py`: the tail of the DAG (candidate sources, union, ABTs, ALS,",
             "ranker, eval) rebuilt on a copy of a built demo warehouse, one budget after",
             "another in one run per seed. MAP@12 of all customers from eval_strategies;",
             "union recall = share of the week's bought (customer, article) pairs in",
             "cand_union; seconds = the tail's dbt wall time and its slowest models.", ""]
    for data in dict.fromkeys(r["data"] for r in rows):
        lines += [f"## {data}", "",
                  ("| budget | dbt vars | tail s | cand_als s | abt_predict s | ranker_models s "
                  "| ranker_scores s | trees | candidates / customer (valid, hidden) "
                  "| union recall valid | union recall hidden | ranker valid | ranker hidden "
                  "| best baseline valid | best baseline hidden |"),
                  "|---|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|"]
        for r in (r for r in rows if r["data"] == data):
            m, v, h = r["model_seconds"], r["valid"], r["hidden"]
            lines.append("| " + " | ".join(str(x) for x in [
                r["budget"], ", ".join(f"{k}={x}" for k, x in r["vars"].items()) or "(defaults)",
                r["tail_seconds"], m.get("cand_als"), m.get("abt_predict"), m.get("ranker_models"),
                m.get("ranker_scores"), r.get("ranker_trees", ""),
                f"{v['per_customer']}, {h['per_customer']}", v["union_recall"], h["union_recall"],
                f"{v['ranker']:.5f}", f"{h['ranker']:.5f}",
                f"{v['best_baseline_map']:.5f} ({v['best_baseline']})",
                f"{h['best_baseline_map']:.5f} ({h['best_baseline']})"]) + " |")
        lines.append("")
    with open(os.path.join(HERE, "results.md"), "w") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    main()
