#pragma once
// Errors the user caused through a scenario or an option: they name where (file:line:column), the
// key path and what was expected. The command line turns them into exit code 2.
#include <memory>
#include <stdexcept>
#include <string>

namespace aidflow::scenario {

struct SourceLocation {
  std::shared_ptr<const std::string> file;  // shared by every node of one file
  int line = 0;                             // 1-based; 0 when unknown
  int column = 0;                           // 1-based; 0 when unknown
  std::string to_string() const;
};

class InputError : public std::runtime_error {
 public:
  InputError(const SourceLocation& where, const std::string& path, const std::string& message);
  const SourceLocation& where() const { return where_; }
  const std::string& path() const { return path_; }
  const std::string& message() const { return message_; }

 private:
  SourceLocation where_;
  std::string path_, message_;
};

// At most the first 40 bytes of `value` (never cutting a UTF-8 character), with "..." when cut:
// how a message shows a value the user gave, which may be half a megabyte long.
std::string excerpt(const std::string& value);

// `text` made safe for one line of a terminal: control characters (newline, escape, C1 codes)
// become visible escapes like \n and \x1b, so a scenario cannot break or colour the line, and
// text beyond kMaxMessageBytes is cut.
std::string printable(const std::string& text);
inline constexpr std::size_t kMaxMessageBytes = 2000;

}  // namespace aidflow::scenario
