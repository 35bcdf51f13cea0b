"""MS Project XML in: the mapping rules on a plan worked by hand, hostile and broken files, and ``pmo import``.

The fixture ``office_move.xml`` (written by hand) has five tasks under two summary tasks, a link
from one summary task to another, an SS link with a one-day lag, Good Friday (2026-04-03) off in
the project calendar, a person with two days of leave in their own calendar, a pool of two
electricians, a material resource and an unassigned assignment. Its critical path by hand
(working days from Monday 2026-03-30, day 0):

- Survey 3 d: days 0-2, Mon 30 Mar to Wed 1 Apr;
- Design 5 d after Survey: days 3-7, Thu 2 Apr, then (Good Friday off) Mon 6 to Thu 9 Apr;
- Fit-out 4 d after the whole of Planning (Survey and Design): days 8-11, Fri 10 to Wed 15 Apr;
- Cabling 2 d after Planning, and 1 d after Fit-out starts (SS + 1): days 9-10, Mon 13 to Tue 14 Apr;
- Move done (milestone) after Fit-out and Cabling: day 12, Thu 16 Apr.

Late dates from the finish (day 12): Cabling may finish on day 11, so it has 1 day of float;
every other task is critical.
"""

from __future__ import annotations

import textwrap

import pandas as pd
import pytest
from conftest import assert_refused

from pmo_lib import importers
from pmo_lib.bundled import examples_dir
from pmo_lib.schedule import schedule

PLAN = examples_dir() / "office_move.xml"


@pytest.fixture(scope="module")
def office():
    return importers.validate(PLAN)


def test_the_hand_worked_plan_schedules_to_the_dates_worked_out_by_hand(office):
    assert office.ok, office.findings
    got = schedule(office.portfolio).set_index("task_id")
    expected = {  # task: early start, early finish, total float
        "2": ("2026-03-30", "2026-04-01", 0),
        "3": ("2026-04-02", "2026-04-09", 0),
        "5": ("2026-04-10", "2026-04-15", 0),
        "6": ("2026-04-13", "2026-04-14", 1),
        "7": ("2026-04-16", "2026-04-16", 0),
    }
    for task, (start, finish, slack) in expected.items():
        assert got.loc[task, "early_start"] == pd.Timestamp(start), task
        assert got.loc[task, "early_finish"] == pd.Timestamp(finish), task
        assert got.loc[task, "total_float"] == slack, task
    assert got.loc["6", "late_finish"] == pd.Timestamp("2026-04-15")
    assert set(got.index[got["is_critical"]]) == {"2", "3", "5", "7"}


def test_tasks_keep_their_wbs_durations_baseline_cost_and_progress(office):
    tasks = office.portfolio.tasks.set_index("task_id")
    assert list(tasks.index) == ["2", "3", "5", "6", "7"]  # summary tasks, UID 0 and the blank row are not tasks
    assert tasks.loc["2", "name"] == "Survey & measure"  # the entity in the XML is text, unescaped once
    assert tasks["wbs"].tolist() == ["1.1", "1.2", "2.1", "2.2", "3"]
    assert tasks["duration_days"].tolist() == [3.0, 5.0, 4.0, 2.0, 0.0]  # PT24H at 480 minutes a day = 3 days
    assert tasks.loc["2", "planned_cost"] == 1200.0  # baseline 0 cost 120000 hundredths, not the current 1500
    assert tasks.loc["3", "percent_complete"] == 40.0
    assert tasks.loc["2", "actual_finish"] == pd.Timestamp("2026-04-01")
    assert bool(tasks.loc["7", "is_milestone"]) and not bool(tasks.loc["6", "is_milestone"])
    project = office.portfolio.projects.iloc[0]
    assert (project["project_id"], project["name"], project["portfolio"]) == ("office_move", "Office move", "Imported")
    assert project["budget"] == 1200 + 2000 + 4000 + 800
    assert project["stage"] == "execute" and project["currency"] == "GBP"


