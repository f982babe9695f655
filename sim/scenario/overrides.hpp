#pragma once
// `--set path=value` overrides, applied to the scenario tree before validation, so an override is
// checked exactly like the file (and its errors name the --set that caused them).
#include <string>
#include <vector>

#include "scenario/source_tree.hpp"

namespace aidflow::scenario {

// One "a.b[2].c=value" override and where it came from, for messages: "--set a.b=1" by default,
// or the option that stands for it ("--steps 10").
struct Override {
  Override(const char* assignment_text) : Override(std::string(assignment_text)) {}
  Override(std::string assignment_text)
      : assignment(std::move(assignment_text)), origin("--set " + assignment) {}
  Override(std::string assignment_text, std::string origin_text)
      : assignment(std::move(assignment_text)), origin(std::move(origin_text)) {}
  std::string assignment;
  std::string origin;
};

// An override through a list the tree does not have (sanctions[0].enforcement=0.5 on a scenario
// without sanctions): the key is unknown (a typo) or a list this scenario leaves out, which only
// the schema can tell (scenario_loader.hpp: apply_overrides_checked). path() is the list's.
class MissingListError : public InputError {
 public:
  using InputError::InputError;
};

// Applies one override; the value is read as a YAML value (42, true, [a, b]).
void apply_override(SourceNode& root, const Override& override_);

void apply_overrides(SourceNode& root, const std::vector<Override>& overrides);

}  // namespace aidflow::scenario
