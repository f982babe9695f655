#include "output/run_writer.hpp"

#include <gtest/gtest.h>
#include <hdf5.h>
#include <sys/wait.h>
#include <unistd.h>

#include <climits>

#include "hdf5_read.hpp"
#include "output/hdf5_file.hpp"
#include "temp_dir.hpp"

namespace aidflow::output {
namespace {

using engine::SeriesSpec;
using engine::ValueType;
using testing::TempDir;

std::vector<engine::Dimension> dims() {
  return {{"who", {"a", "b"}}};
}
std::vector<SeriesSpec> series() {
  return {{"", "count", {"who"}, ValueType::Int64, "1", "a count"},
          {"grp", "level", {}, ValueType::Float64, "1", "a level"}};
}

void append_steps(RunWriter& writer, int steps) {
  for (int s = 0; s < steps; ++s) {
    writer.append(0, std::vector<std::int64_t>{s, 10 * s});
    writer.append(1, std::vector<double>{0.5 * s});
  }
}

std::vector<std::int64_t> read_counts(const std::filesystem::path& file) {
  return testing::read_int64(file, "count");
}

TEST(RunWriter, FileAppearsOnlyOnCommitWithEveryStep) {
  TempDir dir;
  const auto out = dir.path() / "run.h5";
  {
    RunWriter writer(out, dims(), series(), {.scenario_name = "t", .steps = 7}, {.chunk_steps = 3});
    append_steps(writer, 7);
    EXPECT_FALSE(std::filesystem::exists(out)) << "nothing at the destination before commit";
    EXPECT_TRUE(std::filesystem::exists(writer.temporary_path()));
    writer.commit({});
    EXPECT_FALSE(std::filesystem::exists(writer.temporary_path()));
  }
  ASSERT_TRUE(std::filesystem::exists(out));
  const auto counts = read_counts(out);
  ASSERT_EQ(counts.size(), 14u) << "7 steps x 2 labels, across a partial last chunk";
  EXPECT_EQ(counts[12], 6);
  EXPECT_EQ(counts[13], 60);
}

TEST(RunWriter, ARowThatDoesNotFitItsDimensionsIsRefused) {
  TempDir dir;
  RunWriter writer(dir.path() / "run.h5", dims(), series(), {.scenario_name = "t", .steps = 1});
  EXPECT_THROW(writer.append(0, std::vector<std::int64_t>{1, 2, 3}), std::logic_error);
  EXPECT_THROW(writer.append(1, std::vector<double>{}), std::logic_error);
  EXPECT_THROW(writer.commit({{{"summary", "total", {"who"}, ValueType::Int64, "1", "t"},
                               std::vector<std::int64_t>{1}}}),
               std::logic_error);
}

TEST(RunWriter, AnAbandonedRunLeavesNothing) {
  TempDir dir;
  const auto out = dir.path() / "run.h5";
  std::filesystem::path temporary;
  {
    RunWriter writer(out, dims(), series(), {.scenario_name = "t"});
    append_steps(writer, 5);
    temporary = writer.temporary_path();
  }
  EXPECT_FALSE(std::filesystem::exists(out));
  EXPECT_FALSE(std::filesystem::exists(temporary));
}

TEST(RunWriter, DoesNotReplaceAFileThatAppearedDuringTheRun) {
  TempDir dir;
  const auto out = dir.write("run.h5", "someone else's file");
  RunWriter writer(out, dims(), series(), {.scenario_name = "t"});
  append_steps(writer, 2);
  EXPECT_THROW(writer.commit({}), OutputPathError);
  std::ifstream in(out);
  std::string text;
  std::getline(in, text);
  EXPECT_EQ(text, "someone else's file");
}

TEST(RunWriter, AMissingDirectoryIsReportedBeforeTheRun) {
  try {
    RunWriter writer("/nonexistent-dir/run.h5", dims(), series(), {.scenario_name = "t"});
    FAIL() << "creating a file in a missing directory must fail";
  } catch (const h5::OutputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("/nonexistent-dir/"), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << "one line, not a stack dump: " << message;
  }
}

// A sweep's run lets its file be created while it steps: a destination that cannot be created is
// then reported by commit (the same one-line OutputError), never a file that looks finished.
TEST(RunWriter, AFileCreatedWhileTheRunStepsReportsItsFailureByCommit) {
  try {
    RunWriter writer("/nonexistent-dir/run.h5", dims(), series(),
                     {.scenario_name = "t", .steps = 4},
                     {.chunk_steps = 2, .open_before_steps = false});
    append_steps(writer, 4);
    writer.commit({});
    FAIL() << "creating a file in a missing directory must fail";
  } catch (const h5::OutputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("/nonexistent-dir/"), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
  EXPECT_FALSE(std::filesystem::exists("/nonexistent-dir/run.h5"));
}

TEST(RunWriter, AFileCreatedWhileTheRunStepsHoldsEveryStep) {
  TempDir dir;
  const auto out = dir.path() / "run.h5";
  {
    RunWriter writer(out, dims(), series(), {.scenario_name = "t", .steps = 7},
                     {.chunk_steps = 3, .open_before_steps = false});
    append_steps(writer, 7);
    writer.commit({});
  }
  const auto counts = read_counts(out);
  ASSERT_EQ(counts.size(), 14u);
  EXPECT_EQ(counts[13], 60);
}

// Root may write anywhere, so the check runs in a child process that gives up root for "nobody"
// (uid 65534) first; without root the directory's mode alone makes it unwritable.
TEST(RunWriter, AnUnwritableDirectoryIsReportedBeforeTheRun) {
  TempDir dir;
  const auto locked = dir.path() / "locked";
  std::filesystem::create_directory(locked);
  std::filesystem::permissions(
      locked, std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec |
                  std::filesystem::perms::others_read | std::filesystem::perms::others_exec);
  std::filesystem::permissions(dir.path(), std::filesystem::perms::others_exec,
                               std::filesystem::perm_options::add);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(3);
    try {
      RunWriter writer(locked / "run.h5", dims(), series(), {.scenario_name = "t"});
    } catch (const h5::OutputError& e) {
      const std::string message = e.what();
      const bool named = message.find(locked.string()) != std::string::npos;
      ::_exit(named && message.find('\n') == std::string::npos ? 0 : 2);
    }
    ::_exit(1);  // the file was created
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_NE(WEXITSTATUS(status), 3) << "could not give up root in the child";
  EXPECT_NE(WEXITSTATUS(status), 1) << "a file was created in a directory without write access";
  EXPECT_EQ(WEXITSTATUS(status), 0) << "the error does not name the directory on one line";
}

TEST(RunWriter, StaleTemporariesOfTheSameOutputFromDeadRunsAreRemoved) {
  TempDir dir;
  const auto out = dir.path() / std::string(250, 'o');  // a long name: the hashed stem
  const std::string stem = temporary_path_for(out).filename().string();
  const std::string prefix = stem.substr(0, stem.rfind('-') + 1);
  const pid_t dead = ::fork();
  if (dead == 0) ::_exit(0);
  ::waitpid(dead, nullptr, 0);
  const auto stale = dir.write(prefix + std::to_string(dead), "half a file");
  const auto alive = dir.write(prefix + "1", "init's, say: still running");
  const auto other = dir.write(".other.partial-" + std::to_string(dead), "another output");
  { RunWriter writer(out, dims(), series(), {.scenario_name = "t"}); }
  EXPECT_FALSE(std::filesystem::exists(stale));
  EXPECT_TRUE(std::filesystem::exists(alive));
  EXPECT_TRUE(std::filesystem::exists(other));
}

}  // namespace
}  // namespace aidflow::output