def test_a_link_between_summary_tasks_becomes_links_between_their_tasks(office):
    deps = office.portfolio.dependencies
    pairs = set(zip(deps["predecessor_id"], deps["successor_id"], deps["type"].astype(str), strict=True))
    # Planning (1) FS Build (4): each of Survey, Design before each of Fit-out, Cabling
    assert {("2", "5", "FS"), ("2", "6", "FS"), ("3", "5", "FS"), ("3", "6", "FS")} <= pairs
    assert ("5", "6", "SS") in pairs
    assert deps.loc[deps["type"].astype(str) == "SS", "lag_days"].tolist() == [1.0]  # 4800 tenths of a minute
    assert len(deps) == 8


def test_calendars_resources_leave_and_assignments(office):
    p = office.portfolio
    assert p.calendars["calendar"].tolist() == ["standard"]  # the project calendar is the one the schedule uses
    assert p.calendars["date"].tolist() == [pd.Timestamp("2026-04-03")]  # Good Friday; weekends are implicit
    people = p.resources.set_index("resource_id")
    assert list(people.index) == ["1", "2"]  # the nameless UID 0 and the material resource are not people
    assert people.loc["1", "role"] == "project_manager" and people.loc["1", "calendar"] == "standard"
    assert people.loc["2", "fte"] == 1.0  # a pool of two is one full-time person, with a warning
    assert any("pool" in f.problem and f.severity == "warning" for f in office.findings)
    assert p.leave[["resource_id", "start", "finish"]].values.tolist() == [
        ["1", pd.Timestamp("2026-04-13"), pd.Timestamp("2026-04-14")]
    ]
    assert p.assignments["task_id"].tolist() == ["5", "6"]
    assert p.assignments["fte"].tolist() == [1.0, 0.5]


def test_the_mapping_report_says_what_was_dropped_and_why(office):
    report = office.imported.report().set_index("element")
    assert report.loc["Task", "count"] == 5
    assert report.loc["Task (summary)", "count"] == 2
    assert "WBS" in report.loc["Task (summary)", "became"]
    assert report.loc["Resource (material or cost)", "count"] == 1
    assert report.loc["Assignment (no resource, or not on a task)", "count"] == 2


def test_a_plan_without_the_chosen_baseline_uses_its_scheduled_dates_and_says_so():
    result = importers.validate(PLAN, importers.Options(baseline=3))
    assert result.ok
    assert any(f.severity == "note" and "no baseline 3" in f.problem for f in result.findings)
    tasks = result.portfolio.tasks.set_index("task_id")
    assert tasks.loc["2", "planned_cost"] == 1500.0  # the current cost, since there is no baseline 3
    assert tasks.loc["5", "baseline_start"] == pd.Timestamp("2026-04-10")


def test_options_name_the_project_and_portfolio():
    options = importers.Options(project_id="MOVE", project_name="HQ move", portfolio="Facilities")
    project = importers.load(PLAN, options).projects.iloc[0]
    assert (project["project_id"], project["name"], project["portfolio"]) == ("MOVE", "HQ move", "Facilities")


# ---- broken and hostile files: one finding each, naming the file (and element), no traceback

MINIMAL = """<?xml version="1.0"?>
<Project xmlns="http://schemas.microsoft.com/project"><Title>t</Title><MinutesPerDay>480</MinutesPerDay>
<Tasks>{tasks}</Tasks></Project>"""


def task(uid, duration="PT8H0M0S", links=""):
    return (
        f"<Task><UID>{uid}</UID><Name>Task {uid}</Name><OutlineLevel>1</OutlineLevel><Duration>{duration}</Duration>"
        f"<Start>2026-01-05T08:00:00</Start><Finish>2026-01-05T17:00:00</Finish>{links}</Task>"
    )


def link(pred, kind=1, lag=0, fmt=7):
    return (
        f"<PredecessorLink><PredecessorUID>{pred}</PredecessorUID><Type>{kind}</Type>"
        f"<LinkLag>{lag}</LinkLag><LagFormat>{fmt}</LagFormat></PredecessorLink>"
    )


