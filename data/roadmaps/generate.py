#!/usr/bin/env python3
"""Writes the roadmaps demo dataset: the Metropolis challenge taxonomy (taxonomies.json),
the Metropolis Strategic Action Plan 2021-2023 (plans.json) and one ILLUSTRATIVE transition
roadmap for each of the five MICAD metropolitan areas (roadmaps.json). README.md says what
comes from which seed. Deterministic: run `python3 data/roadmaps/generate.py` to rebuild."""
import json
import os

D = os.path.dirname(os.path.abspath(__file__))

TAXONOMY = "taxonomies/metropolis-challenges"
PLAN = "plans/metropolis-sap-2021-2023"
FRAMEWORK = "frameworks/micad"

# Seed 001 (Metropolis progress report, January-April 2022), "Metropolitan challenges".
# The seed lists the challenges but never names their themes: the theme titles are ours.
THEMES = [
    ("1", "Social cohesion and basic services (theme title not in the seed)"),
    ("2", "Resilience (theme title not in the seed)"),
    ("3", "Gender equality and open governance (theme title not in the seed)"),
    ("4", "Digital transition (theme title not in the seed)"),
]
CHALLENGES = [
    ("1.1", "Combating inequalities and segregation"),
    ("1.3", "Advancing mobility"),
    ("1.4", "Basic infrastructure and services"),
    ("2.1", "Social resilience"),
    ("2.2", "Economic resilience"),
    ("2.3", "Climate resilience"),
    ("3.1", "Gender mainstreaming"),
    ("3.2", "Transparency and accountability"),
    ("3.3", "Engaged citizenship"),
    ("4.1", "Promoting digital rights"),
    ("4.2", "Closing the gender digital gap"),
    ("4.3", "Adapting to the shared economy"),
]

# Seed 001, "Implementation of the Strategic Action Plan", plus the codes its activities
# cite as outcomes (L3A1D4, L3A2, L3A2D2) that the plan listing does not title.
UNTITLED = "(cited as an outcome in the progress report, which gives no title)"
PLAN_LINES = [
    ("L1", "Strengthen global leadership on metropolitan diplomacy and advocacy", [
        ("L1A1", "Common political metropolitan narrative", [
            ("L1A1D1", "Policy recommendations on issues critical to the metropolitan future"),
            ("L1A1D2", "Policy debates to inform and define positions on current and emerging "
                       "topics"),
            ("L1A1D3", "Incorporating gender equality in every dimension of metropolitan issues"),
        ]),
        ("L1A2", "Metropolitan perspective in global agendas", [
            ("L1A2D1", "Champion Metropolis position at international arena and forums"),
            ("L1A2D2", "Bring the metropolitan governance perspective to debates around global "
                       "and regional agendas"),
            ("L1A2D4", "Support metropolitan leaders in making their voices heard at the "
                       "international level"),
        ]),
        ("L1A3", "Global alliances strategy vis-à-vis other networks and actors", [
            ("L1A3D1", "Contribute to UCLG activities and debates as the metropolitan section"),
            ("L1A3D2", "Active participation in the Global Taskforce of Local and Regional "
                       "overnments"),
            ("L1A3D3", "Collaboration with multilateral actors, local government networks, think "
                       "tanks, international agencies, and other stakeholders"),
        ]),
    ]),
    ("L2", "Build adaptive capacities for metropolitan governance", [
        ("L2A1", "Shared vision of the metropolises of the future", [
            ("L2A1D1", "Prospective analysis on how to build the metropolises of the future"),
            ("L2A1D3", "Research on metropolitan and urban topics, including gender issues"),
        ]),
        ("L2A2", "Support for the development and implementation of metropolitan governance "
                 "structures, policies, services, and planning", [
            ("L2A2D1", "Data and indicators for better decision-making"),
            ("L2A2D2", "Online platforms for knowledge exchange"),
            ("L2A2D3", "Learning and capacity-building activities for senior managers and "
                       "practitioners"),
            ("L2A2D4", "Innovative projects and working groups on specific metropolitan issues"),
            ("L2A2D7", "Tools to mainstream gender in metropolitan policies"),
        ]),
        ("L2A3", "Localising global agendas at the metropolitan scale, in particular the 2030 "
                 "Agenda and its Sustainable Development Goals", [
            ("L2A3D2", "Capacity building so that public servants can implement policies and "
                       "actions to achieve the global agendas"),
        ]),
    ]),
    ("L3", "Foster within Metropolis an accountable and sustainable internal governance culture", [
        ("L3A1", "Caring organization", [
            ("L3A1D3", "Gender-sensitive association"),
            ("L3A1D4", "L3A1D4 " + UNTITLED),
        ]),
        ("L3A2", "L3A2 " + UNTITLED, [
            ("L3A2D2", "L3A2D2 " + UNTITLED),
        ]),
    ]),
]

