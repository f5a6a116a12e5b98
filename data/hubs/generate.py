#!/usr/bin/env python3
"""Writes the hubs demo dataset (hubs.json, sessions.json, pilots.json, insights.json).

Deterministic: edit this file, not the JSON. README.md says where each fact comes from.
Run: python3 data/hubs/generate.py            (writes the files)
     python3 data/hubs/generate.py --report   (also prints the Strategic Action Plan's
                                               progress report for 2022-01-01..2022-04-30,
                                               counted from the files as the service does)
"""
import json
import os
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
SAP = "plans/metropolis-sap-2021-2023"
MICAD = "frameworks/micad"


def org(i):
    return "organisations/" + i


def day(d, end=False):
    """The seed gives days, not hours: a session starts at 00:00 UTC of its first day and
    ends at 23:59:59 UTC of its last."""
    return f"{d}T23:59:59Z" if end else f"{d}T00:00:00Z"


# The network's report names members as printed ("Bruxelles", "Grand Paris", "Ciudad de
# México", "Abdijan"); membership keeps one organisation per member (README, Names).
REPORT_NAMES = {
    "Abidjan": "abidjan", "Abdijan": "abidjan", "Amman": "amman",
    "Barcelona (área metropolitana)": "barcelona-metropolitan-area",
    "Barcelona (metropolitan area)": "barcelona-metropolitan-area",
    "Barcelona (ciudad)": "barcelona-city", "Barcelona (city)": "barcelona-city",
    "Berlin": "berlin", "Bogotá": "bogota", "Bruxelles": "brussels",
    "Buenos Aires": "buenos-aires", "Busan": "busan", "Cairo": "cairo",
    "Casablanca": "casablanca", "Chengdu": "chengdu", "Ciudad de México": "mexico-city",
    "Dakar": "dakar", "Durban": "durban", "Fuzhou": "fuzhou", "Gauteng": "gauteng",
    "Grand Lyon": "greater-lyon", "Grand Paris": "greater-paris", "Guangzhou": "guangzhou",
    "Hangzhou": "hangzhou", "Harare": "harare", "Harbin": "harbin", "Istanbul": "istanbul",
    "Johannesburg": "johannesburg", "Kaohsiung": "kaohsiung",
    "Kathmandu Metropolitan City": "kathmandu", "Kigali": "kigali", "Kocaeli": "kocaeli",
    "Madrid": "madrid", "Mashhad": "mashhad", "Medellín": "medellin",
    "Montevideo": "montevideo", "Montréal": "montreal", "Montreal": "montreal",
    "Nouakchott": "nouakchott", "Quito": "quito", "Rabat": "rabat", "Ramallah": "ramallah",
    "Rio de Janeiro": "rio-de-janeiro", "Rosario": "rosario", "São Paulo": "sao-paulo",
    "Seoul": "seoul", "Shiraz": "shiraz", "Tehran": "tehran", "Toronto": "toronto",
    "Tunis": "tunis", "Wuhan": "wuhan", "Zagreb": "zagreb",
}


def members(printed):
    """Organisation names for a comma-separated member list as the report prints it."""
    return [org(REPORT_NAMES[m.strip()]) for m in printed.split(",")]


# Alliances as the network names them; the report spells two of them two ways
# ("UCLG – MEWA" and "UCLG MEWA", "UCLG - Africa" and "UCLG Africa"): one name each.
UCLG_FAMILY = ["UCLG", "UCLG Africa", "UCLG ASPAC", "UCLG Eurasia", "UCLG MEWA",
               "UCLG CCRE / CEMR"]

