#include "services/assessment/core/comparison.h"

#include <algorithm>
#include <tuple>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "services/assessment/core/access.h"

namespace metrocap::assessment {
namespace {

std::tuple<int, int, int> DateKey(const google::type::Date& date) {
  return {date.year(), date.month(), date.day()};
}

std::tuple<int64_t, int32_t> TimeKey(const google::protobuf::Timestamp& time) {
  return {time.seconds(), time.nanos()};
}

struct CapacityTotals {
  double sum = 0;
  double min = 0;
  double max = 0;
  int count = 0;
};

}  // namespace

bool IsLater(const v1::Assessment& a, const v1::Assessment& b) {
  if (DateKey(a.period_end()) != DateKey(b.period_end())) {
    return DateKey(a.period_end()) > DateKey(b.period_end());
  }
  if (TimeKey(a.validate_time()) != TimeKey(b.validate_time())) {
    return TimeKey(a.validate_time()) > TimeKey(b.validate_time());
  }
  return a.name() > b.name();
}

std::vector<Standing> LatestByOrganisation(const std::vector<v1::Assessment>& validated) {
  absl::flat_hash_map<std::string, const v1::Assessment*> latest;
  for (const v1::Assessment& assessment : validated) {
    const v1::Assessment*& slot = latest[OrganisationOf(assessment.name())];
    if (slot == nullptr || IsLater(assessment, *slot)) slot = &assessment;
  }
  std::vector<Standing> out;
  out.reserve(latest.size());
  for (const auto& [organisation, assessment] : latest) {
    if (!organisation.empty()) out.push_back(Standing{organisation, assessment});
  }
  std::sort(out.begin(), out.end(),
            [](const Standing& a, const Standing& b) { return a.organisation < b.organisation; });
  return out;
}

v1::CompareAssessmentsResponse Compare(const v1::Framework& framework,
                                       const std::vector<Standing>& standings,
                                       const identity::Caller& caller) {
  v1::CompareAssessmentsResponse response;
  response.set_framework(framework.name());
  absl::flat_hash_map<std::string, CapacityTotals> totals;
  absl::flat_hash_set<std::string> seen;
  for (const Standing& standing : standings) {
    if (!seen.insert(standing.organisation).second) continue;
    if (standing.latest == nullptr) {
      response.add_unassessed_organisations(standing.organisation);
      continue;
    }
    if (!MayRead(caller, *standing.latest)) {
      response.add_withheld_organisations(standing.organisation);
      continue;
    }
    const v1::Assessment& assessment = *standing.latest;
    v1::OrganisationComparison* row = response.add_organisations();
    row->set_organisation(standing.organisation);
    row->set_assessment(assessment.name());
    *row->mutable_period_start() = assessment.period_start();
    *row->mutable_period_end() = assessment.period_end();
    *row->mutable_capacity_scores() = assessment.profile().capacity_scores();
    for (const v1::CapacityScore& score : assessment.profile().capacity_scores()) {
      CapacityTotals& t = totals[score.capacity()];
      t.min = t.count == 0 ? score.score() : std::min(t.min, score.score());
      t.max = t.count == 0 ? score.score() : std::max(t.max, score.score());
      t.sum += score.score();
      ++t.count;
    }
  }
  for (const v1::Capacity& capacity : framework.capacities()) {
    auto it = totals.find(capacity.id());
    if (it == totals.end()) continue;
    v1::CapacityComparison* c = response.add_capacities();
    c->set_capacity(capacity.id());
    c->set_network_mean(it->second.sum / it->second.count);
    c->set_organisation_count(it->second.count);
    c->set_min_score(it->second.min);
    c->set_max_score(it->second.max);
  }
  return response;
}

v1::SuggestPeersResponse SuggestPeers(const v1::Assessment& assessment,
                                      const std::vector<Standing>& peers,
                                      const identity::Caller& caller, int max_peers) {
  v1::SuggestPeersResponse response;
  response.set_assessment(assessment.name());
  const std::string own_organisation = OrganisationOf(assessment.name());

  // Potentials of every readable peer, by capacity.
  absl::flat_hash_map<std::string, std::vector<v1::Peer>> by_capacity;
  std::vector<std::string> withheld;
  absl::flat_hash_set<std::string> seen;
  for (const Standing& standing : peers) {
    if (standing.latest == nullptr || standing.organisation == own_organisation ||
        !seen.insert(standing.organisation).second) {
      continue;
    }
    if (!MayRead(caller, *standing.latest)) {
      withheld.push_back(standing.organisation);
      continue;
    }
    for (const v1::Potential& potential : standing.latest->profile().potentials()) {
      v1::Peer peer;
      peer.set_organisation(standing.organisation);
      peer.set_assessment(standing.latest->name());
      peer.set_score(potential.score());
      by_capacity[potential.capacity()].push_back(std::move(peer));
    }
  }

  for (const v1::LearningNeed& need : assessment.profile().learning_needs()) {
    v1::PeerSuggestion* suggestion = response.add_suggestions();
    suggestion->set_capacity(need.capacity());
    suggestion->set_gap(need.gap());
    auto it = by_capacity.find(need.capacity());
    if (it == by_capacity.end()) continue;
    std::vector<v1::Peer>& candidates = it->second;
    std::sort(candidates.begin(), candidates.end(), [](const v1::Peer& a, const v1::Peer& b) {
      if (a.score() != b.score()) return a.score() > b.score();
      return a.organisation() < b.organisation();
    });
    const size_t limit =
        max_peers > 0 ? std::min<size_t>(max_peers, candidates.size()) : candidates.size();
    for (size_t i = 0; i < limit; ++i) *suggestion->add_peers() = candidates[i];
  }

  std::sort(withheld.begin(), withheld.end());
  for (std::string& organisation : withheld) {
    response.add_withheld_organisations(std::move(organisation));
  }
  return response;
}

}  // namespace metrocap::assessment
