// Values declared with their range ({value, range, distribution, note}): read as their value
// wherever a number is read, kept through extends and --set, written as the plain value in a
// run's record, listed with paths --set takes, and refused at the offending part when wrong.
#include "scenario/uncertainty.hpp"

#include <gtest/gtest.h>

#include "scenario/overrides.hpp"
#include "scenario/schema_reader.hpp"
#include "scenario/yaml_source.hpp"

namespace aidflow::scenario {
namespace {

std::string error_of(const std::string& yaml, const std::function<void(MapReader&)>& read) {
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