HUBS = [
    {"name": "hubs/metropolis-secretariat", "displayName": "Metropolis Secretariat General",
     "kind": "LEARNING_HUB", "host": org("metropolis"),
     "themes": ["metropolitan governance", "metropolitan diplomacy and advocacy",
                "public space", "climate resilience", "digitalisation", "gender equality"],
     "description": "The Secretariat General in Barcelona: the network's activities, "
                    "campaigns, publications and studies, and its learning programme "
                    "(webinars with members and partners)."},
    {"name": "hubs/miti-cairo",
     "displayName": "Metropolis International Training Institute Cairo (MITI Cairo)",
     "kind": "TRAINING_INSTITUTE", "host": org("housing-building-national-research-centre"),
     "themes": ["post-pandemic city planning"],
     "description": "Led by the Housing & Building National Research Centre."},
    {"name": "hubs/miti-mashhad",
     "displayName": "Metropolis International Training Institute Mashhad",
     "kind": "TRAINING_INSTITUTE", "host": org("mashhad"),
     "themes": ["urban revitalisation", "geospatial tools"]},
    {"name": "hubs/learning-hub-chengdu", "displayName": "Metropolis Learning Hub Chengdu",
     "kind": "LEARNING_HUB", "host": org("chengdu"),
     "themes": ["net-zero communities", "Park City", "community regeneration"]},
    {"name": "hubs/seoul-hrdc", "displayName": "Seoul Human Resource Development Center",
     "kind": "TRAINING_INSTITUTE", "host": org("seoul"),
     "themes": ["sustainable water management"]},
    {"name": "hubs/metropoli-strategiche", "displayName": "Metropoli Strategiche",
     "kind": "OPERATIONAL_HUB", "host": org("anci"),
     "themes": ["institutional reorganisation", "metropolitan strategic plans",
                "administrative simplification"],
     "description": "ANCI's programme with the Italian metropolitan cities (February 2017 "
                    "onwards): research, training, experimentation, coaching and "
                    "networking."},
    {"name": "hubs/micad-capacity-building", "displayName": "MICAD capacity-building programme",
     "kind": "LEARNING_HUB", "host": org("institut-metropoli"), "framework": MICAD,
     "themes": ["climate transition", "digital transition", "twin transition roadmaps"],
     "description": "Joint online and offline sessions of the five MICAD metropolitan "
                    "areas, run by the research partners HES-SO and Institut Metropoli."},
]
MICAD_AREAS = [
    ("barcelona", "barcelona-metropolitan-area", "Metropolitan Area of Barcelona"),
    ("milan", "metropolitan-city-of-milan", "Metropolitan City of Milan"),
    ("tirana", "city-of-tirana", "City of Tirana"),
    ("chisinau", "city-of-chisinau", "City of Chisinau"),
    ("gzm", "gornoslasko-zaglebiowska-metropolia", "Górnośląsko-Zagłębiowska Metropolia"),
]
for short, area, title in MICAD_AREAS:
    HUBS.append({
        "name": f"hubs/micad-{short}", "displayName": f"MICAD operational hub — {title}",
        "kind": "OPERATIONAL_HUB", "host": org(area), "framework": MICAD,
        "themes": ["climate transition", "digital transition"],
        "description": "A practice-based space where the metropolitan team tests and "
                       "refines solutions with its Living Lab, linking local "
                       "experimentation with its twin transition roadmap."})


def session(hub, sid, title, fmt, start=None, end=None, mode=None, participants="",
            organisers=(), alliances=(), outcomes="", challenges="", plan=SAP, capacities=(),
            description=None):
    s = {"name": f"hubs/{hub}/sessions/{sid}", "title": title, "format": fmt}
    if description:
        s["description"] = description
    if mode:
        s["mode"] = mode
    if start:
        s["startTime"] = day(start)
    if end:
        s["endTime"] = day(end, end=True)
    if organisers:
        s["organisers"] = list(organisers)
    if participants:
        s["participants"] = participants if isinstance(participants, list) else members(participants)
    if alliances:
        s["alliances"] = list(alliances)
    if plan:
        s["plan"] = plan
    if outcomes:
        s["outcomeCodes"] = [c.strip() for c in outcomes.split(",")]
    if challenges:
        s["challengeCodes"] = [c.strip() for c in challenges.split(",")]
    if capacities:
        s["capacities"] = list(capacities)
    return s


