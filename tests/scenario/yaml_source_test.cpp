// Parsing YAML into located source trees (yaml_source) and editing them (source_tree): every node
// keeps its file, line and column through `extends` merges; limits on size, depth and chains.
#include "scenario/yaml_source.hpp"

#include <gtest/gtest.h>

#include "scenario/input_error.hpp"
#include "scenario/source_tree.hpp"
#include "temp_dir.hpp"

namespace aidflow::scenario {
namespace {

using testing::TempDir;

TEST(YamlSource, NodesKeepTheirLineAndColumn) {
  const SourceNode root = parse_yaml("name: x\nrun:\n  steps: 3\n", "t.yaml");
  ASSERT_EQ(root.kind, SourceNode::Kind::Map);
  const SourceNode* steps = root.find("run")->find("steps");
  ASSERT_NE(steps, nullptr);
  EXPECT_EQ(steps->scalar, "3");
  EXPECT_EQ(steps->where.line, 3);
  EXPECT_EQ(steps->where.column, 10);
  EXPECT_EQ(*steps->where.file, "t.yaml");
}

TEST(YamlSource, QuotedScalarsAreMarked) {
  const SourceNode root = parse_yaml("a: \"12\"\nb: 12\n", "t.yaml");
  EXPECT_TRUE(root.find("a")->quoted);
  EXPECT_FALSE(root.find("b")->quoted);
}

TEST(YamlSource, NestingDeeperThanTheLimitIsRefused) {
  std::string deep;
  for (int i = 0; i <= kMaxNestingDepth; ++i) deep += "[";
  for (int i = 0; i <= kMaxNestingDepth; ++i) deep += "]";
  EXPECT_THROW(parse_yaml("a: " + deep + "\n", "t.yaml"), InputError);
  std::string shallow = "[[[1]]]";
  EXPECT_NO_THROW(parse_yaml("a: " + shallow + "\n", "t.yaml"));
}

TEST(YamlSource, AFileOverTheSizeLimitIsRefusedBeforeParsing) {
  TempDir dir;
  const auto file = dir.write("big.yaml", "# " + std::string(kMaxScenarioBytes, 'x') + "\n");
  try {
    load_yaml_file(file);
    ADD_FAILURE() << "a file over the limit was read";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("a scenario file may be at most"), std::string::npos)
        << e.what();
  }
}

TEST(YamlSource, ExtendsMergesTheChainAndListsItsFiles) {
  TempDir dir;
  dir.write("base.yaml", "name: base\nrun:\n  steps: 3\n  seed: 1\n");
  const auto child = dir.write("child.yaml", "extends: base.yaml\nrun:\n  seed: 9\n");
  const LoadedTree tree = load_yaml_file(child);
  EXPECT_EQ(tree.root.find("name")->scalar, "base");
  EXPECT_EQ(tree.root.find("run")->find("steps")->scalar, "3");
  EXPECT_EQ(tree.root.find("run")->find("seed")->scalar, "9");
  EXPECT_EQ(*tree.root.find("run")->find("seed")->where.file, child.string());
  ASSERT_EQ(tree.files.size(), 2u);
  EXPECT_EQ(tree.files[1].filename(), "base.yaml");
  EXPECT_EQ(tree.root.find("extends"), nullptr) << "extends is resolved, not kept";
}

TEST(SourceTree, MergeIntoMergesEntriesByIdAndReplacesOtherLists) {
  SourceNode base = parse_yaml("l: [{id: a, x: 1}, {id: b, x: 2}]\nm: [1, 2]\n", "base.yaml");
  const SourceNode top = parse_yaml("l: [{id: b, x: 5}, {id: c, x: 6}]\nm: [3]\n", "top.yaml");
  merge_into(base, top);
  const SourceNode& l = *base.find("l");
  ASSERT_EQ(l.children.size(), 3u);
  EXPECT_EQ(l.children[0].find("x")->scalar, "1");
  EXPECT_EQ(l.children[1].find("x")->scalar, "5");
  EXPECT_EQ(l.children[2].find("id")->scalar, "c");
  ASSERT_EQ(base.find("m")->children.size(), 1u);
  EXPECT_EQ(base.find("m")->children[0].scalar, "3");
}

TEST(SourceTree, ToYamlReadsBackAsTheSameTree) {
  const SourceNode root = parse_yaml("a: 1\nb: {c: \"x y\", d: [1, 2]}\n", "t.yaml");
  const SourceNode again = parse_yaml(to_yaml(root), "again.yaml");
  EXPECT_EQ(to_yaml(again), to_yaml(root));
  EXPECT_EQ(again.find("b")->find("c")->scalar, "x y");
  EXPECT_EQ(child_path("donors", "budget"), "donors.budget");
  EXPECT_EQ(item_path("donors", 2), "donors[2]");
  EXPECT_EQ(child_path("", "run"), "run");
}

}  // namespace
}  // namespace aidflow::scenario
