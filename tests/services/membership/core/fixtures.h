#pragma once

// Shared values for the membership core tests: good resources to spoil one field at a time,
// dates, decisions, and readers of a status's field violations.
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/status/errors.h"
#include "google/type/date.pb.h"
#include "metrocap/membership/v1/membership.pb.h"

namespace metrocap::membership::testing {

inline google::type::Date Day(int year, int month, int day) {
  google::type::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

inline std::vector<std::string> FieldsOf(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(status)) fields.push_back(v.field);
  return fields;
}

inline std::string DescriptionOf(const absl::Status& status, const std::string& field) {
  for (const FieldViolation& v : FieldViolationsOf(status)) {
    if (v.field == field) return v.description;
  }
  return "<no violation for " + field + ">";
}

inline v1::Organisation GoodOrganisation() {
  v1::Organisation o;
  o.set_display_name("Barcelona");
  o.set_kind(v1::Organisation::METROPOLITAN_AREA);
  o.set_country_code("ES");
  o.set_region("regions/europe");
  o.set_population(3300000);
  return o;
}

inline v1::BoardSeat GoodSeat() {
  v1::BoardSeat s;
  s.set_organisation("organisations/barcelona");
  s.set_person_name("Ada Colau");
  s.set_title("Mayor");
  s.set_role(v1::BoardSeat::PRESIDENCY);
  s.set_region("regions/europe");
  *s.mutable_term_start() = Day(2021, 1, 1);
  *s.mutable_term_end() = Day(2023, 1, 1);
  return s;
}

inline v1::Partner GoodPartner() {
  v1::Partner p;
  p.set_display_name("Barcelona Lab");
  p.set_organisation("organisations/barcelona");
  p.set_role(v1::Partner::PARTNER);
  p.add_grants("organisations/barcelona");
  p.add_grants("organisations/badalona");
  return p;
}

inline v1::Decision Votes(int for_votes, int against = 0, int abstentions = 0) {
  v1::Decision d;
  *d.mutable_decision_date() = Day(2022, 3, 15);
  d.set_votes_for(for_votes);
  d.set_votes_against(against);
  d.set_abstentions(abstentions);
  return d;
}

}  // namespace metrocap::membership::testing
