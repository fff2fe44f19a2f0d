"""LambdaMART with XGBoost, for `npm run train` (scripts/train/lambdamart.ts writes the inputs and reads the outputs).

usage: python3 lambdamart.py DIR PARAMS_JSON

DIR holds, for each of the sets `training` and `validation`:
  <set>.x       float32, rows x width, row-major
  <set>.label   float32 per row: 1 for a passage holding the answer, 0 otherwise
  <set>.group   uint32 per question: how many rows it has, in order
  <set>.weight  float32 per question: how much it counts
Boosting stops when validation's ndcg@1 (the share of questions whose first passage holds the answer)
has not improved for `early_stopping_rounds` rounds, and the rounds up to the best are kept. Writes
DIR/model.json (XGBoost's own JSON model) and DIR/validation.margin (float32 per validation row:
XGBoost's scores, against which the TypeScript tree walker is checked).
"""
import json
import sys

import numpy as np
import xgboost as xgb


def load(folder, name, width):
    x = np.fromfile(f"{folder}/{name}.x", dtype=np.float32).reshape(-1, width)
    matrix = xgb.DMatrix(x, label=np.fromfile(f"{folder}/{name}.label", dtype=np.float32))
    matrix.set_group(np.fromfile(f"{folder}/{name}.group", dtype=np.uint32))
    matrix.set_weight(np.fromfile(f"{folder}/{name}.weight", dtype=np.float32))
    return matrix


def main():
    folder, params = sys.argv[1], json.loads(sys.argv[2])
    width = params.pop("width")
    rounds = params.pop("rounds")
    patience = params.pop("early_stopping_rounds")
    training = load(folder, "training", width)
    validation = load(folder, "validation", width)
    booster = xgb.train(
        {**params, "objective": "rank:ndcg", "eval_metric": "ndcg@1", "tree_method": "hist"},
        training,
        num_boost_round=rounds,
        evals=[(validation, "validation")],
        early_stopping_rounds=patience,
        verbose_eval=False,
    )
    best = booster[: booster.best_iteration + 1]
    best.save_model(f"{folder}/model.json")
    best.predict(validation, output_margin=True).astype(np.float32).tofile(f"{folder}/validation.margin")
    print(json.dumps({"rounds": booster.best_iteration + 1, "validation_ndcg1": booster.best_score}))


main()