def write(tmp_path, text, name="plan.xml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def only_errors(result):
    return [f for f in result.findings if f.severity == "error"]


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<Project xmlns="http://schemas.microsoft.com/project"><Title>&d;</Title></Project>"""

EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Project xmlns="http://schemas.microsoft.com/project"><Title>&secret;</Title></Project>"""


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (BILLION_LAUGHS, "refuses"),
        (EXTERNAL, "refuses"),
        (MINIMAL.format(tasks=task(1))[:-40], "not well formed"),
        ("<Plan><Task/></Plan>", "not <Project>"),
        ("", "not well formed"),
    ],
    ids=["entity bomb", "external entity", "cut short", "not a plan", "empty"],
)
def test_hostile_or_damaged_xml_gives_one_finding_and_no_tables(tmp_path, text, words):
    result = importers.validate(write(tmp_path, text))
    errors = only_errors(result)
    assert not result.ok and len(errors) == 1
    assert words in errors[0].problem and errors[0].file == "plan.xml"
    assert result.portfolio is None
    assert "root:x" not in str(result.findings)  # the external file was never read into the findings


def test_a_link_to_a_missing_task_is_named_by_its_element(tmp_path):
    plan = write(tmp_path, MINIMAL.format(tasks=task(1) + task(2, links=link(1)) + task(3, links=link(99))))
    errors = only_errors(importers.validate(plan))
    assert len(errors) == 1
    assert errors[0].file == "plan.xml[PredecessorLink]" and errors[0].row == 2  # the second PredecessorLink
    assert errors[0].column == "PredecessorUID" and errors[0].value.endswith("99")


def test_a_loop_of_links_is_found(tmp_path):
    plan = write(
        tmp_path, MINIMAL.format(tasks=task(1, links=link(3)) + task(2, links=link(1)) + task(3, links=link(2)))
    )
    errors = only_errors(importers.validate(plan))
    assert errors and all("loop" in f.problem for f in errors)
    assert errors[0].file == "plan.xml[PredecessorLink]"


def test_a_percent_lag_is_refused_and_an_elapsed_lag_is_converted_with_a_warning(tmp_path):
    plan = write(tmp_path, MINIMAL.format(tasks=task(1) + task(2, links=link(1, lag=500, fmt=19))))
    errors = only_errors(importers.validate(plan))
    assert len(errors) == 1 and "percent lag" in errors[0].problem and errors[0].column == "LinkLag"
    # 7 elapsed days (7 x 24 x 60 x 10 tenths of a minute) are taken as 5 working days
    plan = write(tmp_path, MINIMAL.format(tasks=task(1) + task(2, links=link(1, lag=100800, fmt=8))), "elapsed.xml")
    result = importers.validate(plan)
    assert result.ok
    assert result.portfolio.dependencies["lag_days"].tolist() == [5.0]
    assert any(f.severity == "warning" and "elapsed lag" in f.problem for f in result.findings)


def test_a_bad_duration_names_its_task_element(tmp_path):
    plan = write(tmp_path, MINIMAL.format(tasks=task(1) + task(2, duration="two days")))
    errors = only_errors(importers.validate(plan))
    assert len(errors) == 1
    assert (errors[0].file, errors[0].row, errors[0].column, errors[0].value) == (
        "plan.xml[Task]",
        2,
        "Duration",
        "two days",
    )


def test_a_folder_of_plans_is_one_portfolio_with_a_project_per_file(tmp_path):
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "a.xml").write_bytes(PLAN.read_bytes())
    write(tmp_path / "plans", MINIMAL.format(tasks=task(1) + task(2, links=link(1))), "b.xml")
    portfolio = importers.load(tmp_path / "plans")
    assert portfolio.projects["project_id"].tolist() == ["a", "b"]
    assert portfolio.tasks.groupby("project_id").size().to_dict() == {"a": 5, "b": 2}


def test_a_broken_file_in_a_folder_is_named_and_stops_the_import(tmp_path):
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "a.xml").write_bytes(PLAN.read_bytes())
    write(tmp_path / "plans", MINIMAL.format(tasks=task(1) + task(2, links=link(7))), "b.xml")
    result = importers.validate(tmp_path / "plans")
    assert not result.ok
    assert [f.file for f in only_errors(result)] == ["b.xml[PredecessorLink]"]


