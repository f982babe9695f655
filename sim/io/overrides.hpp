#pragma once
// `--set path=value` overrides, applied to the scenario tree before validation, so an override is
// checked exactly like the file (and its errors name the --set that caused them).
#include <string>
#include <vector>

#include "io/source_tree.hpp"

namespace aidflow::io {

// Applies one "a.b[2].c=value" override; value is read as a YAML value (42, true, [a, b]).
void apply_override(SourceNode& root, const std::string& assignment);

void apply_overrides(SourceNode& root, const std::vector<std::string>& assignments);

}  // namespace aidflow::io
