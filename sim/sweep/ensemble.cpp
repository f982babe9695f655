#include "sweep/ensemble.hpp"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <vector>

#include "sweep/plan.hpp"

namespace aidflow::sweep {
namespace {

using scenario::InputError;
using scenario::SourceLocation;

struct Cell {
  std::string text;
  int column = 1;  // 1-based, where the cell starts
};

std::vector<Cell> split_row(const std::string& line) {
  std::vector<Cell> cells{{}};
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == ',') {
      cells.push_back({.column = static_cast<int>(i) + 2});
    } else if (line[i] != '\r') {
      cells.back().text += line[i];
    }
  }
  return cells;
}

std::optional<double> number_of(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (*end != '\0' || !std::isfinite(value)) return std::nullopt;
  return value;
}

// The header: `draw`, then distinct key paths.
std::vector<std::string> read_header(const std::vector<Cell>& cells, const SourceLocation& at) {
  if (cells.front().text != kDrawName || cells.size() < 2) {
    throw InputError(at, "",
                     "expected the header draw,PATH,... (a calibration's posterior_draws.csv)");
  }
  std::vector<std::string> paths;
  std::set<std::string> seen;
  for (std::size_t i = 1; i < cells.size(); ++i) {
    const std::string& path = cells[i].text;
    SourceLocation where = at;
    where.column = cells[i].column;
    const bool run_setting = path.starts_with("run.");
    if (path.empty() || run_setting || !seen.insert(path).second) {
      throw InputError(where, "",
                       path.empty()  ? "expected a key path"
                       : run_setting ? "\"" + path +
                                           "\": an ensemble draws model values, not run settings "
                                           "(the sweep's replicates give the seeds)"
                                     : "\"" + path + "\" is a column twice");
    }
    paths.push_back(path);
  }
  return paths;
}

}  // namespace

Ensemble read_ensemble(const std::filesystem::path& file, const SourceLocation& where) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw InputError(where, "ensemble",
                     "no ensemble file " + scenario::excerpt(file.string()) +
                         " (a path relative to the sweep file: a calibration's "
                         "posterior_draws.csv)");
  }
  Ensemble ensemble;
  std::ostringstream text;
  text << in.rdbuf();
  ensemble.text = text.str();
  Parameter& p = ensemble.parameter;
  p.name = kDrawName;
  p.origin = where.to_string();
  const auto name = std::make_shared<const std::string>(file.string());
  std::istringstream lines(ensemble.text);
  std::vector<std::string> paths;
  int line_number = 0;
  for (std::string line; std::getline(lines, line);) {
    const SourceLocation at{name, ++line_number, 1};
    const std::vector<Cell> cells = split_row(line);
    if (line_number == 1) {
      paths = read_header(cells, at);
      continue;
    }
    if (cells.size() != paths.size() + 1) {
      throw InputError(at, "",
                       "expected " + std::to_string(paths.size() + 1) +
                           " cells (the draw and a value per path), got " +
                           std::to_string(cells.size()));
    }
    Level level;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      const SourceLocation cell{name, line_number, cells[i].column};
      const auto value = number_of(cells[i].text);
      if (!value || (i == 0 && (*value != std::floor(*value) || *value < 0))) {
        throw InputError(cell, i == 0 ? kDrawName : paths[i - 1],
                         std::string("expected ") + (i == 0 ? "a draw number" : "a number") +
                             ", got \"" + scenario::excerpt(cells[i].text) + "\"");
      }
      if (i == 0) {
        level = {.label = cells[0].text, .numeric = true, .number = *value};
        continue;
      }
      level.set.emplace_back(paths[i - 1] + "=" + cells[i].text,
                             cell.to_string() + " (draw " + level.label + ")");
    }
    p.levels.push_back(std::move(level));
  }
  if (p.levels.empty()) {
    throw InputError({name, line_number, 1}, "",
                     "the ensemble has no draw (no row after the header)");
  }
  return ensemble;
}

}  // namespace aidflow::sweep
