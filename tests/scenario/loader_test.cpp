#include <gtest/gtest.h>

#include <algorithm>

#include "scenario/input_error.hpp"
#include "scenario/scenario_loader.hpp"
#include "scenario/yaml_source.hpp"
#include "temp_dir.hpp"

namespace aidflow::scenario {
namespace {

using testing::TempDir;

const char* kValid = R"(name: small
run:
  steps: 10
  households: 50
geography: {source: synthetic, provinces: 2, districts: 5}
# a synthetic country (the Afghanistan tables have tests of their own:
# country_tables_test.cpp)
factions:
  - id: haqqani
    influence: 0.3
  - id: kandahari
    influence: 0.4
channels:
  - id: un
    kind: un_agency
    overhead: 0.08
  - id: budget
    kind: budget_support
    ministry_exposure: 0.9
ministries:
  - id: interior
    controlled_by: haqqani
    capture_rate: 0.2
    infiltration_per_year: 0.52
sectors:
  - id: security
    ministry: interior
donors:
  - id: usa
    budget_usd_per_year: 1000000
    channels: {un: 0.5, budget: 0.5}
    sectors: {security: 1}
)";

// The entry with id `id` (lists are in canonical order, sorted by id, whatever the file's order).
template <class Item>
const Item& by_id(const std::vector<Item>& items, const std::string& id) {
  const auto it = std::find_if(items.begin(), items.end(), [&](auto& e) { return e.id == id; });
  if (it == items.end()) throw std::out_of_range("no entry " + id);
  return *it;
}

template <class Item>
std::size_t index_of(const std::vector<Item>& items, const std::string& id) {
  return static_cast<std::size_t>(&by_id(items, id) - items.data());
}

// Loads `text` and returns the error message; fails the test if it loads.
std::string error_of(const std::string& text, std::vector<Override> overrides = {}) {
  TempDir dir;
  const auto file = dir.write("s.yaml", text);
  try {
    load_scenario(file, {.overrides = std::move(overrides)});
  } catch (const InputError& e) {
    const std::string message = e.what();
    // Messages name the file; strip the temporary directory for readable expectations.
    return message.substr(message.find("s.yaml"));
  }
  ADD_FAILURE() << "expected an error for:\n" << text;
  return "";
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

TEST(Loader, ReadsAValidScenarioAndResolvesIds) {
  TempDir dir;
  const auto spec = load_scenario(dir.write("s.yaml", kValid));
  EXPECT_EQ(spec.name, "small");
  EXPECT_EQ(spec.run.steps, 10);
  ASSERT_EQ(spec.ministries.size(), 1u);
  EXPECT_EQ(spec.ministries[0].controlled_by, index_of(spec.factions, "haqqani"));
  EXPECT_DOUBLE_EQ(spec.ministries[0].infiltration_per_step, 0.01);  // per year / 52
  EXPECT_EQ(spec.donors[0].channel_shares, (std::vector<double>{0.5, 0.5}));
  EXPECT_EQ(by_id(spec.channels, "budget").kind, model::ChannelKind::BudgetSupport);
  EXPECT_EQ(spec.households.targeting, 0.8) << "the default documented in docs/SCENARIO.md";
}

// Lists come out sorted by id (lists without ids by what they say), every reference renumbered,
// whatever order the file gives: the model then sums, splits and breaks ties in one order.
TEST(Loader, ListsAreInCanonicalOrderWithReferencesRenumbered) {
  TempDir dir;
  const std::string text = std::string(kValid) +
                           "alliances:\n"
                           "  - {from: kandahari, to: haqqani, income_share: 0.1}\n"
                           "  - {from: haqqani, to: kandahari, income_share: 0.2}\n"
                           "patrons:\n"
                           "  - id: zeta\n"
                           "    support: [{faction: kandahari, usd_per_year: 1}, "
                           "{faction: haqqani, usd_per_year: 2}]\n"
                           "  - id: alpha\n"
                           "    threat: {feared: [kandahari, haqqani]}\n"
                           "coalition: {members: [zeta, alpha]}\n";
  // A channel whose id sorts first, listed last; the donor's shares given in another order.
  const std::string channels =
      replaced(text, "    ministry_exposure: 0.9\n",
               "    ministry_exposure: 0.9\n  - id: aaa_first\n    kind: national_ngo\n");
  const auto spec =
      load_scenario(dir.write("s.yaml", replaced(channels, "{un: 0.5, budget: 0.5}",
                                                 "{un: 0.7, aaa_first: 0.1, budget: 0.2}")));
  ASSERT_EQ(spec.channels.size(), 3u);
  EXPECT_EQ(spec.channels[0].id, "aaa_first");
  EXPECT_EQ(spec.channels[1].id, "budget");
  EXPECT_EQ(spec.channels[2].id, "un");
  EXPECT_EQ(spec.donors[0].channel_shares, (std::vector<double>{0.1, 0.2, 0.7}))
      << "a donor's shares follow its channels";
  EXPECT_EQ(spec.factions[0].id, "haqqani");
  ASSERT_EQ(spec.alliances.size(), 2u);
  EXPECT_EQ(spec.alliances[0].from, 0) << "edges sorted by payer: haqqani's first";
  EXPECT_DOUBLE_EQ(spec.alliances[0].income_share, 0.2);
  EXPECT_EQ(spec.patrons[0].id, "alpha");
  EXPECT_EQ(spec.patrons[1].support[0].faction, 0) << "support sorted by faction";
  EXPECT_DOUBLE_EQ(spec.patrons[1].support[0].usd_per_year, 2.0);
  EXPECT_EQ(spec.patrons[0].threat.feared, (std::vector<int>{0, 1}));
  EXPECT_EQ(spec.coalition.members, (std::vector<int>{0, 1}));
}

TEST(Loader, TheStatusQuoIsValid) {
  const auto spec = load_scenario(AIDFLOW_SOURCE_DIR "/scenarios/status_quo.yaml");
  EXPECT_EQ(spec.run.steps, 209);
  EXPECT_GE(spec.factions.size(), 6u);
  EXPECT_TRUE(spec.policy.humanitarian_only) << "UN and NGO channels only [UNSCR-2615]";
}

// Patrons and levers resolve their ids and convert yearly rates once, at load time.
TEST(Loader, PatronsAndLeversAreResolvedAndConverted) {
  const auto spec = load_scenario(AIDFLOW_SOURCE_DIR "/scenarios/status_quo.yaml",
                                  {.overrides = {"sanctions=[{target: edge, from: haqqani, to: "
                                                 "al_qaeda, evasion_per_year: 0.52}]",
                                                 "pakistan_pressure.enabled=true"}});
  ASSERT_GE(spec.patrons.size(), 2u);
  const auto& isi = by_id(spec.patrons, "pakistan_isi");
  EXPECT_EQ(isi.kind, model::PatronKind::State);
  ASSERT_EQ(isi.support.size(), 1u);
  EXPECT_EQ(spec.factions[static_cast<std::size_t>(isi.support[0].faction)].id, "haqqani");
  EXPECT_TRUE(spec.coalition.members.empty()) << "the status quo's coalition starts empty (S4)";
  ASSERT_EQ(spec.sanctions.size(), 1u);
  EXPECT_DOUBLE_EQ(spec.sanctions[0].evasion_per_step, 0.01);  // per year / 52
  EXPECT_DOUBLE_EQ(spec.sanctions[0].enforcement, 0.8) << "the documented default";
  EXPECT_EQ(spec.pakistan_pressure.patron, index_of(spec.patrons, "pakistan_isi"));
  EXPECT_EQ(spec.hostages.policy, model::HostagePolicy::Concessions);
  EXPECT_EQ(by_id(spec.factions, "haqqani").hostages.initial, 1) << "Frerichs, held at the start";
}

TEST(Loader, MisspeltKeySuggestsTheRightOne) {
  EXPECT_EQ(error_of(replaced(kValid, "    capture_rate:", "    captur_rate:")),
            "s.yaml:23:5: ministries[0].captur_rate: unknown key (did you mean \"capture_rate\"?)");
}

TEST(Loader, TruncatedKeyNamesTheRequiredOne) {
  const std::string message = error_of(replaced(kValid, "budget_usd_per_year:", "budget_usd:"));
  EXPECT_EQ(message,
            "s.yaml:30:5: donors[0].budget_usd_per_year: required key is missing: "
            "expected a number >= 0 and <= 1e+12 (is \"budget_usd\" a misspelling of "
            "\"budget_usd_per_year\"?)");
}

TEST(Loader, WrongTypeSaysWhatWasExpected) {
  EXPECT_EQ(error_of(replaced(kValid, "steps: 10", "steps: ten")),
            "s.yaml:3:10: run.steps: expected a whole number from 1 to 5200, got \"ten\"");
  EXPECT_EQ(error_of(replaced(kValid, "overhead: 0.08", "overhead: \"0.08\"")),
            "s.yaml:16:15: channels[0].overhead: expected a number >= 0 and <= 0.99, got "
            "\"0.08\" in quotes (write numbers without quotes)");
  EXPECT_EQ(error_of(replaced(kValid, "name: small", "name: [a, b]")),
            "s.yaml:1:7: name: expected a text value, got a list");
}

TEST(Loader, NegativeBudgetIsOutOfRange) {
  EXPECT_EQ(error_of(replaced(kValid, "1000000", "-5")),
            "s.yaml:30:26: donors[0].budget_usd_per_year: expected a number >= 0 and <= 1e+12, "
            "got -5");
}

TEST(Loader, NonFiniteNumbersAreRefused) {
  EXPECT_EQ(error_of(replaced(kValid, "overhead: 0.08", "overhead: .nan")),
            "s.yaml:16:15: channels[0].overhead: expected a finite number, got .nan");
  EXPECT_EQ(error_of(replaced(kValid, "1000000", "1e400")),
            "s.yaml:30:26: donors[0].budget_usd_per_year: expected a number >= 0 and <= 1e+12, "
            "got 1e400 (out of range)");
}

TEST(Loader, SharesMustSumToOne) {
  EXPECT_EQ(error_of(replaced(kValid, "{un: 0.5, budget: 0.5}", "{un: 0.5, budget: 0.4}")),
            "s.yaml:31:15: donors[0].channels: shares must sum to 1, but they sum to 0.900000");
}

TEST(Loader, UnknownReferencesAreNamedWithASuggestion) {
  EXPECT_EQ(error_of(replaced(kValid, "controlled_by: haqqani", "controlled_by: haqani")),
            "s.yaml:22:20: ministries[0].controlled_by: unknown faction \"haqani\" (did you mean "
            "\"haqqani\"?)");
  EXPECT_EQ(error_of(replaced(kValid, "{un: 0.5,", "{unicef: 0.5,")),
            "s.yaml:31:16: donors[0].channels.unicef: unknown channel \"unicef\"; known: un, "
            "budget");
}

TEST(Loader, DuplicateIdsAndKeysAreRefused) {
  EXPECT_EQ(error_of(replaced(kValid, "- id: kandahari", "- id: haqqani")),
            "s.yaml:11:9: factions[1].id: duplicate id \"haqqani\": ids must be unique in "
            "factions");
  EXPECT_EQ(error_of(replaced(kValid, "  steps: 10\n", "  steps: 10\n  steps: 11\n")),
            "s.yaml:4:3: run.steps: duplicate key (first given at line 3)");
}

TEST(Loader, SyntaxErrorsGiveLineAndColumn) {
  EXPECT_EQ(error_of("name: x\nrun: {steps: 3\n"),
            "s.yaml:3:1: not valid YAML: end of map flow not found");
}

TEST(Loader, EmptyAndNonMappingFilesAreRefused) {
  EXPECT_EQ(error_of(""),
            "s.yaml: the file is empty: expected a scenario mapping (name, "
            "factions, channels, ministries, sectors, donors)");
  EXPECT_EQ(error_of("- a\n- b\n"), "s.yaml:1:1: expected a mapping of keys to values, got a list");
}

TEST(Loader, ExtendsMergesListsOfEntriesByIdAndReplacesOtherLists) {
  TempDir dir;
  dir.write("base.yaml", kValid);
  const auto top = dir.write("top.yaml",
                             "extends: base.yaml\n"
                             "factions:\n  - id: kandahari\n    fighters: 1234\n"
                             "  - id: doha\n    influence: 0.1\n");
  const auto spec = load_scenario(top);
  ASSERT_EQ(spec.factions.size(), 3u) << "a new id is added";
  EXPECT_DOUBLE_EQ(by_id(spec.factions, "haqqani").influence, 0.3)
      << "an entry not named is untouched";
  EXPECT_DOUBLE_EQ(by_id(spec.factions, "kandahari").fighters, 1234);
  EXPECT_DOUBLE_EQ(by_id(spec.factions, "kandahari").influence, 0.4)
      << "the named entry keeps its other keys";
  EXPECT_DOUBLE_EQ(by_id(spec.factions, "doha").influence, 0.1);
}

TEST(Loader, OverridesPickListEntriesById) {
  TempDir dir;
  const auto spec = load_scenario(
      dir.write("s.yaml", kValid),
      {.overrides = {"factions[kandahari].fighters=77", "donors[usa].budget_usd_per_year=5"}});
  EXPECT_DOUBLE_EQ(by_id(spec.factions, "kandahari").fighters, 77);
  EXPECT_DOUBLE_EQ(by_id(spec.donors, "usa").budget_usd_per_year, 5);
  try {
    load_scenario(dir.path() / "s.yaml", {.overrides = {"factions[kandahri].fighters=1"}});
    ADD_FAILURE() << "an unknown id must be refused";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(),
                 "--set factions[kandahri].fighters=1: factions[kandahri]: no entry with id "
                 "\"kandahri\" (did you mean \"kandahari\"?)");
  }
}

TEST(Loader, ExtendsMergesMapsAndReportsTheRightFile) {
  TempDir dir;
  dir.write("base.yaml", kValid);
  const auto top = dir.write("top.yaml", "extends: base.yaml\nname: top\nrun:\n  steps: 3\n");
  const auto spec = load_scenario(top);
  EXPECT_EQ(spec.name, "top");
  EXPECT_EQ(spec.run.steps, 3);
  EXPECT_EQ(spec.run.households, 50) << "sibling keys of the base survive the merge";
  const auto bad = dir.write("bad.yaml", "extends: base.yaml\nrun:\n  stepz: 3\n");
  try {
    load_scenario(bad);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("bad.yaml:3:3: run.stepz: unknown key"), std::string::npos)
        << e.what();
  }
}

