"""Information estimators: MI and CMI (the registry ``MI_METHODS``), their intervals, PID from samples
(``PID_METHODS``), the per-modality report and synergy bounds. Public names live in
:mod:`modalinfo.estimators`."""
