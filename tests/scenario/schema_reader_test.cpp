// MapReader, key by key: typed getters with ranges and defaults, the closest-key suggestion for an
// unknown key, and the location (file:line:column) and key path every error names.
#include "scenario/schema_reader.hpp"

#include <gtest/gtest.h>

#include "scenario/input_error.hpp"
#include "scenario/yaml_source.hpp"

namespace aidflow::scenario {
namespace {

// The message a reader throws for `read`, or a failure if it throws nothing.
template <class Read>
std::string error_of(const std::string& yaml, Read&& read) {
  const SourceNode root = parse_yaml(yaml, "t.yaml");
  MapReader reader(root, "");
  try {
    read(reader);
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected an error for:\n" << yaml;
  return "";
}

TEST(MapReader, NumbersHonourTheirRangeAndOpenMinimum) {
  const SourceNode root = parse_yaml("a: 0.5\nb: 0\n", "t.yaml");
  MapReader r(root, "");
  EXPECT_EQ(r.number("a", {0.0, 1.0}), 0.5);
  EXPECT_EQ(r.number("missing", {0.0, 1.0}, 0.25), 0.25);
  EXPECT_EQ(error_of("b: 0\n",
                     [](MapReader& m) {
                       m.number("b", {0.0, 1.0, true});
                     }),
            "t.yaml:1:4: b: expected a number > 0 and <= 1, got 0");
  EXPECT_EQ(error_of("a: 2\n",
                     [](MapReader& m) {
                       m.number("a", {0.0, 1.0});
                     }),
            "t.yaml:1:4: a: expected a number >= 0 and <= 1, got 2");
}

TEST(MapReader, AMissingRequiredKeyIsNamedWhereTheMapIs) {
  const std::string message = error_of("run:\n  steps: 3\n", [](MapReader& m) {
    m.map("run").number("seed", {0, 9});
  });
  EXPECT_NE(message.find("run.seed: required key is missing"), std::string::npos) << message;
  EXPECT_EQ(message.rfind("t.yaml:2:", 0), 0u) << message;
}

TEST(MapReader, IntegersRefuseFractionsAndBooleansRefuseWords) {
  EXPECT_NE(error_of("n: 2.5\n", [](MapReader& m) { m.integer("n", 0, 10); })
                .find("n: expected a whole number"),
            std::string::npos);
  EXPECT_NE(error_of("b: perhaps\n", [](MapReader& m) { m.boolean("b"); })
                .find("b: expected true or false"),
            std::string::npos);
}

TEST(MapReader, ChoicesReturnTheirIndexAndNameTheAlternatives) {
  const SourceNode root = parse_yaml("kind: beta\n", "t.yaml");
  MapReader r(root, "");
  EXPECT_EQ(r.choice("kind", {"alpha", "beta"}), 1u);
  const std::string message = error_of("kind: gamma\n", [](MapReader& m) {
    m.choice("kind", {"alpha", "beta"});
  });
  EXPECT_NE(message.find("alpha"), std::string::npos) << message;
  EXPECT_NE(message.find("beta"), std::string::npos) << message;
}

TEST(MapReader, FinishRefusesAKeyNobodyAskedForAndSuggestsTheClosest) {
  const std::string message = error_of("steps: 3\nsede: 4\n", [](MapReader& m) {
    m.integer("steps", 1, 10);
    m.integer("seed", 0, 10, 1);
    m.finish();
  });
  EXPECT_EQ(message.rfind("t.yaml:2:1: sede: unknown key", 0), 0u) << message;
  EXPECT_NE(message.find("\"seed\""), std::string::npos) << message;
}

TEST(MapReader, ListsOfMappingsAreReadItemByItemWithTheirPaths) {
  const std::string message = error_of("items:\n  - {x: 1}\n  - {x: 7}\n", [](MapReader& m) {
    m.list("items", 10, [](MapReader& item) { item.number("x", {0.0, 5.0}); });
  });
  EXPECT_EQ(message.rfind("t.yaml:3:9: items[1].x:", 0), 0u) << message;
  EXPECT_NE(error_of("items: []\n", [](MapReader& m) { m.list("items", 10, [](MapReader&) {}); })
                .find("items"),
            std::string::npos);
}

TEST(ClosestMatch, SuggestsOnlyWhatIsClose) {
  EXPECT_EQ(closest_match("factoins", {"factions", "donors"}), "factions");
  EXPECT_FALSE(closest_match("zzzzzz", {"factions", "donors"}).has_value());
  EXPECT_EQ(join({"a", "b", "c"}), "a, b, c");
}

}  // namespace
}  // namespace aidflow::scenario
