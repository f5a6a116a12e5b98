#!/usr/bin/env python3
"""Checks the membership demo dataset: JSON parses, names are valid IDs, no duplicates,
every reference points at a resource earlier in load order, enums/dates/country codes valid.
Run: python3 data/membership/validate.py (needs Debian iso-codes for the country list)."""
import json, re, datetime, sys
import os
D = os.path.dirname(os.path.abspath(__file__)) + "/"
iso = {c["alpha_2"]: c["name"] for c in json.load(open("/usr/share/iso-codes/json/iso_3166-1.json"))["3166-1"]}
ID = re.compile(r"[a-z][a-z0-9-]{0,62}")
seen = set(); errs = []
def ref(n, prefix, where):
    if not (n.startswith(prefix + "/") and n in seen): errs.append(f"{where}: bad ref {n}")
def name(n, coll, where):
    p = n.split("/")
    if len(p) != 2 or p[0] != coll or not ID.fullmatch(p[1]): errs.append(f"{where}: bad name {n}")
    if n in seen: errs.append(f"dup {n}")
    seen.add(n)
def date(x, where):
    try: datetime.date(x["year"], x["month"], x["day"]); assert set(x) == {"year","month","day"}
    except Exception as e: errs.append(f"{where}: bad date {x}")
OUTPUT_ONLY = {"etag", "createTime", "updateTime"}
files = {}
for f in ["regions", "organisations", "boardSeats", "applications", "partners"]:
    files[f] = json.load(open(D + f + ".json", encoding="utf-8"))
    assert isinstance(files[f], list)
    for r in files[f]:
        if OUTPUT_ONLY & set(r): errs.append(f"{r['name']}: output-only field")
for r in files["regions"]:
    name(r["name"], "regions", r); assert set(r) == {"name", "displayName"}
KINDS = "METROPOLITAN_AREA CITY MUNICIPALITY UNION_OF_MUNICIPALITIES PROVINCE REGIONAL_GOVERNMENT NATIONAL_AGENCY NETWORK RESEARCH_INSTITUTION INTERNATIONAL_ORGANISATION OTHER".split()
STATES = "NON_MEMBER APPLICANT ACTIVE SUSPENDED LAPSED WITHDRAWN".split()
OF = {"name","displayName","kind","countryCode","region","population","parent","membershipState","memberSince","website","description"}
for r in files["organisations"]:
    w = r["name"]
    if set(r) - OF: errs.append(f"{w}: unknown fields {set(r)-OF}")
    if r.get("parent"): ref(r["parent"], "organisations", w)
    name(w, "organisations", w)
    if r["kind"] not in KINDS or r["membershipState"] not in STATES: errs.append(f"{w}: enum")
    if not re.fullmatch(r"[A-Z]{2}", r["countryCode"]) or r["countryCode"] not in iso: errs.append(f"{w}: country")
    ref(r["region"], "regions", w)
    if "population" in r: int(r["population"])
    if r["membershipState"] == "NON_MEMBER" and "memberSince" in r: errs.append(f"{w}: memberSince")
ROLES = "PRESIDENCY CO_PRESIDENCY REGIONAL_VICE_PRESIDENCY TREASURY MEMBER REGIONAL_SECRETARY".split()
for r in files["boardSeats"]:
    w = r["name"]; name(w, "boardSeats", w)
    ref(r["organisation"], "organisations", w); ref(r["region"], "regions", w)
    if r["role"] not in ROLES: errs.append(f"{w}: role")
    date(r["termStart"], w)
    if "termEnd" in r: date(r["termEnd"], w)
    orgr = next(o for o in files["organisations"] if o["name"] == r["organisation"])
    if orgr["region"] != r["region"]: errs.append(f"{w}: region differs from organisation's")
for r in files["applications"]:
    w = r["name"]; name(w, "applications", w); ref(r["applicant"], "organisations", w)
    datetime.datetime.fromisoformat(r["submitTime"].replace("Z", "+00:00"))
    if "state" in r: errs.append(f"{w}: state set")
for r in files["partners"]:
    w = r["name"]; name(w, "partners", w)
    if "organisation" in r: ref(r["organisation"], "organisations", w)
    if r["role"] not in ("ADMIN", "PARTNER", "VIEWER"): errs.append(f"{w}: role")
    for g in r.get("grants", []): ref(g, "organisations", w)
    if len(set(r.get("grants", []))) != len(r.get("grants", [])): errs.append(f"{w}: dup grant")
from collections import Counter
c = Counter((o["region"], o["membershipState"]) for o in files["organisations"])
print({k: len(v) for k, v in files.items()}); print(dict(c))
print(Counter(o["kind"] for o in files["organisations"]))
print("\n".join(errs) or "OK"); sys.exit(1 if errs else 0)
