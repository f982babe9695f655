#pragma once
// Checks on the output path that can be made before a run starts, so a long run does not end in
// "cannot write": an existing file (or dangling link) without --force, one of the run's own input
// files, a missing parent directory or a file in its place, a directory that cannot be written,
// too little free space.
#include <filesystem>
#include <stdexcept>
#include <vector>

namespace aidflow::app {

// Thrown for a problem with the output path that the user can fix: exit code 2.
class OutputPathError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// `expected_bytes` is a rough size of the result; free space below it is refused. `inputs` are
// the files the run reads (the scenario and what it extends): the output may not be one of them.
void check_output_path(const std::filesystem::path& output, bool force,
                       std::uintmax_t expected_bytes,
                       const std::vector<std::filesystem::path>& inputs = {});

}  // namespace aidflow::app