TEST(Loader, ExtendsCyclesAreRefused) {
  TempDir dir;
  dir.write("a.yaml", "extends: b.yaml\nname: a\n");
  dir.write("b.yaml", "extends: a.yaml\nname: b\n");
  try {
    load_scenario(dir.path() / "a.yaml");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("extends cycle: a.yaml -> b.yaml -> a.yaml"),
              std::string::npos)
        << e.what();
  }
}

TEST(Loader, TooFewHouseholdsForTheDistricts) {
  EXPECT_EQ(error_of(replaced(kValid, "households: 50", "households: 4")),
            "s.yaml:4:15: run.households: expected at least one household agent per district "
            "(5), got 4");
}

TEST(Loader, EffectiveScenarioTextIsRecorded) {
  TempDir dir;
  const auto spec = load_scenario(dir.write("s.yaml", kValid), {.overrides = {"run.steps=7"}});
  EXPECT_NE(spec.source_text.find("steps: 7"), std::string::npos) << spec.source_text;
  EXPECT_EQ(spec.run.steps, 7);
}

// "c7.yaml", built by appending: GCC 12 misreports "c" + std::to_string(i) under -Wrestrict.
std::string chain_file(std::size_t i) {
  std::string name = "c";
  name += std::to_string(i);
  name += ".yaml";
  return name;
}