SEC = "metropolis-secretariat"
# Seed 001: every activity of the Metropolis progress report, January–April 2022, in the
# report's order, with the members, outcomes, challenges and alliances it lists.
REPORT_SESSIONS = [
    session(SEC, "uclg-mewa-retreat-2022", "UCLG-MEWA Retreat", "MEETING", "2022-02-15",
            "2022-02-16", "HYBRID", alliances=["UCLG MEWA"],
            outcomes="L1A1D2, L1A2D1, L1A2D2, L1A3D1, L1A3D3",
            description="Kocaeli, Turkey. Metropolis spoke online at the session \"Strong "
                        "Coordination in SDG Practices\"."),
    session(SEC, "metropolitan-governance-in-africa-peer-learning",
            "The metropolitan governance in Africa. Peer learning from local experiences",
            "WEBINAR", "2022-02-17", mode="ONLINE",
            participants="Rabat, Tunis, Cairo, Nouakchott, Abdijan, Harare, Kigali",
            alliances=["UCLG Africa"], outcomes="L1A3D1", challenges="1.1, 1.4",
            description="The last webinar of the course \"Metropolitan Governance in "
                        "Africa\", co-organised with UCLG Africa."),
    session(SEC, "uclg-retreat-2022", "Metropolis participated at the UCLG 2022 Retreat",
            "MEETING", "2022-02-21", "2022-02-25",
            participants="Amman, Ciudad de México, Madrid, Tehran",
            outcomes="L1A2D4, L1A3D1", challenges="1.1, 2.1, 3.2, 3.3"),
    session(SEC, "kartepe-summit-2022", "Kartepe Summit and Urban Fair", "CONFERENCE",
            "2022-02-23", outcomes="L1A1D1, L1A1D3, L2A1D1, L2A1D3",
            challenges="2.1, 2.2, 4.2"),
    session(SEC, "kocaeli-membership-application",
            "Kocaeli Metropolitan Municipality applied to become a new member of Metropolis",
            "MEETING", "2022-02-23", participants="Kocaeli",
            description="At the Kartepe Summit; the report lists no outcome or challenge."),
    session(SEC, "metrotalks-bringing-nature-back",
            "Metrotalks: Bringing nature back to urban spaces", "PUBLICATION", "2022-03-17",
            outcomes="L1A3D3, L2A1D1", challenges="1.4, 2.1, 2.3",
            description="An episode of the Metrotalks podcast series."),
    session(SEC, "learning-from-cities-food-systems",
            "Learning from cities: How can food systems generate better livelihoods in "
            "cities?", "WEBINAR", "2022-03-17", mode="ONLINE", participants="Rosario",
            alliances=["UNDP"], outcomes="L1A3D3, L2A2D2", challenges="1.4, 2.1"),
    session(SEC, "cohesion-forum-8th", "8th Cohesion Forum: Recover, rebuild and reconnect",
            "CONFERENCE", "2022-03-17", "2022-03-18", outcomes="L1A2D1",
            challenges="2.1, 2.2, 2.3"),
    session(SEC, "local-public-services-in-crisis-mode",
            "Local public services in crisis mode: adapting governance models to exceptional "
            "times", "PUBLICATION", "2022-03-30", participants="Medellín",
            alliances=["UCLG", "LSE"], outcomes="L1A1D1, L2A1D1", challenges="1.1, 1.4",
            description="A Policy Brief."),
    session(SEC, "extraordinary-board-meeting-2022",
            "Extraordinary Board of Directors meeting 2022", "MEETING", "2022-04-01",
            "2022-04-15", "ONLINE",
            participants="Abidjan, Barcelona (área metropolitana), Barcelona (ciudad), Berlin, "
                         "Bogotá, Bruxelles, Buenos Aires, Ciudad de México, Fuzhou, Grand "
                         "Paris, Guangzhou, Hangzhou, Harbin, Istanbul, Johannesburg, Madrid, "
                         "Mashhad, Medellín, Montevideo, Montréal, Rosario, São Paulo, Seoul, "
                         "Shiraz, Tehran",
            outcomes="L1A2D4", challenges="1.1, 3.2, 3.3",
            description="In written form on the Agora Metropolis platform."),
    session(SEC, "global-state-of-metropolis-egm-3",
            "Global State of Metropolis: Experts Group Meeting #3", "MEETING", "2022-04-04",
            "2022-04-05", organisers=[org("barcelona-metropolitan-area")],
            participants="Barcelona (metropolitan area), Grand Paris, Zagreb",
            alliances=["UN-Habitat"], outcomes="L1A1D2, L1A2D2", challenges="1.4",
            description="Hosted by the Metropolitan Area of Barcelona (AMB)."),
    session(SEC, "public-space-campaign", "Public space campaign", "CAMPAIGN", "2022-04-04",
            "2022-04-05",
            participants="Barcelona (metropolitan area), Bruxelles, Medellín, Montréal, Seoul",
            outcomes="L1A1D1", challenges="1.4, 2.1, 2.3"),
    session(SEC, "gtf-hlpf-joint-statement",
            "GTF / High Level Political Forum / Joint statement", "PUBLICATION", "2022-04-04",
            "2022-04-05", alliances=["Global taskforce of Local and Regional governments"],
            outcomes="L1A2D2, L1A3D2", challenges="1.1, 3.1"),
    session("miti-cairo", "post-pandemic-cities",
            "Post-pandemic cities: challenges and opportunities", "WEBINAR", "2022-02-07",
            "2022-02-08", organisers=[org("housing-building-national-research-centre")],
            participants="Barcelona (city), Cairo, Seoul", outcomes="L2A2D3, L2A3D2",
            challenges="1.4, 3.3, 4.1",
            description="A two-day workshop on planning models after COVID-19 (the "
                        "15-minute city, super blocks)."),
    session(SEC, "rethinking-public-space",
            "Rethinking public space for a sustainable metropolitan future", "PUBLICATION",
            "2021-09-18",
            participants="Seoul, Barcelona (metropolitan area), Bruxelles, Medellín, Montréal",
            organisers=[org("brussels")], outcomes="L2A1D3",
            description="Comparative study with the Brussels-Capital Region. The report "
                        "dates it \"18 September\" without a year."),
    session(SEC, "city-managers-community-2021-final-report",
            "City Managers Community 2021: final report", "PUBLICATION", "2022-02-28",
            participants="Barcelona (área metropolitana), Barcelona (ciudad), Busan, Dakar, "
                         "Gauteng, Guangzhou, Kaohsiung, Madrid, Medellín, Ramallah, São "
                         "Paulo, Seoul",
            outcomes="L2A2D4", challenges="4.3",
            description="\"The deployment of the 5G technology on metropolitan scales\"."),
    session(SEC, "uf-nbs-knowledge-exchange-call",
            "Call for proposals for the Knowledge Exchange Mechanism on UF-NBS",
            "PEER_LEARNING", "2022-03-03", "2022-05-11", alliances=UCLG_FAMILY,
            outcomes="L2A2D3", challenges="2.3",
            description="Urban forests as nature-based solutions; part of the CLEARING "
                        "HOUSE project."),
    session(SEC, "international-day-of-forests-2022", "International Day of Forests",
            "CAMPAIGN", "2022-03-21",
            participants="Barcelona (metropolitan area), Barcelona (city), Chengdu, Ciudad de "
                         "México, Durban, Grand Lyon, Madrid, Montreal, Quito, Shiraz, "
                         "Tehran, Toronto, Wuhan",
            outcomes="L2A3D2", challenges="2.3"),
    session(SEC, "five-metropolitan-approaches-to-international-action",
            "Five metropolitan approaches to international action", "PUBLICATION",
            "2022-03-31",
            participants="Barcelona (city), Barcelona (metropolitan area), Casablanca, "
                         "Guangzhou, Medellín, Montréal",
            outcomes="L2A1D3"),
    session(SEC, "uclg-secretaries-general-meeting-2022-02",
            "UCLG Secretaries General meeting (regional and metropolitan sections)",
            "MEETING", "2022-02-03", alliances=UCLG_FAMILY, outcomes="L3A1D4, L3A2D2",
            challenges="1.1, 2.1, 3.2, 3.3"),
    session(SEC, "campaign-8m-2022", "8M campaign", "CAMPAIGN", "2022-03-08",
            participants="Montreal, Rio de Janeiro, Kathmandu Metropolitan City",
            outcomes="L3A1D3", challenges="3.1"),
    session(SEC, "bilateral-meetings-on-site", "Bilateral meetings (on-site)",
            "MEETING", mode="IN_PERSON",
            participants="Amman, Madrid, Buenos Aires, Tehran, Ciudad de México",
            alliances=["Mercociudades", "UITP", "Geneva Cities Hub", "UCLG Africa"],
            description="\"Active listening\" section; the report gives no date."),
]