# ---- pmo import


def test_pmo_import_writes_a_dataset_that_loads_with_the_same_tables(pmo, tmp_path):
    out = tmp_path / "move"
    result = pmo("import", str(PLAN), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "What was mapped" in result.stdout and "Task (summary)" in result.stdout
    assert "1 project(s), 5 tasks, 8 links, 2 people" in result.stdout
    again = importers.load(out)
    direct = importers.load(PLAN)
    for name in ("projects", "tasks", "dependencies", "resources", "assignments", "calendars", "leave"):
        pd.testing.assert_frame_equal(again.table(name), direct.table(name), check_dtype=False, obj=name)


def test_pmo_import_of_a_broken_plan_writes_nothing_and_exits_1(pmo, tmp_path):
    plan = write(tmp_path, MINIMAL.format(tasks=task(1) + task(2, links=link(1, lag=10, fmt=20))))
    out = tmp_path / "out"
    result = pmo("import", str(plan), "--out", str(out))
    assert_refused(result, 1, "percent lag")
    assert "plan.xml[PredecessorLink]" in result.stderr and "nothing written" in result.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [plan]  # no half-written folder beside it either


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["missing.xml"], "no file or folder"),
        (["tests/fixtures/mini"], "not an MS Project XML (.xml), P6 XER"),
    ],
)
def test_pmo_import_usage_errors_exit_2(pmo, tmp_path, args, words):
    assert_refused(pmo("import", *args, "--out", str(tmp_path / "out")), 2, words)


def test_pmo_import_refuses_a_folder_that_is_not_empty(pmo, tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("mine")
    assert_refused(pmo("import", str(PLAN), "--out", str(tmp_path / "out")), 2, "not an empty folder")
    assert (tmp_path / "out" / "keep.txt").read_text() == "mine"


def test_pmo_validate_and_schedule_read_a_plan_directly(pmo):
    checked = pmo("validate", str(PLAN))
    assert checked.returncode == 0 and "office_move.xml[Task]" in checked.stdout
    planned = pmo("schedule", str(PLAN), "--format", "csv")
    assert planned.returncode == 0, planned.stderr
    rows = planned.stdout.strip().splitlines()
    assert len(rows) == 6 and rows[1].startswith("office_move,2,2026-03-30,2026-04-01")


# ---- Primavera P6 XER: the same office move, written by hand as P6 exports it (WBS, an LOE, a role)

XER_PLAN = examples_dir() / "office_move.xer"


def test_the_hand_worked_xer_schedules_to_the_same_dates():
    result = importers.validate(XER_PLAN)
    assert result.ok, result.findings
    got = schedule(result.portfolio).set_index("task_id")
    assert got["early_start"].dt.strftime("%Y-%m-%d").tolist() == [
        "2026-03-30", "2026-04-02", "2026-04-10", "2026-04-13", "2026-04-16"
    ]  # fmt: skip
    assert got["total_float"].tolist() == [0, 0, 0, 1, 0]
    tasks = result.portfolio.tasks.set_index("task_id")
    assert tasks["wbs"].fillna("").tolist() == ["1", "1", "2", "2", ""]  # the milestone sits on the project node
    assert tasks.loc["A1020", "name"] == 'Fit-out, "phase 1"'
    assert tasks.loc["A1010", "percent_complete"] == 40.0  # physical percent
    assert tasks.loc["A1000", "percent_complete"] == 100.0  # completed
    assert tasks.loc["A1020", "duration_days"] == 4.0  # 32 hours on an 8-hour calendar
    assert result.portfolio.calendars["date"].tolist() == [pd.Timestamp("2026-04-03")]
    people = result.portfolio.resources
    assert people["name"].tolist() == ["Site lead"] and people["role"].tolist() == ["project_manager"]
    report = result.imported.report().set_index("element")
    assert report.loc["TASK (level of effort)", "count"] == 1
    assert report.loc["RSRC (equipment or material)", "count"] == 1


def _xer(tmp_path, drop=None, extra_field=None, header="ERMHDR\t19.12"):
    lines = XER_PLAN.read_text(encoding="cp1252").splitlines()
    lines[0] = header + lines[0][len("ERMHDR\t19.12") :] if header.startswith("ERMHDR") else header
    if drop:
        start = lines.index(f"%T\t{drop}")
        end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith(("%T", "%E")))
        del lines[start:end]
    if extra_field:
        i = next(i for i, line in enumerate(lines) if line.startswith("%R\t3\t10\t102"))
        lines[i] += "\tspilled"
    path = tmp_path / "plan.xer"
    path.write_text("\n".join(lines) + "\n", encoding="cp1252")
    return path, lines


