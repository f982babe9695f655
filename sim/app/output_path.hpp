#pragma once
// Checks on the output path that can be made before a run starts, so a long run does not end in
// "cannot write": an existing file without --force, a missing parent directory, a directory that
// cannot be written, too little free space.
#include <filesystem>

namespace aidflow::app {

// Thrown for a problem with the output path that the user can fix: exit code 2.
class OutputPathError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// `expected_bytes` is a rough size of the result; free space below it is refused.
void check_output_path(const std::filesystem::path& output, bool force,
                       std::uintmax_t expected_bytes);

}  // namespace aidflow::app