# Seed 003: the Metropolis learning hubs' sessions. The seed gives no year for any of them,
# and no codes: they are undated and name no plan.
LEARNING_SESSIONS = [
    session("learning-hub-chengdu", "creating-a-net-zero-community",
            "Creating a Net Zero Community", "WEBINAR", plan=None,
            organisers=[org("chengdu")], participants=[org("chengdu"), org("madrid")],
            alliances=["C40"], capacities=["knowledge", "mobilization"],
            description="With the support of C40 and Chengdu's Municipal Commission for Urban "
                        "and Rural Community Development and Management: public policies for "
                        "a green transition and guidelines for grass-root communities on "
                        "their way to net zero."),
    session(SEC, "digitalisation-in-metropolitan-spaces",
            "Challenges and opportunities of digitalisation in metropolitan spaces", "WEBINAR",
            mode="ONLINE", plan=None,
            participants=[org(i) for i in ("brussels", "greater-paris",
                                           "barcelona-metropolitan-area", "cordoba", "toronto",
                                           "harare", "nouakchott", "belo-horizonte")],
            description="For World Telecommunication and Information Society Day (17 May; "
                        "the seed gives no year); launched the Metropolis learning forum on "
                        "digitalisation."),
    session("learning-hub-chengdu", "park-city-community-life",
            "Seeking Better Quality of Community Life: a Park City Approach", "TRAINING",
            plan=None, organisers=[org("chengdu")],
            participants=[org("chengdu"), org("ramallah"), org("amman")],
            description="Community regeneration in Chengdu (Micro-Regeneration East Yulin Rd "
                        "Community, Sports Venues Under Flyovers, Jincheng Community)."),
    session(SEC, "urban-forests-nbs-state-of-the-art",
            "Urban forests as nature-based solutions: State of the art", "WEBINAR", plan=None,
            description="The first event of the EU-funded CLEARING HOUSE project."),
    session("learning-hub-chengdu", "mapping-a-green-future",
            "Mapping a Green Future: Urban Planning under the Park City Initiative", "WEBINAR",
            plan=None, participants=[org(i) for i in ("glasgow", "chengdu", "seoul",
                                                      "johannesburg", "dujiangyan")],
            description="First edition, two sessions on 20 and 21 May (the seed gives no "
                        "year), with the Chengdu Institute of Planning and Design."),
    session(SEC, "multidimensional-approach-to-urban-inequalities",
            "A multidimensional approach to urban inequalities: thoughts and aspirations",
            "WEBINAR", plan=None, participants=[org("barcelona-city")],
            alliances=["Oxfam", "European Union", "CIDOB"]),
    session(SEC, "visions-and-challenges-in-urban-regeneration",
            "Visions and Challenges in Urban regeneration", "WEBINAR", plan=None,
            organisers=[org("tehran")], participants=[org("delhi"), org("cairo")]),
    session("miti-mashhad", "geospatial-visualization-for-urban-revitalization",
            "Geospatial Visualization for Urban Revitalization", "WEBINAR", plan=None,
            organisers=[org("mashhad")],
            description="Redevelopment projects in Victoria, Australia, and the Digital Twin "
                        "of Fishermans Bend, Melbourne."),
    session(SEC, "learning-from-tactical-urbanism",
            "Learning from tactical urbanism: Metropolitan perspectives for long-term "
            "solutions", "WEBINAR", plan=None,
            participants=[org(i) for i in ("barcelona-metropolitan-area", "bogota", "brussels",
                                           "san-salvador", "montreal", "torino")]),
    session(SEC, "sustainable-urban-regeneration", "Sustainable Urban Regeneration", "WEBINAR",
            plan=None, participants=[org(i) for i in ("dakar", "dresden", "nanjing", "shiraz",
                                                      "delhi", "cairo")]),
    session(SEC, "ibero-american-tactical-urbanism-covid-19",
            "Ibero-American experiences of tactical urban planning against the COVID-19",
            "WEBINAR", plan=None,
            participants=[org(i) for i in ("guatemala-city", "barcelona-metropolitan-area",
                                           "medellin", "mexico-city")],
            alliances=["UNDP"],
            description="Organised with UNDP, for the Cities for Global Health platform "
                        "(Metropolis, UCLG, ALLAS and Barcelona City Council)."),
    session(SEC, "culture-to-rethink-metropolitan-spaces",
            "Culture as a Dimension to Rethink Metropolitan Spaces", "WEBINAR", plan=None,
            participants=[org(i) for i in ("rome", "barcelona-city", "xian", "buenos-aires")]),
    session(SEC, "intersectional-responses-lgbti-covid-19",
            "Intersectional responses for the LGBTI+ community facing COVID-19", "WEBINAR",
            plan=None,
            participants=[org(i) for i in ("barcelona-city", "rosario", "buenos-aires",
                                           "mexico-city", "bogota", "medellin",
                                           "montevideo")]),
    session(SEC, "commuting-across-metropolises", "Commuting across metropolises", "WEBINAR",
            plan=None, participants=[org("madrid"), org("seoul")], alliances=["UITP"],
            description="For World Bicycle Day."),
    session(SEC, "fighting-urban-inequalities", "Fighting urban inequalities", "WEBINAR",
            plan=None, description="A series of webinars."),
    session("seoul-hrdc", "sustainable-water-management",
            "Sustainable water management: key for citizen's wellbeing", "TRAINING",
            plan=None, organisers=[org("seoul")],
            participants=[org(i) for i in ("seoul", "shanghai", "jakarta", "bangkok")],
            description="Seoul's water system Arisu."),
    session(SEC, "sustainable-urban-mobility", "Sustainable urban mobility", "WEBINAR",
            plan=None),
]

