select
    n_candidates as x,
    source as series,
    recall as value
from eval.eval_candidate_recall
order by source, n_candidates
