// libFuzzer target for the code that touches the file system, where the second adversarial pass
// found a stack overflow (a 20,000-file `extends` chain), raw library errors (symlink loops,
// names over NAME_MAX) and temporary names that could not be created. The input is split at NUL
// bytes: the first piece is an output file name, each further piece becomes f0.yaml, f1.yaml, ...
// in a fresh directory ("->NAME" makes it a symbolic link to NAME there instead). f0.yaml is then
// loaded and the output name checked. Every answer must be a scenario, an InputError or an
// OutputPathError, and a temporary name must always fit in NAME_MAX bytes.
#include <unistd.h>

#include <climits>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "output/safe_file.hpp"
#include "scenario/input_error.hpp"
#include "scenario/scenario_loader.hpp"

namespace {

namespace fs = std::filesystem;

const fs::path& work_directory() {
  static const fs::path dir = [] {
    std::string pattern = (fs::temp_directory_path() / "aidflow-paths-fuzz-XXXXXX").string();
    return fs::path(::mkdtemp(pattern.data()));
  }();
  return dir;
}

std::vector<std::string> pieces(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> out(1);
  for (std::size_t i = 0; i < size && out.size() <= 64; ++i) {
    if (data[i] == 0)
      out.emplace_back();
    else
      out.back() += static_cast<char>(data[i]);
  }
  return out;
}

std::string file_name(std::size_t i) {
  std::string name = "f";
  name += std::to_string(i);
  name += ".yaml";
  return name;
}

// Links stay inside the directory: the target is a bare name (loops, dangling links, links to
// the directory itself), never an absolute path to some device or /proc file.
void write_piece(const fs::path& dir, std::size_t i, const std::string& text) {
  std::error_code ec;
  const fs::path file = dir / file_name(i);
  if (text.starts_with("->") && text.find('/') == std::string::npos && text.size() > 2) {
    fs::create_symlink(text.substr(2), file, ec);
  } else {
    std::ofstream(file, std::ios::binary) << text;
  }
}

void check_output_name(const fs::path& dir, const std::string& name,
                       const std::vector<fs::path>& inputs) {
  if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..") return;
  const fs::path output = dir / name;
  if (aidflow::output::temporary_path_for(output).filename().string().size() > NAME_MAX) {
    __builtin_trap();  // a legal output name whose temporary file could never be created
  }
  try {
    aidflow::output::check_output(output, {.inputs = inputs});
  } catch (const aidflow::output::OutputPathError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const fs::path& dir = work_directory();
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) fs::remove_all(entry.path(), ec);
  const std::vector<std::string> parts = pieces(data, size);
  for (std::size_t i = 1; i < parts.size(); ++i) write_piece(dir, i - 1, parts[i]);
  std::vector<fs::path> inputs;
  try {
    inputs = aidflow::scenario::load_scenario_and_files(dir / file_name(0)).files;
  } catch (const aidflow::scenario::InputError&) {
  }
  check_output_name(dir, parts[0], inputs);
  return 0;
}
