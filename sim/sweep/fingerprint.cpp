#include "sweep/fingerprint.hpp"

#include <bit>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <vector>

namespace aidflow::sweep {
namespace {

constexpr std::uint64_t kMultiplier1 = 0x9e3779b97f4a7c15ull;
constexpr std::uint64_t kMultiplier2 = 0xc2b2ae3d27d4eb4full;

// One word into the state: multiply, rotate, multiply, so every input bit reaches many state bits.
std::uint64_t mix(std::uint64_t state, std::uint64_t word) {
  return std::rotl(state ^ (word * kMultiplier1), 31) * kMultiplier2;
}

// SplitMix64's finaliser: each output bit depends on every bit of the state.
std::uint64_t finalise(std::uint64_t x) {
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

}  // namespace

void Fingerprint::add(std::string_view bytes) {
  length_ += bytes.size();
  const auto take = [this](char c) {
    pending_ |= static_cast<std::uint64_t>(static_cast<unsigned char>(c)) << (8 * pending_bytes_);
    if (++pending_bytes_ == 8) {
      state_ = mix(state_, pending_);
      pending_ = 0;
      pending_bytes_ = 0;
    }
  };
  std::size_t i = 0;
  while (i < bytes.size() && pending_bytes_ != 0) take(bytes[i++]);
  // Whole words at once: the same value as byte by byte (first byte lowest) on any machine.
  for (; i + 8 <= bytes.size(); i += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, bytes.data() + i, 8);
    if constexpr (std::endian::native == std::endian::big) word = __builtin_bswap64(word);
    state_ = mix(state_, word);
  }
  while (i < bytes.size()) take(bytes[i++]);
}

std::uint64_t Fingerprint::value() const {
  return finalise(mix(mix(state_, pending_), length_));
}

std::string Fingerprint::hex() const {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value()));
  return text;
}

std::string fingerprint_of(std::string_view bytes) {
  Fingerprint f;
  f.add(bytes);
  return f.hex();
}

std::optional<std::string> fingerprint_of_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  Fingerprint f;
  std::vector<char> buffer(1 << 20);
  while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0) {
    f.add(std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount())));
  }
  if (in.bad()) return std::nullopt;
  return f.hex();
}

std::string inputs_fingerprint(const std::vector<InputFile>& inputs) {
  Fingerprint f;
  for (const InputFile& input : inputs) {
    f.add(input.role);
    f.add(" ");
    f.add(input.fingerprint);
    f.add("\n");
  }
  return f.hex();
}

}  // namespace aidflow::sweep