TEST(Loader, AnExtendsChainLongerThanTheLimitIsRefusedAtItsLastKey) {
  TempDir dir;
  const std::size_t files = kMaxExtendsChain + 1;
  for (std::size_t i = 0; i + 1 < files; ++i) {
    dir.write(chain_file(i), "extends: " + chain_file(i + 1) + "\n");
  }
  dir.write(chain_file(files - 1), kValid);
  try {
    load_scenario(dir.path() / chain_file(0));
    FAIL() << "a chain of " << files << " files was read";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().to_string(), (dir.path() / chain_file(files - 2)).string() + ":1:1");
    EXPECT_EQ(e.message(),
              "the extends chain is longer than 32 files; a scenario needs one or two");
  }
}

TEST(Loader, TheFilesOfAnExtendsChainAreListed) {
  TempDir dir;
  const auto base = dir.write("base.yaml", kValid);
  const auto top = dir.write("top.yaml", "extends: ./base.yaml\nname: top\n");
  const auto loaded = load_scenario_and_files(top);
  EXPECT_EQ(loaded.files, (std::vector<std::filesystem::path>{std::filesystem::canonical(top),
                                                              std::filesystem::canonical(base)}));
}

TEST(Loader, LoneCarriageReturnsAreRefusedWhereTheFirstIs) {
  EXPECT_EQ(error_of("# comment\rname: x\r"),
            "s.yaml:1:10: a line ends in a lone carriage return (CR, old Mac line endings); save "
            "the file with LF or CRLF line endings");
  TempDir dir;
  std::string crlf;
  for (const char c : std::string(kValid)) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  EXPECT_EQ(load_scenario(dir.write("crlf.yaml", crlf)).name, "small") << "CRLF is fine";
}