def test_an_xer_without_its_task_table_is_refused(tmp_path):
    path, _ = _xer(tmp_path, drop="TASK")
    errors = only_errors(importers.validate(path))
    assert len(errors) == 1 and "no TASK table" in errors[0].problem and errors[0].file == "plan.xer"


def test_a_ragged_xer_row_is_named_by_its_line(tmp_path):
    path, lines = _xer(tmp_path, extra_field=True)
    errors = only_errors(importers.validate(path))
    line = next(i + 1 for i, text in enumerate(lines) if text.startswith("%R\t3\t10\t102"))
    assert len(errors) == 1 and errors[0].row == line and "fields" in errors[0].problem


def test_a_file_that_is_not_an_xer_is_refused(tmp_path):
    path, _ = _xer(tmp_path, header="PROJECT EXPORT")
    errors = only_errors(importers.validate(path))
    assert len(errors) == 1 and "not a Primavera P6 XER" in errors[0].problem


# ---- Jira CSV: repeated headers, a multi-line description, epics as the WBS, Blocks links

JIRA = examples_dir() / "jira_export.csv"
SPRINTS = {"Sprint 1": "2026-03-30", "Sprint 2": "2026-04-13", "Sprint 3": "2026-04-27"}


@pytest.fixture(scope="module")
def jira():
    return importers.validate(JIRA, importers.Options(sprints=SPRINTS))


def test_jira_issues_become_tasks_under_their_epics(jira):
    assert jira.ok, jira.findings
    tasks = jira.portfolio.tasks.set_index("task_id")
    assert list(tasks.index) == ["PAY-2", "PAY-3", "PAY-4", "PAY-5", "PAY-6"]  # the epic PAY-1 is the WBS
    assert tasks["wbs"].fillna("").tolist() == ["PAY-1", "PAY-1", "PAY-1", "", "PAY-1"]  # PAY-6 via its parent
    # 57600 s at 8 h a day = 2 days; 5 points at 1 a day = 5 days; 86400 s = 3 days; no estimate = 1 day
    assert tasks["duration_days"].tolist() == [2.0, 5.0, 3.0, 1.0, 1.0]
    assert tasks["percent_complete"].tolist() == [100.0, 50.0, 0.0, 0.0, 0.0]  # "Waiting for vendor": its category
    assert tasks.loc["PAY-2", "actual_finish"] == pd.Timestamp("2026-04-10")
    # PAY-3 runs over sprints 1 and 2: from the first day of sprint 1 to the Friday of sprint 2's last week
    assert (tasks.loc["PAY-3", "baseline_start"], tasks.loc["PAY-3", "baseline_finish"]) == (
        pd.Timestamp("2026-03-30"),
        pd.Timestamp("2026-04-24"),
    )
    assert any("neither an original estimate" in f.problem for f in jira.findings)


def test_the_jira_plan_schedules_to_the_dates_worked_out_by_hand(jira):
    # from Monday 2026-03-30 (sprint 1), weekends only: PAY-2 2 d (days 0-1); PAY-3 5 d and PAY-4 3 d after
    # it (days 2-6, 2-4: Wed 1 Apr to Tue 7 Apr, Wed 1 to Fri 3 Apr); PAY-5 1 d after both (day 7, Wed 8 Apr);
    # PAY-6 1 d with no link (day 0). The finish is day 8: PAY-4 has 2 days of float, PAY-6 has 7.
    got = schedule(jira.portfolio).set_index("task_id")
    assert got["early_start"].dt.strftime("%m-%d").to_dict() == {
        "PAY-2": "03-30", "PAY-3": "04-01", "PAY-4": "04-01", "PAY-5": "04-08", "PAY-6": "03-30"
    }  # fmt: skip
    assert got.loc["PAY-3", "early_finish"] == pd.Timestamp("2026-04-07")
    assert got["total_float"].to_dict() == {"PAY-2": 0, "PAY-3": 0, "PAY-4": 2, "PAY-5": 0, "PAY-6": 7}