# Seed 004: the Italian programme's dated meetings and the Bologna – Reggio Calabria
# exchange visits. Its counters (15 technical webinars, over 100 training days, over 55
# local network meetings, over 30 pilot projects) name no single event.
MS = "metropoli-strategiche"
ITALIAN_SESSIONS = [
    session(MS, "forum-pa-2019", "Metropoli Strategiche at FORUM PA 2019", "CONFERENCE",
            "2019-05-14", plan=None, organisers=[org("anci")],
            description="Roma: the metropolitan cities present projects through which their "
                        "strategies take shape."),
    session(MS, "working-day-metropolitan-cities-2019-09-18",
            "A working day with the metropolitan cities at ANCI", "MEETING", "2019-09-18",
            plan=None, organisers=[org("anci")], description="Roma."),
    session(MS, "mobility-strategies-conference-2019-11-29",
            "The state of the art of mobility strategies", "CONFERENCE", "2019-11-29",
            plan=None, organisers=[org("anci")], alliances=["SI.Po.Tra"],
            description="Firenze; organised by ANCI with SI.Po.Tra."),
    session(MS, "bologna-reggio-calabria-exchange-visits",
            "Exchange training visits between Bologna and Reggio Calabria on municipal "
            "association", "PEER_LEARNING", mode="IN_PERSON", plan=None,
            participants=[org("bologna-metropolitan-city"),
                          org("reggio-calabria-metropolitan-city")],
            capacities=["relational", "learning"]),
]

