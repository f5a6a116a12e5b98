#pragma once

#include "google/protobuf/repeated_field.h"
#include "metrocap/assessment/v1/assessment.pb.h"
#include "services/assessment/core/framework.h"

namespace metrocap::assessment {

// The profile of a set of responses against a framework (docs/assessment.md):
//   - indicator score: the mean of the indicator's responses;
//   - capacity score: the weight-weighted mean of the capacity's scored indicators
//     (indicators without responses do not count, so they do not pull the score down);
//   - confidence: distinct sources among the capacity's responses, LOW 1, MEDIUM 2,
//     HIGH 3 or more;
//   - learning need: score < needThreshold, gap = needThreshold - score, largest gap first;
//   - potential: score >= potentialThreshold, highest score first;
//   - the same again per dimension, from only the responses given for that dimension.
// Comparisons with the thresholds allow kScoreTolerance. Capacities and dimensions without
// responses are absent. Ties keep the framework's order.
// Responses are expected to be valid (ValidateAssessment); any that do not resolve against
// the framework are ignored rather than trusted.
v1::Profile ComputeProfile(const FrameworkIndex& framework,
                           const google::protobuf::RepeatedPtrField<v1::Response>& responses);

// The confidence that `distinct_sources` sources give a score.
v1::CapacityScore::Confidence ConfidenceFor(int distinct_sources);

}  // namespace metrocap::assessment
