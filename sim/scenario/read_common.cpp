// Helpers every section reader shares (sections.hpp).
#include <chrono>
#include <cmath>
#include <optional>

#include "scenario/references.hpp"
#include "scenario/sections.hpp"

namespace aidflow::scenario {

std::optional<std::chrono::year_month_day> parse_date(const std::string& d) {
  const auto digits = [&](std::size_t from, std::size_t count) {
    return std::all_of(d.begin() + static_cast<std::ptrdiff_t>(from),
                       d.begin() + static_cast<std::ptrdiff_t>(from + count),
                       [](char c) { return c >= '0' && c <= '9'; });
  };
  const bool shaped = d.size() == 10 && d[4] == '-' && d[7] == '-' && digits(0, 4) &&
                      digits(5, 2) && digits(8, 2) &&
                      (d.starts_with("19") || d.starts_with("20")) && d.substr(5, 2) >= "01" &&
                      d.substr(5, 2) <= "12";
  if (!shaped) return std::nullopt;
  return std::chrono::year_month_day{
      std::chrono::year{std::stoi(d.substr(0, 4))},
      std::chrono::month{static_cast<unsigned>(std::stoi(d.substr(5, 2)))},
      std::chrono::day{static_cast<unsigned>(std::stoi(d.substr(8, 2)))}};
}

// A mapping of id -> share over `ids`; ids left out get 0; shares must sum to 1.
std::vector<double> read_shares(MapReader& parent, const std::string& key,
                                const std::vector<std::string>& ids, const std::string& what) {
  const std::string expected = "a mapping of " + what + " id to share";
  if (!parent.has(key)) parent.fail(key, "required key is missing: expected " + expected);
  MapReader shares = parent.map(key);
  if (shares.node().kind != SourceNode::Kind::Map) parent.fail_type(key, expected, shares.node());
  std::vector<double> out(ids.size(), 0.0);
  double sum = 0.0;
  for (std::size_t k = 0; k < shares.node().keys.size(); ++k) {
    const std::string& given = shares.node().keys[k];
    const auto it = std::find(ids.begin(), ids.end(), given);
    if (it == ids.end()) {
      throw InputError(shares.node().key_locations[k], child_path(shares.path(), given),
                       unknown_reference(what, given, ids));
    }
    const double share = shares.number(given, kShare);
    out[static_cast<std::size_t>(it - ids.begin())] = share;
    sum += share;
  }
  if (std::fabs(sum - 1.0) > kShareTolerance) {
    parent.fail(key, "shares must sum to 1, but they sum to " + std::to_string(sum));
  }
  return out;
}

// Reads `key` as a date; refuses text that is not one with a located message.
std::chrono::sys_days read_date(MapReader& r, const std::string& key, const std::string& text) {
  const auto day = parse_date(text);
  if (!day) r.fail(key, "expected a date as YYYY-MM-DD, got \"" + excerpt(text) + "\"");
  if (!day->ok()) {
    r.fail(key, "expected a date as YYYY-MM-DD, got \"" + excerpt(text) + "\" (no such day)");
  }
  return std::chrono::sys_days{*day};
}

int read_step(MapReader& r, const std::string& key, int fallback) {
  return static_cast<int>(r.integer(key, 0, kMaxStep, fallback));
}

double per_step(MapReader& r, const std::string& key, Range range, double fallback_per_step) {
  return r.number(key, range, fallback_per_step * model::kStepsPerYear) / model::kStepsPerYear;
}

}  // namespace aidflow::scenario