# Per capacity (seed 000, MICAD's summary of learning needs and potentials): an objective
# and two actions, each action with the plan codes and challenges it serves. The links to
# the Metropolis plan and taxonomy are ILLUSTRATIVE: the seeds do not connect MICAD to them.
CAPACITY_WORK = {
    "knowledge": ("Strengthen knowledge capacity: a shared reference framework and "
                  "cross-departmental learning", [
        ("shared-framework", "Develop a shared reference framework for the climate and digital "
                             "transitions across departments", ["L2A2D2"], ["2.3", "4.1"]),
        ("peer-learning", "Join international peer learning with metropolitan areas that show a "
                          "potential in knowledge", ["L1A3D3"], ["2.3"]),
    ]),
    "management": ("Strengthen management capacity: strategic planning, multi-stakeholder "
                   "cooperation and financing beyond project cycles", [
        ("cooperation-structure", "Set up a multi-stakeholder cooperation structure that governs "
                                  "the roadmap", ["L2A2"], ["3.2"]),
        ("financial-plan", "Build a strategic financial plan so initiatives outlive their "
                           "projects", ["L2A2D4"], ["2.2"]),
    ]),
    "leadership": ("Strengthen leadership capacity: a clear vision for the twin transition", [
        ("vision", "Adopt a metropolitan vision for the twin transition", ["L2A1D1"], ["2.3"]),
        ("good-practice", "Learn adaptive leadership from international good practice",
         ["L1A2D4"], ["3.2"]),
    ]),
    "relational": ("Strengthen relational capacity: horizontal and vertical coordination and "
                   "co-creation with stakeholders", [
        ("coordination", "Establish coordination mechanisms among departments, municipalities "
                         "and higher levels of government", ["L2A2"], ["3.2"]),
        ("co-creation-platform", "Open a stakeholder engagement platform as a co-creation space",
         ["L2A2D2"], ["3.3"]),
    ]),
    "mobilization": ("Strengthen mobilization capacity: participatory processes that include "
                     "vulnerable and underrepresented groups", [
        ("participatory-process", "Design a participatory process that reaches vulnerable and "
                                  "underrepresented groups", ["L2A3D2"], ["1.1", "3.3"]),
        ("awareness-campaign", "Run a communication campaign on the benefits of the digital "
                               "transition", ["L1A1D2"], ["4.1"]),
    ]),
    "learning": ("Strengthen learning capacity: monitoring and evaluation, and digital skills", [
        ("monitoring-framework", "Establish a monitoring and evaluation framework for the "
                                 "roadmap", ["L2A2D1"], ["3.2"]),
        ("digital-skills", "Run digital skills training for public employees and citizens",
         ["L2A2D3"], ["4.2"]),
    ]),
    "experimental": ("Strengthen experimental capacity: coordinate pilots and scale what "
                     "works", [
        ("pilot-coordination", "Set up a unit that coordinates pilot and experimental projects",
         ["L2A2D4"], ["2.3"]),
        ("scaling-mechanism", "Create a mechanism to replicate and scale successful pilots",
         ["L2A2D4"], ["2.3", "1.4"]),
    ]),
}

# The five MICAD areas (seed 000) and the capacities each roadmap works on: the learning
# needs of their demo assessments (data/assessment, capacity below 3.0); Barcelona and
# Milan have none, so their roadmaps work on their lowest-scoring capacities.
AREAS = [
    ("barcelona-metropolitan-area", "Metropolitan Area of Barcelona", ["learning"]),
    ("metropolitan-city-of-milan", "Metropolitan City of Milan", ["relational", "mobilization"]),
    ("city-of-tirana", "City of Tirana", ["knowledge", "management", "relational", "learning"]),
    ("city-of-chisinau", "City of Chisinau",
     ["knowledge", "management", "relational", "learning", "experimental"]),
    ("gornoslasko-zaglebiowska-metropolia", "Górnośląsko-Zagłębiowska Metropolia (GZM)",
     ["mobilization"]),
]


def date(y, m, d):
    return {"year": y, "month": m, "day": d}


