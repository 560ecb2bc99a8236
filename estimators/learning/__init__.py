"""Learning: linear encoders and heads, the co-learning learners, Gaussian maximum likelihood with missing
entries, learning curves and sample-complexity ratios. Public names live in :mod:`modalinfo.estimators`."""
