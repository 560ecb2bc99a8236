"""Type aliases of modalinfo's public signatures.

``ArrayLike`` is anything :func:`numpy.asarray` turns into an array of samples, labels or
parameters (arrays are (n_samples, n_features) unless a docstring says otherwise); ``SeedLike`` is
what every ``rng`` argument takes and resolves with :func:`numpy.random.default_rng`;
``BlockNames`` names one block of a model (``"x1"``) or several (``["x1", "x2"]``);
``DiscreteSpec`` says which columns of an estimator's input are discrete.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["ArrayLike", "BlockNames", "DiscreteSpec", "SeedLike"]

SeedLike: TypeAlias = "int | np.integer | np.random.SeedSequence | np.random.BitGenerator | np.random.Generator | None"
BlockNames: TypeAlias = "str | Sequence[str]"
#: Which columns are discrete: None (from the dtype), one bool for all, or a pair (for x, for y) of a
#: bool or one bool per column.
DiscreteSpec: TypeAlias = "bool | tuple[bool | Sequence[bool], bool | Sequence[bool]] | None"
