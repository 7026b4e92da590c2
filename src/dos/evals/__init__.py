"""Offline harnesses that grade the referee's tunable knobs against labelled cases.

Each harness streams a JSONL case file (:mod:`dos.evals.cases`), runs the same pure
classifier the live path uses, and folds the answers into a confusion grid and one
headline rate; nothing is written. It may import the domains, the gates and the judge
seam; the api layer and the verbs sit above it.
"""
