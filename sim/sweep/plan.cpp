#include "sweep/plan.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "sweep/design.hpp"

namespace aidflow::sweep {
namespace {

std::string shortest(double value) {
  char text[32];
  const auto end = std::to_chars(text, text + sizeof text, value).ptr;
  return std::string(text, end);
}

// The sampled points as levels, a row per sampled point, and the design's own coordinates.
struct Sampled {
  std::vector<std::vector<Level>> rows;
  std::vector<PointColumn> coordinates;
};

PointColumn coordinate(const std::string& name, const std::vector<int>& values) {
  PointColumn c{.name = name};
  c.integers.assign(values.begin(), values.end());
  return c;
}

Sampled sample(const SweepSpec& spec, const std::vector<const Parameter*>& sampled) {
  const int k = static_cast<int>(sampled.size());
  const Design& d = spec.design;
  Sampled out;
  UnitMatrix unit;
  switch (d.kind) {
    case DesignKind::Factorial: {
      std::vector<int> counts;
      for (const Parameter* p : sampled) counts.push_back(static_cast<int>(p->levels.size()));
      for (const auto& indices : full_factorial(counts)) {
        std::vector<Level> row;
        for (int i = 0; i < k; ++i) row.push_back(sampled[i]->levels[indices[i]]);
        out.rows.push_back(std::move(row));
      }
      return out;
    }
    case DesignKind::LatinHypercube:
      unit = latin_hypercube(d.points, k, d.seed);
      break;
    case DesignKind::Sobol: {
      Saltelli s = saltelli(d.points, k);
      unit = std::move(s.points);
      out.coordinates = {coordinate("sobol_sample", s.sample), coordinate("sobol_block", s.block)};
      break;
    }
    case DesignKind::Morris: {
      Morris m = morris(d.points, k, d.levels, d.seed);
      unit = std::move(m.points);
      out.coordinates = {coordinate("morris_trajectory", m.trajectory),
                         coordinate("morris_step", m.step)};
      break;
    }
  }
  for (const auto& u : unit) {
    std::vector<Level> row;
    for (int i = 0; i < k; ++i) row.push_back(level_at(*sampled[i], u[i]));
    out.rows.push_back(std::move(row));
  }
  return out;
}

// Each point's levels, in the order of spec.parameters.
std::vector<std::vector<Level>> points_of(const SweepSpec& spec, std::vector<PointColumn>& extra) {
  std::vector<const Parameter*> sampled, crossed;
  for (const Parameter& p : spec.parameters) (p.crossed ? crossed : sampled).push_back(&p);
  Sampled s = sample(spec, sampled);
  std::vector<int> counts;
  for (const Parameter* p : crossed) counts.push_back(static_cast<int>(p->levels.size()));
  const auto combinations = full_factorial(counts);
  std::vector<std::vector<Level>> points;
  for (std::size_t i = 0; i < s.rows.size(); ++i) {
    for (const auto& combination : combinations) {
      std::vector<Level> point;
      std::size_t next_sampled = 0, next_crossed = 0;
      for (const Parameter& p : spec.parameters) {
        point.push_back(p.crossed ? p.levels[combination[next_crossed++]]
                                  : s.rows[i][next_sampled++]);
      }
      points.push_back(std::move(point));
    }
  }
  // Design coordinates repeat for each crossed combination of their sampled point.
  for (PointColumn& c : s.coordinates) {
    std::vector<std::int64_t> repeated;
    for (const std::int64_t v : c.integers) repeated.insert(repeated.end(), combinations.size(), v);
    c.integers = std::move(repeated);
    extra.push_back(std::move(c));
  }
  return points;
}

PointColumn parameter_column(const Parameter& p, std::size_t index,
                             const std::vector<std::vector<Level>>& points) {
  PointColumn c{.name = p.name, .numeric = true};
  for (const auto& point : points) c.numeric = c.numeric && point[index].numeric;
  for (const auto& point : points) {
    if (c.numeric) {
      c.numbers.push_back(point[index].number);
    } else {
      c.labels.push_back(point[index].label);
    }
  }
  return c;
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

Plan make_plan(const SweepSpec& spec) {
  Plan plan;
  const std::vector<std::vector<Level>> points = points_of(spec, plan.columns);
  std::vector<PointColumn> columns;
  for (std::size_t i = 0; i < spec.parameters.size(); ++i) {
    columns.push_back(parameter_column(spec.parameters[i], i, points));
  }
  columns.insert(columns.end(), plan.columns.begin(), plan.columns.end());
  plan.columns = std::move(columns);
  plan.points = static_cast<std::int64_t>(points.size());
  for (std::int64_t p = 0; p < plan.points; ++p) {
    const auto& point = points[static_cast<std::size_t>(p)];
    for (int r = 0; r < spec.replicates; ++r) {
      PlannedRun run{.run = p * spec.replicates + r, .point = p, .replicate = r};
      run.seed = spec.seed + static_cast<std::uint64_t>(r);
      run.overrides = spec.fixed;
      run.label = spec.name;
      for (std::size_t i = 0; i < point.size(); ++i) {
        run.overrides.insert(run.overrides.end(), point[i].set.begin(), point[i].set.end());
        run.label += " " + spec.parameters[i].name + "=" + point[i].label;
      }
      run.overrides.emplace_back(
          "run.seed=" + std::to_string(run.seed),
          "replicate " + std::to_string(r) + " (run.seed " + std::to_string(run.seed) + ")");
      run.label += " replicate=" + std::to_string(r);
      run.file = run_file(run.run);
      plan.runs.push_back(std::move(run));
    }
  }
  return plan;
}

}  // namespace aidflow::sweep