def test_jira_blocks_links_in_both_directions_become_finish_to_start(jira):
    deps = jira.portfolio.dependencies
    pairs = set(zip(deps["predecessor_id"], deps["successor_id"], strict=True))
    # PAY-2 blocks PAY-3 (outward on PAY-2 and inward on PAY-3: one link), PAY-2 and PAY-4 (the second
    # repeated outward column), PAY-4 blocks PAY-5, PAY-5 is blocked by PAY-3; PAY-99 is not in the file
    assert pairs == {("PAY-2", "PAY-3"), ("PAY-2", "PAY-4"), ("PAY-4", "PAY-5"), ("PAY-3", "PAY-5")}
    assert set(deps["type"].astype(str)) == {"FS"}
    assert any("not in the file" in f.problem for f in jira.findings)


def test_jira_assignees_are_people_booked_over_their_sprints(jira):
    people = jira.portfolio.resources
    assert sorted(people["name"]) == ["Ada North", "Bo East"]
    assert set(people["role"]) == {"team member"}
    booked = jira.portfolio.assignments.set_index("task_id")
    assert booked.loc["PAY-5", "start"] == pd.Timestamp("2026-04-27")
    assert jira.portfolio.projects.loc[0, "baseline_start"] == pd.Timestamp("2026-03-30")


def test_a_cycle_of_blocks_links_names_the_issue_rows(tmp_path):
    text = JIRA.read_text(encoding="utf-8").replace("PAY-3,PAY-4,,", "PAY-3,PAY-4,PAY-5,")  # PAY-5 blocks PAY-2
    path = tmp_path / "issues.csv"
    path.write_text(text, encoding="utf-8")
    errors = only_errors(importers.validate(path))
    assert errors and all("loop" in f.problem for f in errors)
    assert {f.file for f in errors} == {"issues.csv"}
    # the rows as a spreadsheet shows them: PAY-2 is row 3, PAY-4 row 5, PAY-5 row 6
    assert {f.row for f in errors} <= {3, 5, 6}


def test_a_multi_line_description_does_not_shift_the_rows_after_it(tmp_path):
    text = JIRA.read_text(encoding="utf-8").replace(",86400,", ",-86400,")  # PAY-4: a negative estimate
    path = tmp_path / "issues.csv"
    path.write_text(text, encoding="utf-8")
    errors = only_errors(importers.validate(path, importers.Options(sprints=SPRINTS)))
    assert len(errors) == 1 and errors[0].column == "Original Estimate"
    lines = text.splitlines()
    assert lines[5].startswith("Fraud checks,PAY-4")  # line 6 of the text: PAY-2's description has two lines
    assert errors[0].row == 5  # but row 5 of the sheet, as Excel shows it


def test_pmo_import_takes_the_jira_options(pmo, tmp_path):
    out = tmp_path / "pay"
    args = [
        "import",
        str(JIRA),
        "--out",
        str(out),
        "--status-percent",
        "Waiting for vendor=10",
        "--jira-role",
        "developer",
    ]
    for name, day in SPRINTS.items():
        args += ["--sprint", f"{name}={day}"]
    result = pmo(*args)
    assert result.returncode == 0, result.stderr
    portfolio = importers.load(out)
    assert portfolio.tasks.set_index("task_id").loc["PAY-5", "percent_complete"] == 10.0
    assert set(portfolio.resources["role"]) == {"developer"}
    assert_refused(pmo("import", str(JIRA), "--out", str(tmp_path / "x"), "--sprint", "Sprint 1"), 2, "NAME=YYYY-MM-DD")
