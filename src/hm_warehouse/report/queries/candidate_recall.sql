select
    source,
    n_candidates,
    recall
from eval.eval_candidate_recall
