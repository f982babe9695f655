#include "scenario/csv_table.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include "scenario/sections.hpp"
#include "scenario/yaml_source.hpp"

namespace aidflow::scenario {
namespace {

namespace fs = std::filesystem;

bool is_continuation_byte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// Splits CSV text into rows of cells, tracking where each cell starts.
class Parser {
 public:
  Parser(const std::string& text, std::shared_ptr<const std::string> file)
      : text_(text), file_(std::move(file)) {}

  std::vector<std::vector<CsvCell>> rows() {
    std::vector<std::vector<CsvCell>> out;
    while (i_ < text_.size()) {
      std::vector<CsvCell> row;
      for (;;) {
        row.push_back(cell());
        if (i_ < text_.size() && text_[i_] == ',') {
          advance();
          continue;
        }
        break;
      }
      end_of_line();
      out.push_back(std::move(row));
    }
    return out;
  }

 private:
  CsvCell cell() {
    CsvCell c{"", line_, column_};
    if (i_ < text_.size() && text_[i_] == '"') return quoted(c);
    while (i_ < text_.size() && text_[i_] != ',' && text_[i_] != '\n' && text_[i_] != '\r') {
      if (text_[i_] == '"') {
        throw InputError(here(), "", "a quote inside an unquoted cell; quote the whole cell");
      }
      c.text += text_[i_];
      advance();
    }
    return c;
  }

  CsvCell quoted(CsvCell c) {
    const SourceLocation opened = here();
    advance();
    for (;;) {
      if (i_ >= text_.size()) throw InputError(opened, "", "a quoted cell is never closed");
      if (text_[i_] == '"') {
        advance();
        if (i_ < text_.size() && text_[i_] == '"') {
          c.text += '"';
          advance();
          continue;
        }
        break;
      }
      c.text += text_[i_];
      advance();
    }
    if (i_ < text_.size() && text_[i_] != ',' && text_[i_] != '\n' && text_[i_] != '\r') {
      throw InputError(here(), "", "expected a comma or the end of the line after a quoted cell");
    }
    return c;
  }

  void end_of_line() {
    if (i_ < text_.size() && text_[i_] == '\r') advance();
    if (i_ < text_.size() && text_[i_] == '\n') advance();
  }

  // Columns count characters: a UTF-8 character's first byte moves it, its other bytes do not
  // (cells start at a character, so their columns are right).
  void advance() {
    if (text_[i_] == '\n') {
      ++line_;
      column_ = 1;
    } else if (!is_continuation_byte(text_[i_])) {
      ++column_;
    }
    ++i_;
  }

  SourceLocation here() const { return {file_, line_, column_}; }

  const std::string& text_;
  std::shared_ptr<const std::string> file_;
  std::size_t i_ = 0;
  int line_ = 1, column_ = 1;
};

}  // namespace

std::string read_data_file(const fs::path& path, const std::string& shown,
                           const SourceLocation& from, const std::string& key) {
  const SourceLocation at =
      from.file ? from : SourceLocation{std::make_shared<const std::string>(shown), 0, 0};
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (status.type() == fs::file_type::not_found) {
    throw InputError(at, key, "no such file: " + shown);
  }
  if (ec) throw InputError(at, key, "cannot read " + shown + ": " + ec.message());
  if (status.type() != fs::file_type::regular) {
    throw InputError(at, key, shown + " is not a regular file (a directory, a pipe or a device)");
  }
  const std::uintmax_t size = fs::file_size(path, ec);
  if (ec) throw InputError(at, key, "cannot read " + shown + ": " + ec.message());
  if (size > kMaxTableBytes) {
    throw InputError(at, key,
                     shown + " is " + std::to_string(size) + " bytes; a data file may be at most " +
                         std::to_string(kMaxTableBytes) + " bytes (16 MiB)");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(at, key, "cannot open " + shown);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

CsvTable CsvTable::read(const fs::path& file, const std::string& shown, const SourceLocation& from,
                        const std::string& key) {
  return parse(read_data_file(file, shown, from, key), shown);
}

CsvTable CsvTable::parse(const std::string& text, const std::string& shown) {
  refuse_non_text(text, shown, "CSV text");
  CsvTable table;
  table.file_ = std::make_shared<const std::string>(shown);
  // A UTF-8 byte order mark (some spreadsheets write one) is not part of the first column's name.
  const bool bom = text.starts_with("\xEF\xBB\xBF");
  std::vector<std::vector<CsvCell>> rows = Parser(bom ? text.substr(3) : text, table.file_).rows();
  if (rows.empty()) throw InputError({table.file_, 0, 0}, "", "the table is empty: no header row");
  table.header_ = std::move(rows.front());
  for (std::size_t r = 1; r < rows.size(); ++r) {
    if (rows[r].size() != table.header_.size()) {
      const CsvCell& first = rows[r].front();
      throw InputError({table.file_, first.line, first.column}, "",
                       "expected " + std::to_string(table.header_.size()) +
                           " cells as in the header, got " + std::to_string(rows[r].size()));
    }
    table.rows_.push_back(std::move(rows[r]));
  }
  return table;
}

std::size_t CsvTable::column(const std::string& name) const {
  for (std::size_t c = 0; c < header_.size(); ++c) {
    if (header_[c].text == name) return c;
  }
  std::vector<std::string> names;
  for (const CsvCell& h : header_) names.push_back(h.text);
  std::string message = "no column named " + name;
  if (const auto near = closest_match(name, names)) message += " (did you mean " + *near + "?)";
  throw InputError({file_, header_.front().line, header_.front().column}, "", message);
}

SourceLocation CsvTable::where(std::size_t row, std::size_t column) const {
  const CsvCell& c = rows_[row][column];
  return {file_, c.line, c.column};
}

SourceLocation CsvTable::where_header(std::size_t column) const {
  return {file_, header_[column].line, header_[column].column};
}

void CsvTable::fail(std::size_t row, std::size_t column, const std::string& message) const {
  throw InputError(where(row, column), header_[column].text, message);
}

const std::string& CsvTable::text(std::size_t row, std::size_t column) const {
  const std::string& value = rows_[row][column].text;
  if (value.empty()) fail(row, column, "expected a value, got an empty cell");
  return value;
}

double CsvTable::number(std::size_t row, std::size_t column) const {
  const std::string& value = text(row, column);
  double out = 0.0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
  if (ec != std::errc() || end != value.data() + value.size() || !std::isfinite(out)) {
    fail(row, column, "expected a number, got \"" + excerpt(value) + "\"");
  }
  return out;
}

std::int64_t CsvTable::count(std::size_t row, std::size_t column) const {
  const std::string& value = text(row, column);
  std::int64_t out = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
  if (ec != std::errc() || end != value.data() + value.size() || out < 0) {
    fail(
        row, column,
        "expected a whole number of people (no fraction, no sign), got \"" + excerpt(value) + "\"");
  }
  return out;
}

std::chrono::sys_days CsvTable::date(std::size_t row, std::size_t column) const {
  const std::string& value = text(row, column);
  const auto day = parse_date(value);
  if (!day || !day->ok()) {
    fail(row, column, "expected a date as YYYY-MM-DD, got \"" + excerpt(value) + "\"");
  }
  return std::chrono::sys_days{*day};
}

}  // namespace aidflow::scenario
