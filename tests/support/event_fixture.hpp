#pragma once
// A small event table shaped like the model's (who acted, what happened, how bad), with values
// that are a formula of the event number so readers can check every one. Shared by the C++ tests
// and write_event_fixture; tests/python/test_events.py repeats the formula.
#include <cstdint>

#include "engine/series.hpp"

namespace aidflow::testing {

inline constexpr std::int64_t kEventsPerStep = 50;

inline engine::EventTableSpec event_spec() {
  using engine::ValueType;
  return {
      "events",
      {{"step", ValueType::Int64, "1", "step of the event", {}},
       {"kind",
        ValueType::Int64,
        "1",
        "what happened",
        {"attack", "ministry_change", "aid_suspended"}},
       {"executor", ValueType::Int64, "1", "faction that acted", {"taliban", "haqqani", "isis_k"}},
       {"casualties", ValueType::Int64, "people", "people killed or wounded", {}},
       {"severity", ValueType::Float64, "1", "severity from 0 to 1", {}}}};
}

// Event i happens at step i / 50; every fourth has no executor (-1).
inline engine::EventRow event_row(std::int64_t i) {
  return {i / kEventsPerStep, i % 3, i % 4 - 1, (i * 7) % 101, static_cast<double>(i % 10) / 10.0};
}

}  // namespace aidflow::testing
