"""PMO standards as data: load a standard file, check a portfolio against it, score compliance.

A standard is a YAML file (the default ships with PMO Lab: ``standards/default.yaml`` in a checkout,
:func:`pmo_lib.bundled.standards_dir` when installed): lifecycle stages with
their gates, the RAG tolerances the monthly report uses, and rules. Each rule
names a *check* (a function in :mod:`~pmo_lib.standards.checks`, registered with :func:`check`), a plain
statement, a severity (``error``, ``warning`` or ``note``), parameters and
how to fix a breach. An organisation writes its own file with
``extends: default`` and only what differs: tolerances merge key by key,
rules merge by id (``enabled: false`` switches one off), new rules are added.

Every check runs on whole tables (no loop over projects) and returns the
breaches: one row per project and thing found, with the evidence. The
compliance score of a project is the share of rules it meets (100 = all);
a portfolio's is the mean of its projects'. Only live projects (active or on
hold) are checked, except by rules about closed work.

The parts, each depending only on the ones above it:

- :mod:`~pmo_lib.standards.tolerances`: the RAG tolerances and the computed RAG of the monthly report;
- :mod:`~pmo_lib.standards.checks`: the rules' checks (whole-table functions) and their registry;
- :mod:`~pmo_lib.standards.loading`: reading, merging (``extends``) and validating a standard file;
- :mod:`~pmo_lib.standards.scoring`: findings, compliance scores, trend and changes since a date;
- :mod:`~pmo_lib.standards.authoring`: the standard in plain words, tailoring and writing a new one.
"""

from __future__ import annotations

from ..errors import StandardError
from .authoring import PMO_TYPES, describe, tailor, write
from .checks import FINDING_COLUMNS, LIVE, SEVERITIES, check
from .loading import Standard, default_path, load
from .scoring import changes_since, evaluate, portfolio_scores, scores, trend
from .tolerances import Tolerances, rate

__all__ = [
    "FINDING_COLUMNS",
    "LIVE",
    "PMO_TYPES",
    "SEVERITIES",
    "Standard",
    "StandardError",
    "Tolerances",
    "changes_since",
    "check",
    "default_path",
    "describe",
    "evaluate",
    "load",
    "portfolio_scores",
    "rate",
    "scores",
    "tailor",
    "trend",
    "write",
]
