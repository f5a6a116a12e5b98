#!/usr/bin/env python3
"""Writes the assessment demo dataset: the MICAD framework (frameworks.json) and five
ILLUSTRATIVE assessments (assessments.json). The capacities, indicators and dimensions come
from the MICAD seed; every score is invented for the demo (the seed gives capacities and
needs, not numbers). Deterministic: run `python3 data/assessment/generate.py` to rebuild
(`--table` also prints the README's table of resulting profiles)."""
import json
import os
import sys

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

DESK, INTERVIEW, SURVEY, DATA, PEER = (
    "DESK_RESEARCH", "INTERVIEW", "SURVEY", "DATA", "PEER_EXCHANGE")

# (organisation, display name, visibility, methods used, ILLUSTRATIVE capacity scores in
# CAPACITIES order, capacities assessed from desk research and interviews only). The
# organisation names are those of data/membership/organisations.json. Scores, methods per
# area and the thinly evidenced capacities are invented for the demo: the seed names the
# five areas and the methods, not per-area results.
ORGANISATIONS = [
    ("organisations/barcelona-metropolitan-area", "Metropolitan Area of Barcelona", "PUBLIC",
     [DESK, INTERVIEW, SURVEY, DATA, PEER],
     [4.5, 4.0, 4.0, 4.0, 4.0, 3.5, 4.5], []),
    ("organisations/metropolitan-city-of-milan", "Metropolitan City of Milan", "NETWORK",
     [DESK, INTERVIEW, SURVEY, DATA],
     [4.0, 3.5, 3.5, 3.0, 3.0, 4.0, 4.0], []),
    ("organisations/city-of-tirana", "City of Tirana", "NETWORK",
     [DESK, INTERVIEW, PEER],
     [2.5, 2.5, 3.5, 2.5, 3.0, 2.5, 3.0], ["experimental"]),
    ("organisations/city-of-chisinau", "City of Chisinau", "NETWORK",
     [DESK, INTERVIEW, SURVEY],
     [2.5, 2.0, 3.0, 2.5, 3.0, 2.0, 2.5], ["experimental"]),
    ("organisations/gornoslasko-zaglebiowska-metropolia",
     "Górnośląsko-Zagłębiowska Metropolia (GZM)", "NETWORK",
     [DESK, INTERVIEW, SURVEY, DATA, PEER],
     [3.5, 4.0, 3.5, 4.0, 2.5, 3.0, 3.5], []),
]

RESPONDENTS = {
    DESK: "MICAD research team (desk review)",
    INTERVIEW: "Strategic planning department (interview)",
    SURVEY: "Municipal officers (survey)",
    DATA: "Metropolitan data office",
    PEER: "Peer exchange with partner metropolitan areas",
}
ILLUSTRATIVE = "ILLUSTRATIVE demo score, not a MICAD finding."

# Offsets of an indicator's two responses from its capacity's score, by indicator position.
# Indicator means are +0.25, -0.25, 0, 0, 0, so a capacity of 3, 4 or 5 indicators scores
# exactly its listed value while its answers differ. No randomness.
OFFSETS = [(0.5, 0.0), (0.0, -0.5), (0.5, -0.5), (-0.5, 0.5), (0.0, 0.0)]

# What the loader (tools/metrocapctl load) does after creating each resource: the custom
# methods to call, in order, and the state each leaves it in.
PUBLISH = [{"call": ":publish", "state": "PUBLISHED"}]
SUBMIT_AND_VALIDATE = [{"call": ":submit", "state": "SUBMITTED"},
                       {"call": ":validate", "state": "VALIDATED"}]


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
        "transitions": PUBLISH,
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


def assessment(organisation, display, visibility, methods, scores, thin):
    responses = []
    for c, ((cid, _, _, inds), level) in enumerate(zip(CAPACITIES, scores)):
        sources = [DESK, INTERVIEW] if cid in thin else methods
        for n, (iid, _) in enumerate(inds):
            # Two sources per indicator, rotating through the area's methods.
            for j, offset in enumerate(OFFSETS[n]):
                source = sources[(c + n + j) % len(sources)]
                responses.append({
                    "indicator": f"{cid}.{iid}",
                    "dimension": DIMENSIONS[(c + n + j) % len(DIMENSIONS)][0],
                    "score": level + offset,
                    "source": source,
                    "respondent": RESPONDENTS[source],
                    "evidence": ILLUSTRATIVE,
                })
    return {
        "name": f"{organisation}/assessments/micad-2025",
        "displayName": f"MICAD needs and capacities assessment — {display} (illustrative)",
        "framework": FRAMEWORK,
        "state": "VALIDATED",
        "transitions": SUBMIT_AND_VALIDATE,
        "visibility": visibility,
        "periodStart": {"year": 2025, "month": 1, "day": 1},
        "periodEnd": {"year": 2025, "month": 6, "day": 30},
        "methods": methods,
        "responses": responses,
    }


def write(name, value):
    with open(os.path.join(D, name), "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False, indent=2)
        f.write("\n")


def profile_table(assessments):
    """The README's table of capacity scores: the service's formula (docs/assessment.md)
    for equal weights; N = learning need, P = potential, (M) = MEDIUM confidence."""
    rows = ["| organisation | visibility | " + " | ".join(c[0] for c in CAPACITIES) + " |",
            "|---|---|" + "---|" * len(CAPACITIES)]
    for a in assessments:
        cells = []
        for cid, _, _, inds in CAPACITIES:
            by_indicator = {}
            sources = set()
            for r in a["responses"]:
                if r["indicator"].split(".")[0] == cid:
                    by_indicator.setdefault(r["indicator"], []).append(r["score"])
                    sources.add(r["source"])
            means = [sum(v) / len(v) for v in by_indicator.values()]
            score = sum(means) / len(means)
            mark = " N" if score < 3.0 else " P" if score >= 4.0 else ""
            confidence = " (M)" if len(sources) == 2 else " (L)" if len(sources) == 1 else ""
            cells.append(f"{score:.1f}{mark}{confidence}")
        org = a["name"].split("/")[1]
        rows.append(f"| {org} | {a['visibility']} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


ASSESSMENTS = [assessment(*o) for o in ORGANISATIONS]
write("frameworks.json", [framework()])
write("assessments.json", ASSESSMENTS)
if "--table" in sys.argv:
    print(profile_table(ASSESSMENTS))
