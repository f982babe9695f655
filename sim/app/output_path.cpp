#include "app/output_path.hpp"

#include <unistd.h>

#include <string>

namespace aidflow::app {
namespace {

namespace fs = std::filesystem;

// Refuses an output that is one of the run's own inputs, even with --force: replacing the
// scenario with HDF5 destroys the only description of what ran.
void check_not_an_input(const fs::path& output, const std::vector<fs::path>& inputs) {
  for (const fs::path& input : inputs) {
    std::error_code ec;
    if (fs::equivalent(output, input, ec)) {
      throw OutputPathError("output " + output.string() + " is one of the run's input files (" +
                            input.string() + "); write the result to another file");
    }
  }
}

// The nearest ancestor that exists tells a missing directory (mkdir -p helps) from a file in
// the way (it does not).
void check_parent_directory(const fs::path& parent) {
  std::error_code ec;
  if (fs::is_directory(parent, ec)) return;
  fs::path existing = parent;
  while (fs::status(existing, ec).type() == fs::file_type::not_found &&
         existing.has_parent_path()) {
    existing = existing.parent_path();
  }
  const fs::file_type type = fs::status(existing, ec).type();
  if (type != fs::file_type::not_found && type != fs::file_type::directory) {
    throw OutputPathError("output directory " + parent.string() + " cannot be created: " +
                          existing.string() + " is a file, not a directory");
  }
  throw OutputPathError("output directory " + parent.string() +
                        " does not exist; create it first (mkdir -p " + parent.string() + ")");
}

}  // namespace

void check_output_path(const fs::path& output, bool force, std::uintmax_t expected_bytes,
                       const std::vector<fs::path>& inputs) {
  const std::string shown = output.string();
  if (output.empty() || output.filename().empty()) {
    throw OutputPathError("output: expected a file name, got \"" + shown + "\"");
  }
  std::error_code ec;
  if (fs::is_directory(output, ec)) {
    throw OutputPathError("output " + shown + " is a directory; give a file name such as " +
                          (output / "run.h5").string());
  }
  check_not_an_input(output, inputs);
  // symlink_status: a dangling symbolic link is an existing entry that the final rename would
  // refuse to replace without --force (exists() follows the link and says no).
  if (fs::exists(fs::symlink_status(output, ec)) && !force) {
    throw OutputPathError("output " + shown +
                          " already exists; choose another name or add --force to replace it");
  }
  const fs::path parent = output.has_parent_path() ? output.parent_path() : fs::path(".");
  check_parent_directory(parent);
  if (::access(parent.c_str(), W_OK | X_OK) != 0) {
    throw OutputPathError("output directory " + parent.string() + " is not writable");
  }
  const fs::space_info space = fs::space(parent, ec);
  if (!ec && space.available < expected_bytes) {
    throw OutputPathError("output directory " + parent.string() + " has " +
                          std::to_string(space.available >> 20) +
                          " MiB free; this run needs "
                          "about " +
                          std::to_string((expected_bytes >> 20) + 1) + " MiB");
  }
}

}  // namespace aidflow::app
