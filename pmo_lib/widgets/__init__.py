"""The what-if planner for JupyterLab (ipywidgets 8): move a control, see capacity, dates and cost change.

``pmo.widgets.planner(portfolio)`` returns a :class:`WhatIfPlanner`; show it
as the last line of a cell. Its controls build a
:class:`~pmo_lib.scenarios.Scenario` (start a project later, pause it,
cancel it, change its priority; change a person's FTE or one of their bookings, or let them leave;
hire people into a role; load a saved file for anything else), and every
change asks :class:`~pmo_lib.planner.Planner` for the outcome and redraws:

- KPI cards, each with the change against the baseline;
- a team x week utilisation heat map (the percentage is printed in every
  cell; over 100 % is bold and outlined as well as coloured, so it reads in
  print and for colour-blind readers);
- project finish dates with the delay against the baseline;
- the over-allocated person-weeks;
- the roles short of people (unnamed demand beyond the role's spare hours).

The scenario can be saved to a YAML file and saved scenarios loaded or
compared side by side. The widgets only display: every number comes from
:mod:`pmo_lib.planner`. The rendering functions (:func:`heatmap`,
:func:`kpi_cards`, :func:`dates_table`, :func:`over_table`, :func:`gaps_table`,
:func:`compare_table`) return HTML blocks that the static what-if report
shows without widgets.
"""

from .live import WhatIfPlanner, planner
from .render import Block, compare_table, dates_table, gaps_table, heatmap, kpi_cards, over_table

__all__ = [
    "Block",
    "WhatIfPlanner",
    "compare_table",
    "dates_table",
    "gaps_table",
    "heatmap",
    "kpi_cards",
    "over_table",
    "planner",
]
