#pragma once
// Reading scenario text: YAML files (with `extends` resolved) and single YAML values (for --set)
// into SourceNode trees. yaml-cpp is used here and nowhere else.
#include <filesystem>

#include "io/source_tree.hpp"

namespace aidflow::io {

// Scenario files larger than this are refused before parsing: a scenario is a few pages of
// settings (the baseline is under 30 KB), and a huge file is almost surely the wrong file.
inline constexpr std::uintmax_t kMaxScenarioBytes = 1u << 20;
// Nesting deeper than this is refused (a scenario needs four or five levels).
inline constexpr int kMaxNestingDepth = 64;

// Parses YAML text; `file` names it in messages. Throws InputError.
SourceNode parse_yaml(const std::string& text, const std::string& file);

// Reads and parses a scenario file, then resolves its `extends` chain (refusing cycles).
SourceNode load_yaml_file(const std::filesystem::path& path);

}  // namespace aidflow::io
