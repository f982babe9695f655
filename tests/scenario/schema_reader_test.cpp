// MapReader, key by key: typed getters with ranges and defaults, the closest-key suggestion for an
// unknown key, and the location (file:line:column) and key path every error names.
#include "scenario/schema_reader.hpp"

#include <gtest/gtest.h>

#include "scenario/input_error.hpp"
#include "scenario/overrides.hpp"
#include "scenario/uncertainty.hpp"
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

// Values declared with their range ({value, range, distribution, note}): read as their value
// wherever a number is read, kept through extends and --set, written as the plain value in a
// run's record, listed with paths --set takes, and refused at the offending part when wrong.
TEST(DeclaredValue, ReadsAsItsValueForNumbersAndWholeNumbers) {
  const SourceNode root = parse_yaml(
      "a: {value: 0.55, range: [0.4, 0.7], note: \"why [SRC-1]\"}\n"
      "n: {value: 26, range: [8, 104], distribution: log_uniform}\n",
      "t.yaml");
  MapReader r(root, "");
  EXPECT_EQ(r.number("a", {0.0, 1.0}), 0.55);
  EXPECT_EQ(r.integer("n", 1, 520), 26);
  r.finish();
}

TEST(DeclaredValue, RefusesWhatIsWrongAtTheOffendingPart) {
  const auto number = [](MapReader& m) { m.number("a", {0.0, 1.0}); };
  EXPECT_EQ(error_of("a: {value: 0.9, range: [0.4, 0.7]}\n", number),
            "t.yaml:1:24: a.range: the range [0.4, 0.7] excludes the value 0.9");
  EXPECT_EQ(error_of("a: {value: 0.5, range: [0.7, 0.4]}\n", number),
            "t.yaml:1:24: a.range: expected low below high, got [0.7, 0.4]");
  EXPECT_EQ(error_of("a: {value: 0.5, range: [0.4, 1.5]}\n", number),
            "t.yaml:1:24: a.range: the range [0.4, 1.5] goes outside what a takes: expected a "
            "number >= 0 and <= 1");
  EXPECT_EQ(error_of("a: {value: 0.5, range: [0, 1], distribution: log_uniform}\n", number),
            "t.yaml:1:46: a.distribution: log_uniform needs a range above 0, got a low end of 0");
  EXPECT_EQ(error_of("a: {value: 0.5, range: [0, 1], nte: x}\n", number),
            "t.yaml:1:32: a.nte: unknown key (did you mean \"note\"?)");
  EXPECT_EQ(error_of("a: {value: x, range: [0, 1]}\n", number),
            "t.yaml:1:12: a.value: a range is for numbers: expected a finite number, got \"x\"");
  EXPECT_EQ(error_of("a: {value: 0.5, range: [0, x]}\n", number),
            "t.yaml:1:28: a.range[1]: expected a finite number, got \"x\"");
  EXPECT_EQ(error_of("a: {value: 0.5}\n", number),
            "t.yaml:1:4: a.range: required key is missing: expected range: [low, high], two "
            "numbers");
  EXPECT_EQ(error_of("a: {value: hi, range: [0, 1]}\n", [](MapReader& m) { m.text("a"); }),
            "t.yaml:1:4: a: expected a text value, got a value with a range (a range is for "
            "numbers)");
  EXPECT_EQ(error_of("n: {value: 4, range: [0, 8]}\n", [](MapReader& m) { m.integer("n", 1, 9); }),
            "t.yaml:1:22: n.range: the range [0, 8] goes outside what n takes: expected a whole "
            "number from 1 to 9");
}

TEST(DeclaredValue, SetChangesTheValueAndKeepsTheRangeEvenOutsideIt) {
  SourceNode root = parse_yaml("g:\n  a: {value: 0.55, range: [0.4, 0.7], note: n}\n", "t.yaml");
  apply_override(root, Override("g.a=0.9"));
  const std::vector<Uncertainty> found = find_uncertainties(root);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].path, "g.a");
  EXPECT_EQ(found[0].value_text, "0.9");
  EXPECT_EQ(found[0].low_text, "0.4");
  EXPECT_EQ(found[0].note, "n");
  MapReader r(root, "");
  EXPECT_EQ(r.map("g").number("a", {0.0, 1.0}), 0.9);  // a sweep may explore beyond the range
}

TEST(DeclaredValue, AFileThatExtendsChangesTheValueOnly) {
  SourceNode base = parse_yaml("a: {value: 0.55, range: [0.4, 0.7]}\nb: 1\n", "base.yaml");
  merge_into(base, parse_yaml("a: 0.6\n", "top.yaml"));
  const std::vector<Uncertainty> found = find_uncertainties(base);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].value_text, "0.6");
  EXPECT_EQ(found[0].high_text, "0.7");
}

TEST(DeclaredValue, ARunRecordsThePlainValues) {
  const SourceNode declared =
      parse_yaml("a: {value: 0.55, range: [0.4, 0.7], note: n}\nb: [1, 2]\n", "t.yaml");
  const SourceNode plain = parse_yaml("a: 0.55\nb: [1, 2]\n", "t.yaml");
  EXPECT_EQ(to_yaml(declared, Declarations::kValuesOnly), to_yaml(plain));
  EXPECT_NE(to_yaml(declared), to_yaml(plain));  // a sweep's copy keeps the ranges
}

TEST(DeclaredValue, ListedWithPathsThatPickEntriesById) {
  const SourceNode root = parse_yaml(
      "factions:\n"
      "  - id: haqqani\n"
      "    influence: {value: 0.2, range: [0.1, 0.3], distribution: triangular}\n"
      "flows:\n"
      "  - {people: {value: 5, range: [1, 9]}}\n",
      "t.yaml");
  const std::vector<Uncertainty> found = find_uncertainties(root);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].path, "factions[haqqani].influence");
  EXPECT_EQ(found[0].distribution, Distribution::kTriangular);
  EXPECT_EQ(found[0].where.to_string(), "t.yaml:3:24");
  EXPECT_EQ(found[1].path, "flows[0].people");
}

TEST(DeclaredValue, ClaimTagsAreTheBracketedSourceNames) {
  EXPECT_EQ(
      claim_tags("about $2B [WB-REVENUE-2022]; see [OCHA-HRP-2022] and [x] [WB-REVENUE-2022]"),
      (std::vector<std::string>{"WB-REVENUE-2022", "OCHA-HRP-2022"}));
  EXPECT_TRUE(claim_tags("no source").empty());
}

TEST(DeclaredValue, PathPatternsTakeStarForAnyRun) {
  EXPECT_TRUE(path_matches("*", "geography.baseline_need"));
  EXPECT_TRUE(path_matches("factions[haqqani].*", "factions[haqqani].economy.reserve_weeks"));
  EXPECT_FALSE(path_matches("factions[haqqani].*", "factions[kandahari].influence"));
  EXPECT_TRUE(path_matches("*.list_manipulation", "factions[al_qaeda].list_manipulation"));
  EXPECT_FALSE(path_matches("geography.baseline", "geography.baseline_need"));
  EXPECT_TRUE(path_matches("*need", "geography.baseline_need"));
}

}  // namespace
}  // namespace aidflow::scenario
