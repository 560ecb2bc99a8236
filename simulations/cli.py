"""The command line moved to :mod:`modalinfo.cli`; ``main`` is re-exported here for one release."""

import warnings
from typing import Any

__all__ = ["main"]


def __getattr__(name: str) -> Any:
    if name == "main":
        warnings.warn(
            "modalinfo.simulations.cli moved to modalinfo.cli; the old path goes in the next release",
            DeprecationWarning,
            stacklevel=2,
        )
        from modalinfo.cli import main

        return main
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if __name__ == "__main__":
    import sys

    from modalinfo.cli import main

    sys.exit(main())
