#include "app/output_path.hpp"

#include <unistd.h>

#include <string>

namespace aidflow::app {

void check_output_path(const std::filesystem::path& output, bool force,
                       std::uintmax_t expected_bytes) {
  namespace fs = std::filesystem;
  const std::string shown = output.string();
  if (output.empty() || output.filename().empty()) {
    throw OutputPathError("output: expected a file name, got \"" + shown + "\"");
  }
  std::error_code ec;
  if (fs::is_directory(output, ec)) {
    throw OutputPathError("output " + shown + " is a directory; give a file name such as " +
                          (output / "run.h5").string());
  }
  if (fs::exists(output, ec) && !force) {
    throw OutputPathError("output " + shown +
                          " already exists; choose another name or add --force to replace it");
  }
  const fs::path parent = output.has_parent_path() ? output.parent_path() : fs::path(".");
  if (!fs::is_directory(parent, ec)) {
    throw OutputPathError("output directory " + parent.string() +
                          " does not exist; create it first (mkdir -p " + parent.string() + ")");
  }
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
