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

PointColumn::Kind column_kind(const Parameter& p) {
  const auto every = [&](bool Level::*flag) {
    return std::all_of(p.levels.begin(), p.levels.end(), [&](const Level& l) { return l.*flag; });
  };
  if (p.continuous) return PointColumn::Kind::Number;
  if (every(&Level::boolean)) return PointColumn::Kind::Boolean;
  return every(&Level::numeric) ? PointColumn::Kind::Number : PointColumn::Kind::Label;
}

// Each axis' level count (its members have as many, sweep_file checks).
std::vector<int> level_counts(const std::vector<std::vector<const Parameter*>>& axes) {
  std::vector<int> counts;
  for (const auto& axis : axes) counts.push_back(static_cast<int>(axis.front()->levels.size()));
  return counts;
}

std::vector<std::vector<const Parameter*>> axes_of(const SweepSpec& spec, bool crossed) {
  std::vector<std::vector<const Parameter*>> out;
  for (const auto& axis : design_axes(spec, crossed)) {
    out.emplace_back();
    for (const std::size_t i : axis) out.back().push_back(&spec.parameters[i]);
  }
  return out;
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

Level level_at(const Parameter& p, double u) {
  u = std::clamp(u, 0.0, 1.0);
  if (!p.continuous) {
    const auto n = p.levels.size();
    return p.levels[std::min(n - 1, static_cast<std::size_t>(u * static_cast<double>(n)))];
  }
  double value = p.log ? p.min * std::pow(p.max / p.min, u) : p.min + u * (p.max - p.min);
  if (p.integer) value = std::round(value);
  Level level{.label = shortest(value), .numeric = true, .number = value};
  level.set = assignments(p, level, p.origin);
  return level;
}

std::vector<scenario::Override> assignments(const Parameter& p, const Level& level,
                                            const std::string& origin) {
  std::vector<scenario::Override> out;
  for (const Target& t : p.targets) {
    const std::string value =
        t.transformed() ? shortest(level.number * t.scale + t.offset) : level.label;
    out.emplace_back(t.path + "=" + value, origin + " (" + p.name + "=" + level.label + ")");
  }
  return out;
}

bool is_boolean(const std::string& text) {
  for (const char* b : {"true", "True", "TRUE", "false", "False", "FALSE"}) {
    if (text == b) return true;
  }
  return false;
}

std::vector<std::vector<std::size_t>> design_axes(const SweepSpec& spec, bool crossed) {
  std::vector<std::vector<std::size_t>> axes;
  std::vector<std::string> groups;  // of each axis ("" for a parameter alone)
  for (std::size_t i = 0; i < spec.parameters.size(); ++i) {
    const Parameter& p = spec.parameters[i];
    if (p.crossed != crossed) continue;
    const auto same = std::find(groups.begin(), groups.end(), p.group);
    if (!p.group.empty() && same != groups.end()) {
      axes[static_cast<std::size_t>(same - groups.begin())].push_back(i);
    } else {
      axes.push_back({i});
      groups.push_back(p.group);
    }
  }
  return axes;
}

std::optional<std::int64_t> count_points(const SweepSpec& spec, std::int64_t limit) {
  const Design& d = spec.design;
  std::optional<std::int64_t> sampled = 1, crossed = 1;
  std::int64_t k = 0;
  for (const bool is_crossed : {true, false}) {
    for (const auto& axis : design_axes(spec, is_crossed)) {
      const auto levels = static_cast<std::int64_t>(spec.parameters[axis.front()].levels.size());
      if (is_crossed) {
        crossed = times(*crossed, levels, limit);
      } else if (d.kind == DesignKind::Factorial || d.kind == DesignKind::Ensemble) {
        sampled = times(*sampled, levels, limit);
      } else {
        ++k;
      }
      if (!sampled || !crossed) return std::nullopt;
    }
  }
  if (d.kind == DesignKind::LatinHypercube) sampled = d.points;
  if (d.kind == DesignKind::Sobol) sampled = times(d.points, k + 2, limit);
  if (d.kind == DesignKind::Morris) sampled = times(d.points, k + 1, limit);
  if (!sampled) return std::nullopt;
  return times(*sampled, *crossed, limit);
}

Plan::Plan(const SweepSpec& spec)
    : spec_(spec), sampled_(axes_of(spec, false)), crossed_(axes_of(spec, true)) {
  sampled_counts_ = level_counts(sampled_);
  sampled_slot_ = slots(false);
  crossed_slot_ = slots(true);
  crossed_counts_ = level_counts(crossed_);
  for (const int count : crossed_counts_) combinations_ *= count;
  points_ = count_points(spec, INT64_MAX).value_or(0);
  sampled_points_ = points_ / combinations_;
  for (const Parameter& p : spec.parameters) {
    columns_.push_back({.name = p.name, .kind = column_kind(p), .parameter = &p});
  }
  const int k = static_cast<int>(sampled_.size());
  const auto coordinates = [&](const char* const(&names)[2]) {
    for (const char* name : names) {
      columns_.push_back({.name = name, .kind = PointColumn::Kind::Coordinate});
    }
  };
  switch (spec.design.kind) {
    case DesignKind::Factorial:
    case DesignKind::Ensemble:  // a factorial design over its one axis, the draws
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

std::vector<std::string> Plan::axis_names() const {
  std::vector<std::string> names;
  for (const auto& axis : sampled_) {
    names.push_back(axis.front()->group.empty() ? axis.front()->name : axis.front()->group);
  }
  return names;
}

// The levels of the sampled parameters at one sampled point (axis by axis, a group's members in
// order), and its design coordinates.
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
    for (int j = 0; j < k; ++j) {
      for (const Parameter* p : sampled_[j]) levels.push_back(p->levels[indices[j]]);
    }
    return levels;
  }
  std::vector<Level> levels;
  for (int j = 0; j < k; ++j) {
    for (const Parameter* p : sampled_[j]) levels.push_back(level_at(*p, unit[j]));
  }
  return levels;
}

// Where each parameter's level is found among those of its kind (sampled or crossed), which are
// listed axis by axis.
std::vector<std::size_t> Plan::slots(bool crossed) const {
  std::vector<std::size_t> slot(spec_.parameters.size(), 0);
  std::size_t next = 0;
  for (const auto& axis : crossed ? crossed_ : sampled_) {
    for (const Parameter* p : axis)
      slot[static_cast<std::size_t>(p - spec_.parameters.data())] = next++;
  }
  return slot;
}

// Point p is sampled point p / combinations with crossed combination p % combinations: the
// crossed levels vary fastest, so a sampled point's arms sit together.
PointValues Plan::point(std::int64_t p) const {
  PointValues values;
  const std::vector<Level> sampled = sampled_levels(p / combinations_, values);
  const std::vector<int> crossed = factorial_point(crossed_counts_, p % combinations_);
  std::vector<int> crossed_index;  // per crossed parameter, in slot order
  for (std::size_t a = 0; a < crossed_.size(); ++a) {
    for (std::size_t m = 0; m < crossed_[a].size(); ++m) crossed_index.push_back(crossed[a]);
  }
  for (std::size_t i = 0; i < spec_.parameters.size(); ++i) {
    const Parameter& parameter = spec_.parameters[i];
    values.levels.push_back(parameter.crossed ? parameter.levels[crossed_index[crossed_slot_[i]]]
                                              : sampled[sampled_slot_[i]]);
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
