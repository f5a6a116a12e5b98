#!/usr/bin/env python3
"""Writes the assessment demo dataset: the MICAD framework (frameworks.json) and five
ILLUSTRATIVE assessments (assessments.json). The capacities, indicators and dimensions come
from the MICAD seed; every score is invented for the demo (the seed gives capacities and
needs, not numbers). Deterministic: run `python3 data/assessment/generate.py` to rebuild."""
import json
import os

D = os.path.dirname(os.path.abspath(__file__))

# (id, display name, description, [(indicator id, question)]) — from the seed's summary of
# learning needs and potentials per capacity.
CAPACITIES = [
    ("knowledge", "Knowledge capacity",
     "A shared reference framework across departments and policies, cross-departmental "
     "learning, international peer learning and research-policy collaboration.",
     [("shared-reference-framework",
       "Is there a shared reference framework that keeps departments and policies coherent "
       "on the climate and digital transitions?"),
      ("cross-departmental-learning",
       "How far do departments learn from each other and exchange knowledge across the "
       "administration?"),
      ("international-peer-learning",
       "How actively does the metropolitan area use international networks and peer learning "
       "to draw lessons from successful practices elsewhere?"),
      ("research-policy-collaboration",
       "How well do research and policy communities work together to turn analytical "
       "insights into actionable strategies?")]),
    ("management", "Management capacity",
     "Institutional capabilities for strategic planning, policy design and coordination; "
     "multi-stakeholder cooperation; strategic financial management and partnerships; "
     "cross-sectoral integration.",
     [("strategic-planning",
       "Does the administration have the institutional capability for strategic planning, "
       "policy design and coordination?"),
      ("multi-stakeholder-cooperation",
       "Are there multi-stakeholder cooperation structures that govern the transition "
       "roadmaps inclusively and efficiently?"),
      ("strategic-financial-management",
       "How strong is strategic financial management, so that initiatives last beyond "
       "project cycles?"),
      ("partnership-building",
       "How well does the administration build partnerships that sustain its initiatives?"),
      ("cross-sectoral-integration",
       "How well are digital innovation, environmental goals and social inclusion "
       "integrated across sectors?")]),
    ("leadership", "Leadership capacity",
     "Strategic leadership with a clear vision, adaptive leadership informed by "
     "international good practice, inclusive and transparent leadership, a shared "
     "metropolitan identity.",
     [("strategic-vision",
       "Is there a clear vision and a consistent direction for the twin transition agenda?"),
      ("adaptive-leadership",
       "Does leadership adapt by learning from international good practices?"),
      ("inclusive-transparent-leadership",
       "Does leadership make inclusivity, transparency and citizen engagement key "
       "principles?"),
      ("shared-metropolitan-identity",
       "Does leadership promote a shared metropolitan identity and collective ownership of "
       "transition pathways?")]),
    ("relational", "Relational capacity",
     "Horizontal and vertical coordination, multi-level governance, partnership management "
     "across public, private and civic actors, stakeholder platforms as co-creation spaces.",
     [("horizontal-coordination",
       "How effective is coordination among departments and among the metropolitan area's "
       "municipalities?"),
      ("vertical-coordination",
       "How effective is coordination with higher levels of government (multi-level "
       "governance)?"),
      ("partnership-management",
       "How well are priorities aligned across public, private and civic actors?"),
      ("co-creation-platforms",
       "Are stakeholder engagement platforms used as co-creation spaces for dialogue, trust "
       "and shared learning?")]),
    ("mobilization", "Mobilization capacity",
     "Participatory processes that engage citizens and key stakeholders, communication and "
     "awareness-raising, deliberate inclusion of vulnerable or under-represented groups.",
     [("participatory-processes",
       "Can the metropolitan area design and implement participatory processes that engage "
       "citizens and key stakeholders meaningfully?"),
      ("communication-awareness",
       "How effective are communication and awareness-raising on the benefits and "
       "opportunities of the transition?"),
      ("inclusion-of-vulnerable-groups",
       "Do participatory approaches intentionally include vulnerable or under-represented "
       "groups?")]),
    ("learning", "Learning capacity",
     "Monitoring and evaluation frameworks, institutionalised learning processes, digital "
     "skills training for public employees and citizens.",
     [("monitoring-evaluation",
       "Is there a robust monitoring and evaluation framework that tracks progress and "
       "assesses impact?"),
      ("institutionalised-learning",
       "Are learning processes institutionalised, so that feedback and international "
       "experience feed continuous improvement?"),
      ("digital-skills-public-employees",
       "Are there digital skills training programmes for public employees?"),
      ("digital-skills-citizens",
       "Are there digital skills training programmes for citizens?")]),
    ("experimental", "Experimental capacity",
     "Coordinating and managing pilot and experimental projects, mechanisms to replicate "
     "and scale successful initiatives, systematic knowledge transfer of local innovations.",
     [("pilot-management",
       "How well does the administration coordinate and manage pilot and experimental "
       "projects?"),
      ("replication-scaling",
       "Are there institutional mechanisms that enable the replication and scaling of "
       "successful initiatives?"),
      ("knowledge-transfer",
       "Are innovative solutions developed locally transferred and disseminated "
       "systematically?")]),
]

