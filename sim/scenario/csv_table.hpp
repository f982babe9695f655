#pragma once
// A CSV file read whole, every cell with the line and column it came from, so that a table's
// reader can refuse a bad cell with a located InputError (FILE:LINE:COL: column: what). The
// dialect of data/: UTF-8, a header row, commas, fields in double quotes where they hold commas,
// quotes or line breaks ("" inside quotes is one quote), LF or CRLF line endings.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "scenario/input_error.hpp"

namespace aidflow::scenario {

// Tables larger than this are refused before parsing (data/'s largest CSV is under 100 KB).
inline constexpr std::uintmax_t kMaxTableBytes = 16u << 20;

// The text of a data file a scenario names (a table, the outlines), refused with a located error
// at the scenario key `key` (at `from`) when it is missing, not a regular file or too large.
std::string read_data_file(const std::filesystem::path& file, const std::string& shown,
                           const SourceLocation& from, const std::string& key);

struct CsvCell {
  std::string text;
  int line = 0, column = 0;  // 1-based; the column counts characters, not bytes
};

class CsvTable {
 public:
  // Reads `file`, named `shown` in messages. Throws InputError when it cannot be read (located
  // at `from`, the scenario key `key` that named it), is not text, or is not rectangular (every
  // row as many cells as the header).
  static CsvTable read(const std::filesystem::path& file, const std::string& shown,
                       const SourceLocation& from = {}, const std::string& key = "");
  // The same from text in memory.
  static CsvTable parse(const std::string& text, const std::string& shown);

  const std::string& file() const { return *file_; }
  std::size_t rows() const { return rows_.size(); }  // not counting the header
  // The index of the column named `name`; a located error at the header if there is none.
  std::size_t column(const std::string& name) const;
  const CsvCell& cell(std::size_t row, std::size_t column) const { return rows_[row][column]; }

  // Typed cells: errors name the cell's place and its column.
  const std::string& text(std::size_t row, std::size_t column) const;
  double number(std::size_t row, std::size_t column) const;
  // A whole number >= 0 written without a fraction or exponent (people are counted whole).
  std::int64_t count(std::size_t row, std::size_t column) const;
  std::chrono::sys_days date(std::size_t row, std::size_t column) const;

  SourceLocation where(std::size_t row, std::size_t column) const;
  SourceLocation where_header(std::size_t column) const;
  [[noreturn]] void fail(std::size_t row, std::size_t column, const std::string& message) const;

 private:
  std::shared_ptr<const std::string> file_;
  std::vector<CsvCell> header_;
  std::vector<std::vector<CsvCell>> rows_;
};

}  // namespace aidflow::scenario
