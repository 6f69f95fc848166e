"""Ranker cost/quality variants on a built demo warehouse (issue 16)."""
import json, sys, time, dataclasses
import duckdb, lightgbm as lgb, numpy as np, pandas as pd, pyarrow as pa
from hm_warehouse import ranker as R
from hm_warehouse.metrics import ranking_metrics

wh, names = sys.argv[1], sys.argv[2].split(',')
c = duckdb.connect(wh, read_only=True); c.sql("set threads=2")
base = R.RankerParams(n_estimators=400, learning_rate=0.05, num_leaves=63, min_child_samples=50,
                      early_stopping_rounds=40, seed=42, threads=2)
VARIANTS = {
 'base': ({}, {}),
 'lr10': ({'learning_rate': 0.1}, {}),
 'bag50': ({}, {'bagging_fraction': 0.5, 'bagging_freq': 1}),
 'bin63': ({}, {'max_bin': 63}),
 'leaves31': ({'num_leaves': 31}, {}),
 'lr10bag': ({'learning_rate': 0.1}, {'bagging_fraction': 0.5, 'bagging_freq': 1}),
 'l31neg50': ({'num_leaves': 31}, {'_neg': 50}),
 'l31norefit': ({'num_leaves': 31}, {'_norefit': 1}),
 'cap100': ({'n_estimators': 100}, {}),
 'cap60': ({'n_estimators': 60}, {}),
 'cap80': ({'n_estimators': 80}, {}),
}
labels = c.sql("select customer_key, article_key, eval_week from eval.eval_labels").df()
truth = {w: g.groupby('customer_key')['article_key'].apply(set).to_dict() for w, g in labels.groupby('eval_week')}
train = R.as_table(R.training_relation(c.table('ml.abt_train')).arrow())
valid = R.as_table(R.training_relation(c.table('ml.abt_valid')).arrow())
orig_model = R._model
def run(name):
    p_over, extra = VARIANTS[name]
    params = dataclasses.replace(base, **p_over)
    neg = extra.pop('_neg', None); norefit = extra.pop('_norefit', None)
    tr = train
    if neg:
        c.register('tr_all', train)
        tr = c.sql(f"select * exclude (rn) from (select *, row_number() over (partition by week_index, customer_key, label order by hash(customer_key, article_key)) rn from tr_all) where label = 1 or rn <= {neg} order by week_index, customer_key, article_key").arrow().read_all()
    def model(params, n):
        m = orig_model(params, n); m.set_params(**extra); return m
    R._model = model
    t = time.time(); booster, best, feats = R.train_ranker(tr, valid, params); t_train = time.time() - t
    t = time.time(); final = booster if norefit else R.refit_ranker(pa.concat_tables([tr, valid]), params, best, feats); t_refit = time.time() - t
    out = {'train_rows': tr.num_rows, 'variant': name, 'trees': best, 'train_s': round(t_train, 1), 'refit_s': round(t_refit, 1)}
    for split, b, week in [('valid', booster, 'valid'), ('predict', final, 'hidden')]:
        t = time.time()
        top = R.top_k_relation(c, b, c.table(f'ml.abt_{split}'), feats, 12, 500000, 2)
        out[f'score_{split}_s'] = round(time.time() - t, 1)
        pred = top.sort_values(['customer_key', 'rank']).groupby('customer_key')['article_key'].apply(list).to_dict()
        out[f'map_{week}'] = round(ranking_metrics(truth[week], pred)['map'], 5)
    R._model = orig_model
    print(json.dumps(out), flush=True)
for n in names: run(n)
