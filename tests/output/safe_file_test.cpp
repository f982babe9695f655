// The one way files are written (io/safe_file.hpp): temporary names that always fit, nothing left
// behind by a failed write, an existing file kept without replace, never a rename over a device
// or pipe, the checks on an output's name.
#include "output/safe_file.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <climits>
#include <csignal>
#include <fstream>

#include "output/run_record.hpp"
#include "temp_dir.hpp"

namespace aidflow::output {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

std::vector<std::string> entries(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  return names;
}

std::string text_of(const fs::path& file) {
  std::ifstream in(file);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(SafeFile, TheTemporaryNameFitsForEveryLegalOutputName) {
  for (std::size_t length = 1; length <= NAME_MAX; ++length) {
    const fs::path output = "/results/" + std::string(length, 'r');
    const std::string temporary = temporary_path_for(output).filename().string();
    EXPECT_LE(temporary.size(), static_cast<std::size_t>(NAME_MAX)) << length << " bytes";
    EXPECT_TRUE(temporary.starts_with(".r")) << temporary;
  }
  // Long names that share their first 240 bytes still get different temporary names.
  const std::string prefix(240, 'p');
  EXPECT_NE(temporary_path_for(prefix + "a.h5"), temporary_path_for(prefix + "b.h5"));
}

// A full disk simulated by the file size limit (writes fail with EFBIG, SIGXFSZ ignored), in a
// child process so the limit does not outlive the test. A record that could not be written used
// to leave its 0-byte temporary file behind.
TEST(SafeFile, ARecordThatCannotBeWrittenLeavesNoTemporaryFile) {
  TempDir dir;
  const fs::path record = dir.path() / "run-000001.json";
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    std::signal(SIGXFSZ, SIG_IGN);
    const rlimit none{0, RLIM_INFINITY};
    if (::setrlimit(RLIMIT_FSIZE, &none) != 0) ::_exit(3);
    try {
      write_record(record, RunRecord{.label = "x", .status = kFailed}, true);
    } catch (const OutputError&) {
      ::_exit(0);
    }
    ::_exit(1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "the write did not fail with an OutputError";
  EXPECT_EQ(entries(dir.path()), std::vector<std::string>{});
}

TEST(SafeFile, AnExistingFileIsKeptWithoutReplaceAndReplacedWithIt) {
  TempDir dir;
  const fs::path file = dir.write("sweep.yaml", "first");
  EXPECT_FALSE(write_file_safely(file, "second", false));
  EXPECT_EQ(text_of(file), "first");
  EXPECT_EQ(entries(dir.path()), std::vector<std::string>{"sweep.yaml"});
  EXPECT_TRUE(write_file_safely(file, "third", true));
  EXPECT_EQ(text_of(file), "third");
  EXPECT_EQ(entries(dir.path()), std::vector<std::string>{"sweep.yaml"});
}

TEST(SafeFile, NeverRenamesOverAPipeOrALinkToOne) {
  TempDir dir;
  const fs::path fifo = dir.path() / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const fs::path link = dir.path() / "link";
  fs::create_symlink(fifo, link);
  for (const fs::path& output : {fifo, link}) {
    EXPECT_THROW(check_output(output, {.replace = true}), OutputPathError) << output;
    EXPECT_THROW(write_file_safely(output, "text", true), OutputPathError) << output;
    EXPECT_FALSE(fs::is_regular_file(fs::symlink_status(output))) << output;
  }
  EXPECT_EQ(entries(dir.path()), (std::vector<std::string>{"fifo", "link"}));
}

TEST(SafeFile, AnOutputIsNeverAnotherOutputOfTheSameRun) {
  TempDir dir;
  const fs::path result = dir.path() / "x.h5";
  try {
    check_output(dir.path() / "." / "x.h5", {.others = {result}, .what = "summary file"});
    FAIL() << "two outputs of one run may not be the same file";
  } catch (const OutputPathError& e) {
    EXPECT_EQ(std::string(e.what()), "summary file " + (dir.path() / "." / "x.h5").string() +
                                         " is the same file as another output of this run (" +
                                         result.string() + "); give each output a name of its own");
  }
  EXPECT_NO_THROW(check_output(dir.path() / "x.json", {.others = {result}}));
}

TEST(SafeFile, StaleTemporariesOfDeadWritersAreRemovedFromADirectory) {
  TempDir dir;
  const pid_t dead = ::fork();
  if (dead == 0) ::_exit(0);
  ::waitpid(dead, nullptr, 0);
  const std::string gone = ".partial-" + std::to_string(dead);
  dir.write(".run-000001.h5" + gone, "half a file");
  dir.write(".run-000002.json" + gone, "");
  dir.write(".run-000003.h5.partial-1", "init's, say: still running");
  dir.write("run-000004.h5" + gone, "not a temporary name: no leading dot");
  remove_stale_temporaries_in(dir.path());
  EXPECT_EQ(entries(dir.path()),
            (std::vector<std::string>{".run-000003.h5.partial-1", "run-000004.h5" + gone}));
}

}  // namespace
}  // namespace aidflow::output
