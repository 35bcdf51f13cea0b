"""What every exercise's answers are computed from: the sample portfolio and the default standard, loaded once."""

from __future__ import annotations

from functools import cache


@cache
def default_standard():
    """The default standard (as the learner's notebook loads it)."""
    from ...standards import load

    return load()


@cache
def sample_portfolio():
    """The bundled sample portfolio."""
    from ...datasets import load_sample

    return load_sample()
