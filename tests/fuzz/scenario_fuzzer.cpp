// libFuzzer target: arbitrary bytes as a scenario file, and as a --set override applied to the
// baseline. The loader must answer every input with a scenario or an InputError: any other
// exception, crash, hang or leak is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "scenario/input_error.hpp"
#include "scenario/overrides.hpp"
#include "scenario/scenario_loader.hpp"
#include "scenario/yaml_source.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const aidflow::scenario::SourceNode tree = aidflow::scenario::parse_yaml(text, "fuzz.yaml");
    (void)aidflow::scenario::read_scenario(tree);
  } catch (const aidflow::scenario::InputError&) {
  }
  // The first line doubles as an override of a small valid scenario.
  static const aidflow::scenario::SourceNode base = aidflow::scenario::parse_yaml(
      "name: f\nfactions: [{id: a}]\nchannels: [{id: c, kind: un_agency}]\n"
      "ministries: [{id: m, controlled_by: a}]\nsectors: [{id: s, ministry: m}]\n"
      "donors: [{id: d, budget_usd_per_year: 1, channels: {c: 1}, sectors: {s: 1}}]\n"
      "run: {households: 40, steps: 1}\ngeography: {source: synthetic, districts: 4, provinces: "
      "2}\n",
      "base.yaml");
  try {
    aidflow::scenario::SourceNode tree = base;
    aidflow::scenario::apply_override(tree, text.substr(0, text.find('\n')));
    (void)aidflow::scenario::read_scenario(tree);
  } catch (const aidflow::scenario::InputError&) {
  }
  return 0;
}
