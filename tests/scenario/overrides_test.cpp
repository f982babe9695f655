#include "scenario/overrides.hpp"

#include <gtest/gtest.h>

#include "scenario/scenario_loader.hpp"
#include "scenario/yaml_source.hpp"

namespace aidflow::scenario {
namespace {

SourceNode tree() {
  return parse_yaml("a:\n  b: 1\nlist:\n  - x: 1\n  - x: 2\n", "t.yaml");
}

std::string error_of(const std::string& assignment) {
  SourceNode root = tree();
  try {
    apply_override(root, assignment);
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected an error for " << assignment;
  return "";
}

TEST(Overrides, SetsNestedKeysAndListItems) {
  SourceNode root = tree();
  apply_override(root, "a.b=5");
  apply_override(root, "list[1].x=true");
  apply_override(root, "a.c=[1, 2]");
  EXPECT_EQ(root.find("a")->find("b")->scalar, "5");
  EXPECT_EQ(root.find("list")->children[1].find("x")->scalar, "true");
  EXPECT_EQ(root.find("a")->find("c")->kind, SourceNode::Kind::Sequence);
}

TEST(Overrides, ErrorsNameTheOverride) {
  EXPECT_EQ(error_of("a.b"), "--set a.b: expected path=value, e.g. policy.humanitarian_only=true");
  EXPECT_EQ(error_of("list[5].x=1"),
            "--set list[5].x=1: list[5]: index [5] is out of range: the list has 2 items");
  EXPECT_EQ(error_of("a.b.c=1"),
            "--set a.b.c=1: a.b.c: cannot set key 'c': it is a scalar, not a mapping");
  EXPECT_EQ(error_of("list[x]=1"),
            "--set list[x]=1: list[x]: its entries have no ids: pick one by number, like [0]");
  EXPECT_EQ(error_of("list[1x]=1"),
            "--set list[1x]=1: list[1x]: not a key path (an index is a whole number or an "
            "entry's id); write it like donors[0].name");
}

TEST(Overrides, AListThatIsNotThereIsAnUnknownKey) {
  EXPECT_EQ(error_of("lst[0].x=1"), "--set lst[0].x=1: lst: unknown key (did you mean \"list\"?)");
}

TEST(Overrides, BadValuesNameTheKeyPath) {
  EXPECT_EQ(error_of("a.b=[1,"),
            "--set a.b=[1,: a.b: not valid YAML: end of sequence flow not found");
}

TEST(Overrides, AnUnknownKeyIsCaughtByValidationWithASuggestion) {
  SourceNode root = load_yaml_file(AIDFLOW_SOURCE_DIR "/scenarios/status_quo.yaml").root;
  apply_override(root, "polcy.humanitarian_only=true");
  try {
    read_scenario(root);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("polcy: unknown key (did you mean \"policy\"?)"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace aidflow::scenario
