"""The PMO Lab data model: one pandera schema per table, plus keys and links.

The column names here are the contract of ``shared/design.md``; the data
dictionary in ``datasets/README.md`` is generated from these schemas
(``python -m pmo_lib.dictionary``) and a test keeps the two in step.

Each column carries ``metadata`` that the loader uses to parse raw text:

``kind``
    ``id`` (text key, stripped), ``text``, ``category`` (one of a fixed list),
    ``date`` (ISO ``YYYY-MM-DD``), ``month`` (``YYYY-MM``), ``number``,
    ``integer`` or ``flag`` (true/false).
``unit``
    The unit shown in the data dictionary and glossary.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandera.pandas as pa

DATE_MIN = "1990-01-01"
DATE_MAX = "2100-12-31"


def _col(kind, description, *, unit="", required=False, nullable=True, checks=None, dtype=None):
    dtypes = {
        "id": str,
        "text": str,
        "category": str,
        "date": "datetime64[ns]",
        "month": "datetime64[ns]",
        "number": float,
        "integer": "Int64",
        "flag": "boolean",
    }
    return pa.Column(
        dtype or dtypes[kind],
        checks=checks or [],
        nullable=nullable,
        required=required,
        description=description,
        metadata={"kind": kind, "unit": unit},
    )


def ident(description, *, required=True, nullable=False):
    return _col("id", description, required=required, nullable=nullable)


def text(description, *, required=False, nullable=True):
    return _col("text", description, required=required, nullable=nullable)


def category(description, values, *, required=False, nullable=True):
    return _col(
        "category",
        description,
        required=required,
        nullable=nullable,
        checks=[pa.Check.isin(list(values))],
    )


def date(description, *, required=False, nullable=True):
    return _col("date", description, unit="date", required=required, nullable=nullable)


def month(description, *, required=True):
    return _col("month", description, unit="month", required=required, nullable=not required)


def number(description, unit, *, low=None, high=None, required=False, nullable=True):
    checks = []
    if low is not None and high is not None:
        checks.append(pa.Check.in_range(low, high))
    elif low is not None:
        checks.append(pa.Check.ge(low))
    return _col("number", description, unit=unit, required=required, nullable=nullable, checks=checks)


def integer(description, unit, *, low=None, high=None, required=False, nullable=True):
    checks = []
    if low is not None and high is not None:
        checks.append(pa.Check.in_range(low, high))
    elif low is not None:
        checks.append(pa.Check.ge(low))
    return _col("integer", description, unit=unit, required=required, nullable=nullable, checks=checks)


def flag(description):
    return _col("flag", description, unit="true/false")


@dataclass(frozen=True)
class ForeignKey:
    """Rows of this table refer to rows of ``table`` by ``columns`` → ``ref_columns``.

    ``optional`` rows (blank in the last referring column) are not checked.
    """

    columns: tuple[str, ...]
    table: str
    ref_columns: tuple[str, ...]
    optional: bool = False
    severity: str = "error"


@dataclass(frozen=True)
class TableSpec:
    """A table of the data model: its schema, key, links and date order rules."""

    name: str
    description: str
    schema: pa.DataFrameSchema
    key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    date_order: tuple[tuple[str, str], ...] = ()
    required_table: bool = False
    defaults: dict = field(default_factory=dict)

    @property
    def columns(self) -> dict[str, pa.Column]:
        return self.schema.columns

    @property
    def required_columns(self) -> list[str]:
        return [name for name, col in self.columns.items() if col.required]


STAGES = ("initiate", "plan", "execute", "close")
PROJECT_STATUSES = ("active", "on_hold", "closed", "cancelled")
LINK_TYPES = ("FS", "SS", "FF", "SF")
RAG = ("R", "A", "G")
RISK_STATUSES = ("open", "closed")
ISSUE_SEVERITIES = ("low", "medium", "high", "critical")
ISSUE_STATUSES = ("open", "in_progress", "closed")
CHANGE_STATUSES = ("proposed", "approved", "rejected")
PROPOSAL_STAGES = ("idea", "business_case", "approved", "rejected")
PROPOSAL_LINKS = ("requires", "excludes")
COST_YEARS = 3  # cost_year_1 .. cost_year_3 of a proposal


def _schema(name, columns):
    return pa.DataFrameSchema(columns, name=name, strict=False, coerce=False)


TABLES: dict[str, TableSpec] = {}


def _table(spec: TableSpec) -> None:
    TABLES[spec.name] = spec


_table(
    TableSpec(
        "projects",
        "One row per project in the portfolio.",
        _schema(
            "projects",
            {
                "project_id": ident("Unique project code, e.g. P001."),
                "name": text("Project name.", required=True, nullable=False),
                "portfolio": text("Portfolio the project reports to.", required=True, nullable=False),
                "programme": text("Programme the project belongs to, if any."),
                "sponsor": text("Senior responsible owner / sponsor."),
                "manager": text("Project manager."),
                "stage": category("Lifecycle stage.", STAGES, required=True, nullable=False),
                "status": category("Delivery status.", PROJECT_STATUSES, required=True, nullable=False),
                "priority": integer("Portfolio priority; 1 is the highest.", "rank", low=1),
                "baseline_start": date("Approved (baseline) start date."),
                "baseline_finish": date("Approved (baseline) finish date."),
                "forecast_finish": date("Current forecast finish date."),
                "budget": number("Budget at completion (BAC).", "currency", low=0),
                "currency": text("ISO 4217 currency code of the money columns, e.g. GBP."),
            },
        ),
        key=("project_id",),
        date_order=(("baseline_start", "baseline_finish"), ("baseline_start", "forecast_finish")),
        required_table=True,
    )
)

_table(
    TableSpec(
        "tasks",
        "Work breakdown: the tasks and milestones of each project.",
        _schema(
            "tasks",
            {
                "project_id": ident("Project the task belongs to."),
                "task_id": ident("Task code, unique within its project."),
                "name": text("Task name.", required=True, nullable=False),
                "wbs": text("Work breakdown structure code, e.g. 1.10 (kept as text)."),
                "duration_days": number(
                    "Planned duration; 0 for a milestone.", "working days", low=0, required=True, nullable=False
                ),
                "baseline_start": date("Baseline start date."),
                "baseline_finish": date("Baseline finish date."),
                "actual_start": date("Actual start date; blank if not started."),
                "actual_finish": date("Actual finish date; blank if not finished."),
                "percent_complete": number("Physical percent complete.", "%", low=0, high=100),
                "planned_cost": number("Planned cost of the task (its share of the BAC).", "currency", low=0),
                "is_milestone": flag("True for a milestone (zero duration)."),
                "optimistic_days": number("Optimistic duration (three-point estimate).", "working days", low=0),
                "most_likely_days": number("Most likely duration (three-point estimate).", "working days", low=0),
                "pessimistic_days": number("Pessimistic duration (three-point estimate).", "working days", low=0),
                "role": text("Role that does the work, e.g. developer."),
            },
        ),
        key=("project_id", "task_id"),
        foreign_keys=(ForeignKey(("project_id",), "projects", ("project_id",)),),
        date_order=(("baseline_start", "baseline_finish"), ("actual_start", "actual_finish")),
    )
)

_table(
    TableSpec(
        "dependencies",
        "Logical links between tasks of the same project.",
        _schema(
            "dependencies",
            {
                "project_id": ident("Project of both tasks."),
                "predecessor_id": ident("Task that drives the link."),
                "successor_id": ident("Task that is driven."),
                "type": category(
                    "Link type: finish-to-start, start-to-start, finish-to-finish, start-to-finish; blank means FS.",
                    LINK_TYPES,
                ),
                "lag_days": number("Lag (positive) or lead (negative); blank means 0.", "working days"),
            },
        ),
        key=("project_id", "predecessor_id", "successor_id"),
        foreign_keys=(
            ForeignKey(("project_id",), "projects", ("project_id",)),
            ForeignKey(("project_id", "predecessor_id"), "tasks", ("project_id", "task_id")),
            ForeignKey(("project_id", "successor_id"), "tasks", ("project_id", "task_id")),
        ),
        defaults={"type": "FS", "lag_days": 0.0},
    )
)

_table(
    TableSpec(
        "resources",
        "People (named resources) who can be assigned to work.",
        _schema(
            "resources",
            {
                "resource_id": ident("Unique resource code, e.g. R001."),
                "name": text("Person's name.", required=True, nullable=False),
                "role": text("Role, e.g. developer.", required=True, nullable=False),
                "team": text("Team the person belongs to."),
                "cost_rate": number("Cost per hour.", "currency/hour", low=0),
                "fte": number("Contracted time as a fraction of full time.", "FTE", low=0, high=1),
                "start_date": date("First working day with the organisation."),
                "end_date": date("Last working day; blank if open-ended."),
                "calendar": text("Working calendar name (see calendars); blank means weekends only."),
            },
        ),
        key=("resource_id",),
        date_order=(("start_date", "end_date"),),
    )
)

_table(
    TableSpec(
        "assignments",
        "Demand: a named person or an unnamed role booked to a project over a period.",
        _schema(
            "assignments",
            {
                "assignment_id": ident("Unique assignment code."),
                "project_id": ident("Project the demand is for."),
                "task_id": ident("Task, if the demand is for one task.", required=False, nullable=True),
                "resource_id": ident("Named person; blank for an unnamed role demand.", required=False, nullable=True),
                "role": text("Role needed (required when resource_id is blank)."),
                "start": date("First day of the booking.", required=True, nullable=False),
                "finish": date("Last day of the booking.", required=True, nullable=False),
                "fte": number("Share of full time booked.", "FTE", low=0, required=True, nullable=False),
            },
        ),
        key=("assignment_id",),
        foreign_keys=(
            ForeignKey(("project_id",), "projects", ("project_id",)),
            ForeignKey(("resource_id",), "resources", ("resource_id",), optional=True),
            ForeignKey(("project_id", "task_id"), "tasks", ("project_id", "task_id"), optional=True),
        ),
        date_order=(("start", "finish"),),
    )
)

_table(
    TableSpec(
        "timesheets",
        "Hours booked per person, project, task and week.",
        _schema(
            "timesheets",
            {
                "resource_id": ident("Person who booked the time."),
                "project_id": ident("Project booked to."),
                "task_id": ident("Task booked to; blank for project-level time.", required=False, nullable=True),
                "week_start": date("Monday of the week.", required=True, nullable=False),
                "hours": number("Hours booked that week.", "hours", low=0, high=168, required=True, nullable=False),
            },
        ),
        key=("resource_id", "project_id", "task_id", "week_start"),
        foreign_keys=(
            ForeignKey(("resource_id",), "resources", ("resource_id",)),
            ForeignKey(("project_id",), "projects", ("project_id",)),
            ForeignKey(("project_id", "task_id"), "tasks", ("project_id", "task_id"), optional=True),
        ),
    )
)

_table(
    TableSpec(
        "financials",
        "Monthly budget, actual and forecast cost per project and cost category.",
        _schema(
            "financials",
            {
                "project_id": ident("Project."),
                "month": month("Month, as YYYY-MM."),
                "category": text("Cost category, e.g. labour, external, other.", required=True, nullable=False),
                "budget": number("Budget phased into this month.", "currency", low=0),
                "actual": number("Actual cost booked in this month; blank for future months.", "currency", low=0),
                "forecast": number("Forecast cost for this month.", "currency", low=0),
            },
        ),
        key=("project_id", "month", "category"),
        foreign_keys=(ForeignKey(("project_id",), "projects", ("project_id",)),),
    )
)

_table(
    TableSpec(
        "risks",
        "Risk register (the R of RAID).",
        _schema(
            "risks",
            {
                "risk_id": ident("Unique risk code."),
                "project_id": ident("Project the risk belongs to."),
                "title": text("Short description of the risk.", required=True, nullable=False),
                "category": text("Risk category, e.g. technical, commercial."),
                "probability": integer("Likelihood score, 1 (rare) to 5 (almost certain).", "score 1-5", low=1, high=5),
                "impact": integer("Impact score, 1 (minimal) to 5 (severe).", "score 1-5", low=1, high=5),
                "cost_impact": number("Cost if the risk happens.", "currency", low=0),
                "owner": text("Person who owns the risk."),
                "mitigation": text("Planned response."),
                "status": category("open or closed.", RISK_STATUSES, required=True, nullable=False),
                "raised_on": date("Date raised."),
                "review_by": date("Next review due."),
                "closed_on": date("Date closed."),
            },
        ),
        key=("risk_id",),
        foreign_keys=(ForeignKey(("project_id",), "projects", ("project_id",)),),
        date_order=(("raised_on", "closed_on"),),
    )
)

_table(
    TableSpec(
        "issues",
        "Issue log (the I of RAID).",
        _schema(
            "issues",
            {
                "issue_id": ident("Unique issue code."),
                "project_id": ident("Project the issue belongs to."),
                "title": text("Short description of the issue.", required=True, nullable=False),
                "severity": category("How bad it is.", ISSUE_SEVERITIES),
                "owner": text("Person who owns the issue."),
                "status": category("open, in_progress or closed.", ISSUE_STATUSES, required=True, nullable=False),
                "raised_on": date("Date raised."),
                "due_on": date("Date the issue should be resolved by."),
                "closed_on": date("Date closed."),
            },
        ),
        key=("issue_id",),
        foreign_keys=(ForeignKey(("project_id",), "projects", ("project_id",)),),
        date_order=(("raised_on", "closed_on"),),
    )
)

_table(
    TableSpec(
        "changes",
        "Change requests and their decisions.",
        _schema(
            "changes",
            {
                "change_id": ident("Unique change request code."),
                "project_id": ident("Project the change is for."),
                "title": text("What changes.", required=True, nullable=False),
                "cost_impact": number("Cost increase (negative for a saving).", "currency"),
                "schedule_impact_days": number("Delay to finish (negative to pull in).", "working days"),
                "status": category("proposed, approved or rejected.", CHANGE_STATUSES, required=True, nullable=False),
                "raised_on": date("Date raised."),
                "decided_on": date("Date approved or rejected."),
            },
        ),
        key=("change_id",),
        foreign_keys=(ForeignKey(("project_id",), "projects", ("project_id",)),),
        date_order=(("raised_on", "decided_on"),),
    )
)

_table(
    TableSpec(
        "status_updates",
        "Monthly status report per project, with RAG ratings and commentary.",
        _schema(
            "status_updates",
            {
                "project_id": ident("Project."),
                "month": month("Reporting month, as YYYY-MM."),
                "overall_rag": category(
                    "Overall RAG: R (red), A (amber), G (green).", RAG, required=True, nullable=False
                ),
                "schedule_rag": category("Schedule RAG.", RAG),
                "cost_rag": category("Cost RAG.", RAG),
                "scope_rag": category("Scope RAG.", RAG),
                "commentary": text("Project manager's commentary."),
                "submitted_on": date("Date the update was submitted."),
            },
        ),
        key=("project_id", "month"),
        foreign_keys=(ForeignKey(("project_id",), "projects", ("project_id",)),),
    )
)

_table(
    TableSpec(
        "calendars",
        "Non-working days (public holidays, shutdowns) per named calendar; weekends are always non-working.",
        _schema(
            "calendars",
            {
                "calendar": ident("Calendar name, e.g. standard."),
                "date": date("A non-working day.", required=True, nullable=False),
            },
        ),
        key=("calendar", "date"),
    )
)

_table(
    TableSpec(
        "leave",
        "Planned leave per person.",
        _schema(
            "leave",
            {
                "resource_id": ident("Person on leave."),
                "start": date("First day of leave.", required=True, nullable=False),
                "finish": date("Last day of leave.", required=True, nullable=False),
            },
        ),
        key=("resource_id", "start"),
        foreign_keys=(ForeignKey(("resource_id",), "resources", ("resource_id",)),),
        date_order=(("start", "finish"),),
    )
)

_table(
    TableSpec(
        "proposals",
        "Demand intake: proposed projects waiting for a decision to start, with their cost, benefit and scores.",
        _schema(
            "proposals",
            {
                "proposal_id": ident("Unique proposal code, e.g. D001."),
                "name": text("Proposal name.", required=True, nullable=False),
                "portfolio": text("Portfolio that would own the project.", required=True, nullable=False),
                "sponsor": text("Sponsor who put the proposal forward."),
                "submitted_on": date("Date the proposal was submitted."),
                "stage": category(
                    "Intake stage: idea, business_case, approved or rejected.",
                    PROPOSAL_STAGES,
                    required=True,
                    nullable=False,
                ),
                "earliest_start": date("First day the work could start.", required=True, nullable=False),
                "latest_start": date(
                    "Last acceptable start; blank means it starts at the earliest start or not at all."
                ),
                "duration_quarters": integer(
                    "How long the work runs once started.", "quarters", low=1, high=12, required=True, nullable=False
                ),
                **{
                    f"cost_year_{y}": number(
                        f"Cost in year {y} from the start (spread evenly over its quarters).", "currency", low=0
                    )
                    for y in range(1, COST_YEARS + 1)
                },
                "npv": number("Net present value of the benefits less the costs, from the business case.", "currency"),
                "strategic_fit": integer("Fit with the strategy, 1 (weak) to 5 (core).", "score 1-5", low=1, high=5),
                "customer_impact": integer("Benefit to customers, 1 (none) to 5 (large).", "score 1-5", low=1, high=5),
                "urgency": integer("Cost of waiting, 1 (can wait) to 5 (cannot wait).", "score 1-5", low=1, high=5),
                "delivery_risk": integer(
                    "Risk of not delivering, 1 (low) to 5 (very high).", "score 1-5", low=1, high=5
                ),
                "mandatory": flag("True when the work must be done (regulatory or contractual)."),
                "currency": text("ISO 4217 currency code of the money columns, e.g. GBP."),
            },
        ),
        key=("proposal_id",),
        date_order=(("earliest_start", "latest_start"), ("submitted_on", "earliest_start")),
    )
)

_table(
    TableSpec(
        "proposal_demand",
        "The people a proposal would need: FTE of a role in each quarter from its start.",
        _schema(
            "proposal_demand",
            {
                "proposal_id": ident("Proposal."),
                "role": text("Role needed, as in resources.role, e.g. developer.", required=True, nullable=False),
                "quarter": integer(
                    "Quarter from the start: 1 is the first quarter of the work.",
                    "quarter",
                    low=1,
                    required=True,
                    nullable=False,
                ),
                "fte": number("People needed in that quarter.", "FTE", low=0, required=True, nullable=False),
            },
        ),
        key=("proposal_id", "role", "quarter"),
        foreign_keys=(
            ForeignKey(("proposal_id",), "proposals", ("proposal_id",)),
            ForeignKey(("role",), "resources", ("role",), severity="warning"),
        ),
    )
)

_table(
    TableSpec(
        "proposal_links",
        "Links between proposals: one requires another (cannot start without it) or excludes it (not both).",
        _schema(
            "proposal_links",
            {
                "proposal_id": ident("Proposal the link is about."),
                "link": category("requires or excludes.", PROPOSAL_LINKS, required=True, nullable=False),
                "other_id": ident("The proposal it requires or excludes."),
            },
        ),
        key=("proposal_id", "other_id"),
        foreign_keys=(
            ForeignKey(("proposal_id",), "proposals", ("proposal_id",)),
            ForeignKey(("other_id",), "proposals", ("proposal_id",)),
        ),
    )
)

_table(
    TableSpec(
        "investment_budget",
        "The money available each year to start new work from the proposals.",
        _schema(
            "investment_budget",
            {
                "year": integer("Calendar year.", "year", low=1990, high=2100, required=True, nullable=False),
                "budget": number("Budget for new work that year.", "currency", low=0, required=True, nullable=False),
                "currency": text("ISO 4217 currency code, e.g. GBP."),
            },
        ),
        key=("year",),
    )
)

TABLE_NAMES: tuple[str, ...] = tuple(TABLES)
