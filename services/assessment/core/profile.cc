#include "services/assessment/core/profile.h"

#include <algorithm>
#include <bitset>
#include <cstdint>
#include <vector>

namespace metrocap::assessment {
namespace {

// Running totals for one capacity within one scope (the whole assessment or a dimension).
struct CapacityTally {
  std::vector<double> indicator_sums;
  std::vector<int> indicator_counts;
  int response_count = 0;
  // One bit per Source value seen; Source values are small (validated as known).
  std::bitset<32> sources;
};

// All capacities of one scope.
using ScopeTally = std::vector<CapacityTally>;

ScopeTally NewScope(const v1::Framework& framework) {
  ScopeTally scope(framework.capacities_size());
  for (int c = 0; c < framework.capacities_size(); ++c) {
    scope[c].indicator_sums.assign(framework.capacities(c).indicators_size(), 0.0);
    scope[c].indicator_counts.assign(framework.capacities(c).indicators_size(), 0);
  }
  return scope;
}

void Count(CapacityTally& tally, int indicator, double score, int source) {
  tally.indicator_sums[indicator] += score;
  ++tally.indicator_counts[indicator];
  ++tally.response_count;
  if (source >= 0 && source < 32) tally.sources.set(source);
}

// Turns one scope's tallies into capacity scores, needs and potentials.
template <typename Out>
void Summarise(const v1::Framework& framework, const ScopeTally& scope, Out& out) {
  for (int c = 0; c < framework.capacities_size(); ++c) {
    const CapacityTally& tally = scope[c];
    if (tally.response_count == 0) continue;
    const v1::Capacity& capacity = framework.capacities(c);
    double weighted = 0;
    double weights = 0;
    for (int i = 0; i < capacity.indicators_size(); ++i) {
      if (tally.indicator_counts[i] == 0) continue;
      const double indicator_score = tally.indicator_sums[i] / tally.indicator_counts[i];
      weighted += capacity.indicators(i).weight() * indicator_score;
      weights += capacity.indicators(i).weight();
    }
    if (weights <= 0) continue;  // only with invalid weights, which validation refuses
    const double score = weighted / weights;
    const int sources = static_cast<int>(tally.sources.count());

    v1::CapacityScore* cs = out.add_capacity_scores();
    cs->set_capacity(capacity.id());
    cs->set_score(score);
    cs->set_response_count(tally.response_count);
    cs->set_source_count(sources);
    cs->set_confidence(ConfidenceFor(sources));

    if (score < framework.need_threshold() - kScoreTolerance) {
      v1::LearningNeed* need = out.add_learning_needs();
      need->set_capacity(capacity.id());
      need->set_gap(framework.need_threshold() - score);
      need->set_score(score);
    }
    if (score >= framework.potential_threshold() - kScoreTolerance) {
      v1::Potential* potential = out.add_potentials();
      potential->set_capacity(capacity.id());
      potential->set_score(score);
    }
  }
  // Stable sorts keep the framework's capacity order among equals.
  std::stable_sort(
      out.mutable_learning_needs()->begin(), out.mutable_learning_needs()->end(),
      [](const v1::LearningNeed& a, const v1::LearningNeed& b) { return a.gap() > b.gap(); });
  std::stable_sort(
      out.mutable_potentials()->begin(), out.mutable_potentials()->end(),
      [](const v1::Potential& a, const v1::Potential& b) { return a.score() > b.score(); });
}

}  // namespace

v1::CapacityScore::Confidence ConfidenceFor(int distinct_sources) {
  if (distinct_sources >= 3) return v1::CapacityScore::HIGH;
  if (distinct_sources == 2) return v1::CapacityScore::MEDIUM;
  if (distinct_sources == 1) return v1::CapacityScore::LOW;
  return v1::CapacityScore::CONFIDENCE_UNSPECIFIED;
}

v1::Profile ComputeProfile(const FrameworkIndex& index,
                           const google::protobuf::RepeatedPtrField<v1::Response>& responses) {
  const v1::Framework& framework = index.framework();
  ScopeTally overall = NewScope(framework);
  // Dimension scopes are made on first use: most assessments touch few dimensions.
  std::vector<ScopeTally> by_dimension(framework.dimensions_size());

  for (const v1::Response& response : responses) {
    absl::optional<FrameworkIndex::IndicatorRef> ref = index.FindIndicator(response.indicator());
    if (!ref) continue;
    Count(overall[ref->capacity], ref->indicator, response.score(), response.source());
    if (response.dimension().empty()) continue;
    absl::optional<int> dimension = index.FindDimension(response.dimension());
    if (!dimension) continue;
    ScopeTally& scope = by_dimension[*dimension];
    if (scope.empty()) scope = NewScope(framework);
    Count(scope[ref->capacity], ref->indicator, response.score(), response.source());
  }

  v1::Profile profile;
  Summarise(framework, overall, profile);
  for (int d = 0; d < framework.dimensions_size(); ++d) {
    if (by_dimension[d].empty()) continue;
    v1::DimensionProfile* dimension = profile.add_dimension_profiles();
    dimension->set_dimension(framework.dimensions(d).id());
    Summarise(framework, by_dimension[d], *dimension);
  }
  return profile;
}

}  // namespace metrocap::assessment