TEST(Loader, UnderflowReadsAsZeroAndOverflowIsOutOfRange) {
  TempDir dir;
  const auto spec = load_scenario(dir.write("s.yaml", replaced(kValid, "0.08", "1e-400")));
  EXPECT_EQ(spec.channels[0].overhead, 0.0);
  EXPECT_EQ(error_of(replaced(kValid, "0.08", "1e400")),
            "s.yaml:16:15: channels[0].overhead: expected a number >= 0 and <= 0.99, got 1e400 "
            "(out of range)");
}

TEST(Messages, ExcerptCutsLongValuesOnACharacterBoundary) {
  EXPECT_EQ(excerpt("short"), "short");
  EXPECT_EQ(excerpt(std::string(500000, '1')), std::string(40, '1') + "...");
  // 39 ASCII bytes then a two-byte character: cutting at 40 would split it.
  EXPECT_EQ(excerpt(std::string(39, 'a') + "\u00e9" + "tail"), std::string(39, 'a') + "...");
}

TEST(Messages, PrintableEscapesControlCharactersAndCutsHugeText) {
  EXPECT_EQ(printable("a\nb\tc\rd"), "a\\nb\\tc\\rd");
  EXPECT_EQ(printable("\x1b[31mred\x7f"), "\\x1b[31mred\\x7f");
  EXPECT_EQ(printable("\u009b31m \u00e9"), "\\u009b31m \u00e9") << "C1 escaped, other UTF-8 kept";
  const std::string cut = printable(std::string(100000, 'x'));
  EXPECT_EQ(cut, std::string(kMaxMessageBytes, 'x') + "... (message cut)");
}

}  // namespace
}  // namespace aidflow::scenario
