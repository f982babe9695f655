#include "sweep/plan.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "sweep/fingerprint.hpp"

namespace aidflow::sweep {
namespace {

std::string shortest(double value) {
  char text[32];
  const auto end = std::to_chars(text, text + sizeof text, value).ptr;
  return std::string(text, end);
}

bool every_level_numeric(const Parameter& p) {
  return p.continuous || std::all_of(p.levels.begin(), p.levels.end(),
                                     [](const Level& level) { return level.numeric; });
}

std::vector<int> level_counts(const std::vector<const Parameter*>& parameters) {
  std::vector<int> counts;
  for (const Parameter* p : parameters) counts.push_back(static_cast<int>(p->levels.size()));
  return counts;
}

// a * b, or nothing past `limit`.
std::optional<std::int64_t> times(std::int64_t a, std::int64_t b, std::int64_t limit) {
  if (b != 0 && a > limit / b) return std::nullopt;
  return a * b;
}

}  // namespace

std::string run_file(std::int64_t run) {
  char name[40];
  std::snprintf(name, sizeof name, "runs/run-%06lld.h5", static_cast<long long>(run));
  return name;
}

std::string record_file(std::int64_t run) {
  char name[40];
  std::snprintf(name, sizeof name, "runs/run-%06lld.json", static_cast<long long>(run));
  return name;
}

Level level_at(const Parameter& p, double u) {
  u = std::clamp(u, 0.0, 1.0);
  if (!p.continuous) {
    const auto n = p.levels.size();
    return p.levels[std::min(n - 1, static_cast<std::size_t>(u * static_cast<double>(n)))];
  }
  double value = p.log ? p.min * std::pow(p.max / p.min, u) : p.min + u * (p.max - p.min);
  if (p.integer) value = std::round(value);
  const std::string text = shortest(value);
  return Level{
      .label = text,
      .set = {scenario::Override(p.path + "=" + text, p.origin + " (" + p.name + "=" + text + ")")},
      .numeric = true,
      .number = value};
}

std::optional<std::int64_t> count_points(const SweepSpec& spec, std::int64_t limit) {
  const Design& d = spec.design;
  std::optional<std::int64_t> sampled = 1, crossed = 1;
  std::int64_t k = 0;
  for (const Parameter& p : spec.parameters) {
    const auto levels = static_cast<std::int64_t>(p.levels.size());
    if (p.crossed) {
      crossed = times(*crossed, levels, limit);
    } else if (d.kind == DesignKind::Factorial) {
      sampled = times(*sampled, levels, limit);
    } else {
      ++k;
    }
    if (!sampled || !crossed) return std::nullopt;
  }
  if (d.kind == DesignKind::LatinHypercube) sampled = d.points;
  if (d.kind == DesignKind::Sobol) sampled = times(d.points, k + 2, limit);
  if (d.kind == DesignKind::Morris) sampled = times(d.points, k + 1, limit);
  if (!sampled) return std::nullopt;
  return times(*sampled, *crossed, limit);
}

Plan::Plan(const SweepSpec& spec) : spec_(spec) {
  for (const Parameter& p : spec.parameters) (p.crossed ? crossed_ : sampled_).push_back(&p);
  sampled_counts_ = level_counts(sampled_);
  crossed_counts_ = level_counts(crossed_);
  for (const int count : crossed_counts_) combinations_ *= count;
  points_ = count_points(spec, INT64_MAX).value_or(0);
  sampled_points_ = points_ / combinations_;
  for (const Parameter& p : spec.parameters) {
    columns_.push_back(
        {.name = p.name,
         .kind = every_level_numeric(p) ? PointColumn::Kind::Number : PointColumn::Kind::Label});
  }
  const int k = static_cast<int>(sampled_.size());
  const auto coordinates = [&](const char* const(&names)[2]) {
    for (const char* name : names) {
      columns_.push_back({.name = name, .kind = PointColumn::Kind::Coordinate});
    }
  };
  switch (spec.design.kind) {
    case DesignKind::Factorial:
      break;
    case DesignKind::LatinHypercube:
      latin_.emplace(spec.design.points, k, spec.design.seed);
      break;
    case DesignKind::Sobol:
      saltelli_.emplace(k);
      coordinates(kSobolColumns);
      break;
    case DesignKind::Morris:
      morris_.emplace(k, spec.design.levels, spec.design.seed);
      coordinates(kMorrisColumns);
      break;
  }
}

// The levels of the sampled parameters at one sampled point, and its design coordinates.
std::vector<Level> Plan::sampled_levels(std::int64_t i, PointValues& values) const {
  const int k = static_cast<int>(sampled_.size());
  std::vector<double> unit;
  if (latin_) {
    for (int j = 0; j < k; ++j) unit.push_back(latin_->at(static_cast<int>(i), j));
  } else if (saltelli_) {
    unit = saltelli_->point(i);
    values.coordinates = {i / saltelli_->blocks(), i % saltelli_->blocks()};
  } else if (morris_) {
    unit = morris_->point(static_cast<int>(i / (k + 1)), static_cast<int>(i % (k + 1)));
    values.coordinates = {i / (k + 1), i % (k + 1)};
  } else {
    const std::vector<int> indices = factorial_point(sampled_counts_, i);
    std::vector<Level> levels;
    for (int j = 0; j < k; ++j) levels.push_back(sampled_[j]->levels[indices[j]]);
    return levels;
  }
  std::vector<Level> levels;
  for (int j = 0; j < k; ++j) levels.push_back(level_at(*sampled_[j], unit[j]));
  return levels;
}

// Point p is sampled point p / combinations with crossed combination p % combinations: the
// crossed levels vary fastest, so a sampled point's arms sit together.
PointValues Plan::point(std::int64_t p) const {
  PointValues values;
  const std::vector<Level> sampled = sampled_levels(p / combinations_, values);
  const std::vector<int> crossed = factorial_point(crossed_counts_, p % combinations_);
  std::size_t next_sampled = 0, next_crossed = 0;
  for (const Parameter& parameter : spec_.parameters) {
    values.levels.push_back(parameter.crossed ? parameter.levels[crossed[next_crossed++]]
                                              : sampled[next_sampled++]);
  }
  return values;
}

PlannedRun Plan::run(std::int64_t number) const {
  const std::int64_t p = number / spec_.replicates;
  const int r = static_cast<int>(number % spec_.replicates);
  PlannedRun run{.run = number, .point = p, .replicate = r};
  run.seed = spec_.seed + static_cast<std::uint64_t>(r);
  run.overrides = spec_.fixed;
  run.label = spec_.name;
  const PointValues values = point(p);
  for (std::size_t i = 0; i < values.levels.size(); ++i) {
    const Level& level = values.levels[i];
    run.overrides.insert(run.overrides.end(), level.set.begin(), level.set.end());
    run.label += " " + spec_.parameters[i].name + "=" + level.label;
  }
  run.overrides.emplace_back(
      "run.seed=" + std::to_string(run.seed),
      "replicate " + std::to_string(r) + " (run.seed " + std::to_string(run.seed) + ")");
  run.label += " replicate=" + std::to_string(r);
  run.file = run_file(number);
  Fingerprint f;
  f.add(spec_.inputs_fingerprint);
  for (const scenario::Override& o : run.overrides) {
    f.add("\n");
    f.add(o.assignment);
  }
  run.fingerprint = f.hex();
  return run;
}

}  // namespace aidflow::sweep
