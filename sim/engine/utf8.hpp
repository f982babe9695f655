#pragma once
// UTF-8 text checks, for every place text from outside meets a place that holds only UTF-8: a
// scenario file (refused if it is not UTF-8), a --label (refused), a path or command line bound
// for a UTF-8 attribute or a JSON string (invalid bytes replaced).
#include <cstddef>
#include <string>

namespace aidflow::engine {

// Length of the UTF-8 sequence starting at text[i], or 0 if it is not valid UTF-8.
std::size_t utf8_sequence(const std::string& text, std::size_t i);

// Where `text` stops being valid UTF-8 (a byte offset), or npos if it is valid throughout.
std::size_t invalid_utf8_at(const std::string& text);

// `text` with each byte that is not part of valid UTF-8 replaced by U+FFFD.
std::string as_utf8(const std::string& text);

}  // namespace aidflow::engine