# Seed 000: MICAD's capacity-building sessions, as the article plans them (no dates):
# Living Lab co-creation in each operational hub, and joint peer learning and a
# scenario-based exercise for the five areas.
RESEARCH = [org("hes-so"), org("institut-metropoli")]
MICAD_SESSIONS = [
    session(f"micad-{short}", "living-lab-co-creation",
            f"Living Lab co-creation of the twin transition roadmap — {title}", "LIVING_LAB",
            plan=None, organisers=RESEARCH, participants=[org(area)],
            capacities=["relational", "mobilization", "experimental"])
    for short, area, title in MICAD_AREAS
] + [
    session("micad-capacity-building", "cross-learning-climate-digital",
            "Cross-learning between the climate and digital transitions", "PEER_LEARNING",
            mode="HYBRID", plan=None, organisers=RESEARCH,
            participants=[org(area) for _, area, _ in MICAD_AREAS],
            capacities=["knowledge", "learning"]),
    session("micad-capacity-building", "operationalising-roadmaps-scenarios",
            "Scenario-based exercise: operationalising the climate and digital transition "
            "roadmaps", "SCENARIO_EXERCISE", plan=None, organisers=RESEARCH,
            participants=[org(area) for _, area, _ in MICAD_AREAS],
            capacities=["management", "leadership"]),
]