def action(area_index, obj_index, act_index, capacity, work):
    act_id, title, outcome_codes, challenge_codes = work
    # ILLUSTRATIVE statuses and dates, varied by position so that progress, lateness and
    # cancellations all show: the first action of each objective runs from September 2025
    # to June 2026, the second from January 2026 to March 2027.
    n = area_index + obj_index + act_index
    first = act_index == 0
    status, progress = [("IN_PROGRESS", 60), ("DONE", 100), ("DELAYED", 30),
                        ("IN_PROGRESS", 80), ("NOT_STARTED", 0)][n % 5] if first else \
        [("IN_PROGRESS", 25), ("NOT_STARTED", 0), ("IN_PROGRESS", 40),
         ("CANCELLED", 0), ("IN_PROGRESS", 10)][n % 5]
    out = {
        "id": act_id,
        "title": title,
        "owner": "Metropolitan strategic planning office (illustrative)",
        "status": status,
        "startDate": date(2025, 9, 1) if first else date(2026, 1, 1),
        "dueDate": date(2026, 6, 30) if first else date(2027, 3, 31),
        "capacities": [capacity],
        "challengeCodes": challenge_codes,
        "outcomeCodes": outcome_codes,
    }
    if progress:
        out["progressPercent"] = progress
    return out


def indicators(area_index):
    # ILLUSTRATIVE numbers: the seeds give none.
    trained_target = 120 + 40 * area_index
    emissions = 80.0 + 25 * area_index
    return [
        {
            "id": "staff-trained",
            "displayName": "Public employees trained in climate and digital skills "
                           "(illustrative)",
            "unit": "people",
            "baseline": 0,
            "target": trained_target,
            "measurements": [
                {"date": date(2025, 12, 31), "value": 10 + 5 * area_index,
                 "source": "training attendance records (illustrative)"},
                {"date": date(2026, 6, 30), "value": 30 + 12 * area_index,
                 "source": "training attendance records (illustrative)"},
            ],
            "milestones": [
                {"date": date(2026, 6, 30), "value": trained_target // 3},
                {"date": date(2027, 6, 30), "value": trained_target},
            ],
        },
        {
            "id": "administration-emissions",
            "displayName": "Greenhouse gas emissions of the metropolitan administration "
                           "(illustrative)",
            "unit": "ktCO2e",
            "baseline": emissions,
            "target": round(emissions * 0.7, 1),
            "measurements": [
                {"date": date(2025, 12, 31), "value": round(emissions * 0.95, 1),
                 "source": "annual emissions inventory (illustrative)"},
            ],
            "milestones": [
                {"date": date(2025, 12, 31), "value": round(emissions * 0.9, 1)},
                {"date": date(2027, 6, 30), "value": round(emissions * 0.7, 1)},
            ],
        },
    ]


def roadmap(area_index, org, display, capacities):
    objectives = []
    for o, capacity in enumerate(capacities):
        title, works = CAPACITY_WORK[capacity]
        objectives.append({
            "id": capacity,
            "title": title,
            "capacities": [capacity],
            "actions": [action(area_index, o, a, capacity, w) for a, w in enumerate(works)],
        })
    return {
        "name": f"organisations/{org}/roadmaps/twin-transition",
        "displayName": f"Twin transition roadmap — {display} (illustrative)",
        "description": "Built from the learning needs of the MICAD capacity assessment "
                       "(data/assessment). Actions, dates, statuses and indicator numbers are "
                       "ILLUSTRATIVE, not MICAD findings.",
        "kind": "TWIN",
        "state": "ACTIVE",
        "plan": PLAN,
        "framework": FRAMEWORK,
        "startDate": date(2025, 7, 1),
        "endDate": date(2027, 6, 30),
        "objectives": objectives,
        "indicators": indicators(area_index),
    }


def main():
    taxonomy = {
        "name": TAXONOMY,
        "displayName": "Metropolis metropolitan challenges",
        "description": "The metropolitan challenges Metropolis tags its activities with "
                       "(progress report January-April 2022).",
        "themes": [{"code": c, "title": t} for c, t in THEMES],
        "challenges": [{"code": c, "title": t} for c, t in CHALLENGES],
    }
    plan = {
        "name": PLAN,
        "displayName": "Metropolis Strategic Action Plan 2021-2023",
        "description": "Action lines, actions and deliverables as the Metropolis progress "
                       "report (January-April 2022) lists them.",
        "owner": "organisations/metropolis",
        "taxonomy": TAXONOMY,
        "startDate": date(2021, 1, 1),
        "endDate": date(2023, 12, 31),
        "actionLines": [
            {"code": lc, "title": lt, "actions": [
                {"code": ac, "title": at, "deliverables": [
                    {"code": dc, "title": dt} for dc, dt in ds]}
                for ac, at, ds in actions]}
            for lc, lt, actions in PLAN_LINES],
    }
    roadmaps = [roadmap(i, org, display, caps) for i, (org, display, caps) in enumerate(AREAS)]
    for file, items in (("taxonomies.json", [taxonomy]), ("plans.json", [plan]),
                        ("roadmaps.json", roadmaps)):
        with open(os.path.join(D, file), "w", encoding="utf-8") as out:
            json.dump(items, out, ensure_ascii=False, indent=2)
            out.write("\n")


if __name__ == "__main__":
    main()
