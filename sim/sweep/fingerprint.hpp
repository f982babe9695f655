#pragma once
// Fingerprints: 64-bit hashes, written as 16 hex digits, that tell whether a file or a run's
// settings changed since a sweep began (a resume, a shard, a merge) and whether a run file is
// still the one its record describes. They catch edits, copies and damage, not forgery: this is
// not a cryptographic hash.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sweep/spec.hpp"

namespace aidflow::sweep {

class Fingerprint {
 public:
  void add(std::string_view bytes);
  std::string hex() const;      // of everything added so far
  std::uint64_t value() const;  // the same, as a number

 private:
  std::uint64_t state_ = 0x6a09e667f3bcc909ull;
  std::uint64_t length_ = 0;
  std::uint64_t pending_ = 0;  // bytes of a word not yet complete
  unsigned pending_bytes_ = 0;
};

std::string fingerprint_of(std::string_view bytes);

// Of a file's bytes; nothing if it cannot be read.
std::optional<std::string> fingerprint_of_file(const std::filesystem::path& file);

// Of a sweep's inputs, in order: their roles and fingerprints, not their paths (a resume may name
// the same files from another directory).
std::string inputs_fingerprint(const std::vector<InputFile>& inputs);

}  // namespace aidflow::sweep