SESSIONS = REPORT_SESSIONS + LEARNING_SESSIONS + ITALIAN_SESSIONS + MICAD_SESSIONS


def pilot(hub, pid, title, lead, partners=(), capacities=(), description=None,
          transitions=()):
    p = {"name": f"hubs/{hub}/pilots/{pid}", "title": title, "lead": lead}
    if description:
        p["description"] = description
    if partners:
        p["partners"] = list(partners)
    if capacities:
        p["capacities"] = list(capacities)
    if transitions:
        p["state"] = transitions[-1]["state"]
        p["transitions"] = list(transitions)
    return p


# Seed 000 plans pilots in the operational hubs without naming them; each is drawn from
# the area's roadmap objective (data/roadmaps) and marked illustrative. Seed 004's transfer
# of tested solutions gives the Italian one.
PILOTS = [
    pilot("micad-barcelona", "digital-skills-training",
          "Digital skills training for public employees and citizens (illustrative)",
          org("barcelona-metropolitan-area"), RESEARCH, ["learning", "experimental"],
          transitions=[{"call": ":start", "state": "RUNNING"}]),
    pilot("micad-milan", "co-creation-platform",
          "A stakeholder co-creation platform for the twin transition (illustrative)",
          org("metropolitan-city-of-milan"), [org("comune-di-milano")],
          ["relational", "mobilization"]),
    pilot("micad-tirana", "monitoring-framework",
          "A monitoring and evaluation framework for the roadmap (illustrative)",
          org("city-of-tirana"), RESEARCH, ["learning"]),
    pilot("micad-chisinau", "pilot-coordination-unit",
          "A unit to coordinate pilot projects and scale what works (illustrative)",
          org("city-of-chisinau"), RESEARCH, ["experimental"],
          transitions=[{"call": ":start", "state": "RUNNING"},
                       {"call": ":stop", "state": "STOPPED",
                        "request": {"reason": "Merged into the roadmap's pilot-coordination "
                                              "action (illustrative)."}}]),
    pilot("micad-gzm", "participatory-process",
          "A participatory process that includes underrepresented groups (illustrative)",
          org("gornoslasko-zaglebiowska-metropolia"), RESEARCH, ["mobilization"]),
    pilot(MS, "gestione-associata-servizi",
          "Joint management of municipal services (gestione associata)",
          org("bologna-metropolitan-city"),
          [org("unione-dei-comuni-valli-del-reno-lavino-e-samoggia")],
          ["relational", "management", "experimental"],
          description="One of Metropoli Strategiche's experimentation lines, transferred "
                      "through the Bologna – Reggio Calabria exchange visits.",
          transitions=[
              {"call": ":start", "state": "RUNNING"},
              {"call": ":evaluate", "state": "EVALUATED",
               "request": {"evaluation": "Tested with the Unione dei Comuni Valli del Reno, "
                                         "Lavino e Samoggia; transferred to Reggio Calabria "
                                         "(illustrative)."}},
              {"call": ":replicate", "state": "REPLICATED",
               "request": {"replications": [org("reggio-calabria-metropolitan-city")]}}]),
]