DIMENSIONS = [
    ("metropolitan-governance", "Metropolitan governance"),
    ("climate-transition", "Climate transition"),
    ("digital-transition", "Digital transition"),
    ("stakeholder-engagement", "Stakeholder engagement"),
    ("social-inclusion", "Social inclusion"),
]

FRAMEWORK = "frameworks/micad"

# ILLUSTRATIVE target levels per capacity, in CAPACITIES order. Invented for the demo.
ORGANISATIONS = [
    ("organisations/barcelona-metropolitan-area", "Metropolitan Area of Barcelona", "PUBLIC",
     [4.3, 4.2, 4.0, 3.8, 4.2, 3.4, 4.4]),
    ("organisations/milan-metropolitan-city", "Metropolitan City of Milan", "NETWORK",
     [3.8, 3.6, 3.5, 3.2, 3.1, 4.0, 4.1]),
    ("organisations/tirana", "City of Tirana", "NETWORK",
     [2.6, 2.4, 3.4, 2.7, 3.2, 2.3, 2.8]),
    ("organisations/chisinau", "City of Chisinau", "PRIVATE",
     [2.4, 2.2, 2.9, 2.5, 2.8, 2.1, 2.3]),
    ("organisations/gzm", "Górnośląsko-Zagłębiowska Metropolia (GZM)", "NETWORK",
     [3.4, 4.0, 3.6, 4.2, 2.7, 3.1, 3.3]),
]

SOURCES = ["DESK_RESEARCH", "INTERVIEW", "SURVEY", "DATA", "PEER_EXCHANGE"]
RESPONDENTS = {
    "DESK_RESEARCH": "MICAD research team (desk review)",
    "INTERVIEW": "Strategic planning department (interview)",
    "SURVEY": "Municipal officers (survey)",
    "DATA": "Metropolitan data office",
    "PEER_EXCHANGE": "Peer exchange with partner metropolitan areas",
}
# A fixed spread around each target so that indicators differ; no randomness.
SPREAD = [0.5, -0.5, 0.0, 0.5, -0.5, 0.0, -0.5, 0.5]


def score(target, k):
    s = round((target + SPREAD[k % len(SPREAD)]) * 2) / 2
    return min(5.0, max(1.0, s))


def framework():
    return {
        "name": FRAMEWORK,
        "displayName": "MICAD capacity assessment framework",
        "version": "1.0",
        "description": "Seven capacities for metropolitan readiness for the twin (green and "
                       "digital) transition, adapted by the MICAD research partners (HES-SO, "
                       "Institut Metropoli) from capacity assessment frameworks. Indicators "
                       "are written from the MICAD summary of learning needs and potentials; "
                       "all weights are equal because the source gives none.",
        "state": "PUBLISHED",
        "scaleMin": 1,
        "scaleMax": 5,
        "needThreshold": 3.0,
        "potentialThreshold": 4.0,
        "capacities": [
            {"id": cid, "displayName": name, "description": desc,
             "indicators": [{"id": iid, "question": q, "weight": 1} for iid, q in inds]}
            for cid, name, desc, inds in CAPACITIES],
        "dimensions": [{"id": did, "displayName": name} for did, name in DIMENSIONS],
    }


def assessment(organisation, display, visibility, targets):
    responses = []
    k = 0
    for (cid, _, _, inds), target in zip(CAPACITIES, targets):
        for n, (iid, _) in enumerate(inds):
            # Two sources per indicator, rotating, so capacities reach HIGH confidence.
            for source in (SOURCES[(k + n) % 5], SOURCES[(k + n + 2) % 5]):
                responses.append({
                    "indicator": f"{cid}.{iid}",
                    "dimension": DIMENSIONS[k % len(DIMENSIONS)][0],
                    "score": score(target, k),
                    "source": source,
                    "respondent": RESPONDENTS[source],
                    "evidence": "ILLUSTRATIVE demo score, not a MICAD finding.",
                })
                k += 1
    return {
        "name": f"{organisation}/assessments/micad-2025",
        "displayName": f"MICAD needs and capacities assessment — {display} (illustrative)",
        "framework": FRAMEWORK,
        "periodStart": {"year": 2025, "month": 1, "day": 1},
        "periodEnd": {"year": 2025, "month": 6, "day": 30},
        "methods": ["DESK_RESEARCH", "INTERVIEW", "SURVEY", "DATA", "PEER_EXCHANGE"],
        "state": "VALIDATED",
        "visibility": visibility,
        "responses": responses,
    }


def write(name, value):
    with open(os.path.join(D, name), "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False, indent=2)
        f.write("\n")


write("frameworks.json", [framework()])
write("assessments.json", [assessment(*o) for o in ORGANISATIONS])
