#pragma once
// An ensemble of parameter sets (a calibration's posterior draws, docs/CALIBRATION.md) as a
// sweep's design: `ensemble: FILE` in a sweep file makes each draw one design point, crossed with
// the policy arms (`crossed: true` parameters) and run with the same replicate seeds, so every arm
// runs on the same draws and seeds. The file is the calibration's posterior_draws.csv: a header
// `draw,PATH,PATH,...` (key paths, as `--set` takes them), then one row per draw, its number and
// a number per path.
#include <filesystem>
#include <string>

#include "scenario/input_error.hpp"
#include "sweep/spec.hpp"

namespace aidflow::sweep {

// The store's coordinate of the draw (the draw's number in the file) and the ensemble's name.
inline constexpr const char* kDrawName = "draw";
// The copy of the ensemble a sweep directory keeps (sweep-merge plans from it).
inline constexpr const char* kEnsembleCopy = "ensemble.csv";

struct Ensemble {
  std::string text;     // the file as read, kept in the sweep directory
  Parameter parameter;  // `draw`: one level per draw, setting every path of its row
};

// Reads `file` (named at `where`, the sweep file's `ensemble:` key, when it cannot be opened);
// a malformed row or cell is an InputError at its line and column in the file.
Ensemble read_ensemble(const std::filesystem::path& file, const scenario::SourceLocation& where);

}  // namespace aidflow::sweep