def roadmap(area):
    return f"organisations/{area}/roadmaps/twin-transition"


PUBLISH = [{"call": ":publish", "state": "PUBLISHED"}]
INSIGHTS = [
    {"name": "hubs/micad-barcelona/insights/living-lab-needs-digital-skills",
     "summary": "Living Lab co-creation works only when participants have basic digital "
                "skills: start the digital-skills action with the Living Lab's participants "
                "(illustrative).",
     "source": "hubs/micad-barcelona/sessions/living-lab-co-creation",
     "capacities": ["learning", "mobilization"],
     "targetRoadmaps": [roadmap("barcelona-metropolitan-area")],
     "state": "PUBLISHED", "transitions": PUBLISH},
    {"name": "hubs/micad-capacity-building/insights/shared-reference-framework",
     "summary": "Cross-learning showed that a shared reference framework across departments "
                "comes before peer learning abroad (illustrative).",
     "source": "hubs/micad-capacity-building/sessions/cross-learning-climate-digital",
     "capacities": ["knowledge"],
     "targetRoadmaps": [roadmap("city-of-tirana"), roadmap("city-of-chisinau")],
     "state": "PUBLISHED", "transitions": PUBLISH},
    {"name": "hubs/metropoli-strategiche/insights/associated-services-coordination",
     "summary": "Joint management of services among municipalities gives the horizontal "
                "coordination a metropolitan roadmap needs; Milan can draw on Bologna's model "
                "(illustrative).",
     "source": "hubs/metropoli-strategiche/pilots/gestione-associata-servizi",
     "capacities": ["relational"],
     "targetRoadmaps": [roadmap("metropolitan-city-of-milan")],
     "state": "PUBLISHED", "transitions": PUBLISH},
    {"name": "hubs/learning-hub-chengdu/insights/community-guidelines-for-net-zero",
     "summary": "Guidelines for grass-root communities mobilise residents in a net-zero "
                "transition; a model for GZM's participatory process (illustrative).",
     "source": "hubs/learning-hub-chengdu/sessions/creating-a-net-zero-community",
     "capacities": ["mobilization"],
     "targetRoadmaps": [roadmap("gornoslasko-zaglebiowska-metropolia")]},
]


def write(name, items):
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        json.dump(items, f, ensure_ascii=False, indent=2)
        f.write("\n")


def report(start, end):
    """The progress report of the Strategic Action Plan over [start, end], counted from
    SESSIONS with the service's rules (core/progress_report.h)."""
    counted = [s for s in SESSIONS if s.get("plan") == SAP and "startTime" in s
               and day(start) <= s["startTime"] <= day(end, end=True)]
    codes, challenges, orgs, alliances, formats = (Counter() for _ in range(5))
    for s in counted:
        scope = set()
        for code in s.get("outcomeCodes", []):
            scope |= {code[:code.index("A")], code[:code.index("D")], code}
        codes.update(scope)
        challenges.update(set(s.get("challengeCodes", [])))
        orgs.update(set(s.get("participants", [])) | set(s.get("organisers", [])))
        alliances.update(set(s.get("alliances", [])))
        formats[s["format"]] += 1
    return counted, codes, challenges, orgs, alliances, formats


def main():
    write("hubs.json", HUBS)
    write("sessions.json", SESSIONS)
    write("pilots.json", PILOTS)
    write("insights.json", INSIGHTS)
    if "--report" in sys.argv:
        counted, codes, challenges, orgs, alliances, formats = report("2022-01-01", "2022-04-30")
        print("activityCount", len(counted))
        for name, counter in (("codes", codes), ("challenges", challenges),
                              ("organisations", orgs), ("alliances", alliances),
                              ("formats", formats)):
            print(name, sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


if __name__ == "__main__":
    main()
