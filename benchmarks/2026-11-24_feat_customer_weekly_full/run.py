"""feat_customer_weekly at full scale, old (per as-of rejoin) vs new (buckets), side by side in one run."""
import duckdb, time, json, sys, resource, os
res = {}
for name in sys.argv[1:]:
    con = duckdb.connect(f'/tmp/fcw/scratch_{name}.duckdb')
    con.execute("attach '/tmp/bench_scratch/bench-full-wpzm67ww/hm.duckdb' as w (read_only)")
    con.execute("set memory_limit='9GB'; set threads=2; set preserve_insertion_order=false; set temp_directory='/tmp/fcw/tmp'")
    sql = open(f'/tmp/fcw/{name}.sql').read()
    t = time.time()
    con.execute(f"create table feat as {sql}")
    secs = time.time() - t
    n = con.execute("select count(*) from feat").fetchall()[0][0]
    res[name] = {"seconds": round(secs, 1), "rows": n}
    print(name, res[name], flush=True)
    con.close()
json.dump(res, open('/tmp/fcw/result.json', 'w'), indent=1)
