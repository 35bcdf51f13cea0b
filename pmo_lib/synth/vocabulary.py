"""The words of the fictional organisation: portfolios, roles, phases, names, risk and change texts."""

from __future__ import annotations

import numpy as np

AS_OF = "2026-10-31"
HOURS_PER_DAY = 7.5

PROFILES = np.array(
    [
        "healthy", "late", "over_budget", "on_hold", "healthy", "closed",
        "late_over", "new", "healthy", "rebaselined", "cancelled", "healthy",
    ]
)  # fmt: skip
PORTFOLIOS = ["Digital Services", "Operations Excellence", "Infrastructure & Security"]
PROGRAMMES = {
    "Digital Services": ["Customer Channels", "Data Platform"],
    "Operations Excellence": ["Process Automation", "Supply Chain"],
    "Infrastructure & Security": ["Cloud Migration", "Cyber Resilience"],
}
PROJECT_WORDS = (
    ["Customer", "Partner", "Finance", "Payroll", "Warehouse", "Field Service", "Identity", "Analytics",
     "Billing", "Network", "Procurement", "Onboarding", "Claims", "Fleet", "Inventory", "Service Desk"],
    ["Portal", "Platform", "Migration", "Automation", "Upgrade", "Consolidation", "Redesign", "Rollout",
     "Integration", "Modernisation", "Hardening", "Replacement"],
)  # fmt: skip
FIRST = ["Avery", "Bryn", "Cato", "Dara", "Elio", "Fenna", "Goran", "Hale", "Ilsa", "Joss", "Kit", "Lorne",
         "Mira", "Nell", "Orrin", "Pia", "Quill", "Rhea", "Soren", "Tamsin", "Ulla", "Vance", "Wren", "Xan",
         "Yara", "Zeb", "Ansel", "Brisa", "Corin", "Delphine", "Emrys", "Faye", "Galen", "Hesper", "Ives",
         "Juno", "Kestrel", "Linnea", "Marek", "Noor"]  # fmt: skip
LAST = ["Ashgrove", "Brackwell", "Coldmere", "Dunmore", "Elderby", "Fallowfield", "Greythorn", "Hollins",
        "Ivesdale", "Juniper", "Kettleby", "Larchmont", "Marlowe", "Netherby", "Oakridge", "Pennick",
        "Quarrendon", "Rookwood", "Stanbury", "Thornfield", "Underhill", "Valemont", "Westacre", "Yewdale",
        "Ambleside", "Birchall", "Copperfield", "Dovecote", "Emberley", "Foxley", "Gorsey", "Heathcote",
        "Inchbury", "Jessop", "Kingsmere", "Lowther", "Millbrook", "Norcott", "Orchardson", "Pembury"]  # fmt: skip
PROPOSAL_WORDS = (
    ["Self-Service", "Mobile", "Predictive", "Digital", "Regulatory", "Shared", "Automated", "Secure",
     "Real-Time", "Unified"],
    ["Returns", "Scheduling", "Maintenance", "Invoicing", "Reporting", "Onboarding", "Forecasting",
     "Payments", "Access", "Records", "Quoting", "Ordering"],
)  # fmt: skip
ROLES = np.array(
    ["project_manager", "business_analyst", "developer", "tester", "architect", "designer",
     "data_engineer", "change_manager"]
)  # fmt: skip
ROLE_SHARE = np.array([0.12, 0.12, 0.30, 0.15, 0.06, 0.08, 0.10, 0.07])
ROLE_RATE = np.array([75.0, 65.0, 70.0, 55.0, 95.0, 60.0, 75.0, 60.0])
ROLE_TEAM = np.array(
    ["Delivery Management", "Business Analysis", "Engineering", "Quality Assurance", "Architecture",
     "Design", "Data", "Business Change"]
)  # fmt: skip
# phase name, share of tasks, roles (indexes into ROLES), task verbs
PHASES = [
    ("Initiation", 0.08, [0], ["Agree scope of", "Approve business case for", "Mobilise team for"]),
    ("Analysis", 0.14, [1], ["Gather requirements for", "Map current process of", "Analyse data for"]),
    ("Design", 0.14, [4, 5], ["Design", "Prototype", "Review architecture of"]),
    ("Build", 0.30, [2, 6], ["Build", "Configure", "Integrate", "Migrate data for"]),
    ("Test", 0.16, [3], ["System test", "Performance test", "User acceptance test of"]),
    ("Deploy", 0.12, [2, 7], ["Train users on", "Cut over", "Deploy"]),
    ("Close", 0.06, [0], ["Hand over", "Close out", "Capture lessons from"]),
]
OBJECTS = ["order flow", "reporting", "user accounts", "interfaces", "data model", "workflows", "access rules",
           "dashboards", "notifications", "batch jobs", "pricing rules", "audit trail"]  # fmt: skip
RISK_TEMPLATES = [
    ("technical", "Legacy interface may not support the new data volumes"),
    ("resource", "Key developer also committed to another project"),
    ("supplier", "Supplier quote marked =HOLD in finance system until contract signed"),
    ("commercial", "Licence costs may rise at renewal"),
    ("schedule", "Test environment delivery could slip"),
    ("regulatory", "New reporting rule may change scope"),
    ("technical", "Data quality in source systems <70% complete"),
    ("people", "Business users unavailable during year-end"),
    ("security", "Penetration test may find high-severity issues"),
    ("schedule", "Dependency on network upgrade in another programme"),
]
ISSUE_TITLES = ["Build server outage delayed testing", "Requirements sign-off overdue",
                "Defect backlog above threshold", "Supplier missed delivery date",
                "Key stakeholder left the organisation", "Environment access not granted"]  # fmt: skip
CHANGE_TITLES = ["Add reporting dashboard to scope", "Extend pilot to second site", "Descope legacy archive",
                 "Additional security controls", "Replace supplier component"]  # fmt: skip
COMMENTARY = {
    "G": ["On track against baseline; next milestone expected on time.",
          "Good progress this month; no new issues raised."],
    "A": ["Some slippage on build tasks; recovery plan agreed with the sponsor.",
          "Costs trending above plan; reviewing supplier spend.",
          "Velocity < plan for two sprints; team rebalancing in progress."],
    "R": ["Forecast finish is well past baseline; re-plan needed.",
          "Overspend beyond tolerance; escalated to the portfolio board."],
}  # fmt: skip
