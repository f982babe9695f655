#include "outcomes/expression.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace aidflow::outcomes {
namespace {

using scenario::InputError;

struct FunctionName {
  const char* name;
  Reduction reduction;
};
constexpr FunctionName kFunctions[] = {
    {"sum", Reduction::Sum}, {"mean", Reduction::Mean},     {"min", Reduction::Min},
    {"max", Reduction::Max}, {"first", Reduction::First},   {"last", Reduction::Last},
    {"at", Reduction::At},   {"series", Reduction::Series}, {"count", Reduction::Count}};

constexpr const char* kFunctionList = "sum, mean, min, max, first, last, at, series or count";

bool is_identifier_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}

bool is_identifier_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// Characters of an unquoted label or date: ids, sink labels (diverted:haqqani:local_tax), dates
// (2024-01-31), numbers (0.5).
bool is_value_char(char c) {
  return is_identifier_char(c) || c == ':' || c == '-' || c == '+' || c == '.';
}

class Parser {
 public:
  explicit Parser(const Declaration& d) : d_(d), text_(d.text) {}

  Node parse_outcome() {
    skip_space();
    if (at_end()) fail(0, "expected an outcome expression such as sum(aid_diverted), got nothing");
    Node node = expression();
    skip_space();
    if (!at_end()) fail(pos_, "unexpected " + describe_here() + " after the expression");
    return node;
  }

 private:
  [[noreturn]] void fail(std::size_t offset, const std::string& message) const {
    throw InputError(location_of(d_, offset), d_.path, message);
  }

  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }
  bool starts(const char* s) const {
    return text_.compare(pos_, std::char_traits<char>::length(s), s) == 0;
  }

  void skip_space() {
    while (!at_end() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }

  std::string describe_here() const {
    if (at_end()) return "end of the expression";
    return quoted(text_.substr(pos_, 12));
  }

  void expect(char c, const std::string& what) {
    skip_space();
    if (peek() != c) fail(pos_, "expected " + what + ", got " + describe_here());
    ++pos_;
  }

  std::string identifier(const std::string& what) {
    skip_space();
    if (!is_identifier_start(peek())) fail(pos_, "expected " + what + ", got " + describe_here());
    const std::size_t start = pos_;
    while (!at_end() && is_identifier_char(text_[pos_])) ++pos_;
    return text_.substr(start, pos_ - start);
  }

  Node expression() {
    Node left = term();
    for (;;) {
      skip_space();
      const char c = peek();
      if (c != '+' && c != '-') return left;
      left = binary(c == '+' ? Node::Kind::Add : Node::Kind::Subtract, std::move(left),
                    [this] { return term(); });
    }
  }

  Node term() {
    Node left = unary();
    for (;;) {
      skip_space();
      const char c = peek();
      if (c != '*' && c != '/') return left;
      left = binary(c == '*' ? Node::Kind::Multiply : Node::Kind::Divide, std::move(left),
                    [this] { return unary(); });
    }
  }

  template <class Next>
  Node binary(Node::Kind kind, Node left, Next next) {
    Node node{.kind = kind, .offset = pos_++};
    node.left = std::make_unique<Node>(std::move(left));
    node.right = std::make_unique<Node>(next());
    return node;
  }

  Node unary() {
    skip_space();
    if (peek() == '-') {
      Node node{.kind = Node::Kind::Negate, .offset = pos_++};
      node.left = std::make_unique<Node>(unary());
      return node;
    }
    return primary();
  }

  Node primary() {
    skip_space();
    const std::size_t start = pos_;
    if (peek() == '(') {
      ++pos_;
      Node inner = expression();
      expect(')', "\")\"");
      return inner;
    }
    if (std::isdigit(static_cast<unsigned char>(peek())) || peek() == '.') return number();
    if (!is_identifier_start(peek())) {
      fail(pos_, "expected a number, a reduction such as sum(aid_diverted), or \"(\", got " +
                     describe_here());
    }
    const std::string name = identifier("a reduction");
    skip_space();
    if (peek() != '(') {
      fail(start, quoted(name) + " needs a reduction: write sum(" + name + "), mean(" + name +
                      "), last(" + name + ") or series(" + name + ") (" + kFunctionList + ")");
    }
    return call(name, start);
  }

  Node number() {
    const std::size_t start = pos_;
    while (!at_end() && (std::isdigit(static_cast<unsigned char>(peek())) || peek() == '.')) ++pos_;
    if (peek() == 'e' || peek() == 'E') {
      ++pos_;
      if (peek() == '+' || peek() == '-') ++pos_;
      while (!at_end() && std::isdigit(static_cast<unsigned char>(peek()))) ++pos_;
    }
    const std::string text = text_.substr(start, pos_ - start);
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (*end != '\0' || !std::isfinite(value) || is_identifier_start(peek())) {
      fail(start, "expected a number, got \"" + scenario::excerpt(text_.substr(start, 12)) + "\"");
    }
    // Whole numbers keep integer outcomes integer, where a double holds them exactly.
    const bool whole = text.find_first_of(".eE") == std::string::npos && value < 9.0e15;
    return Node{.kind = Node::Kind::Number, .offset = start, .number = value, .whole = whole};
  }

  Node call(const std::string& function, std::size_t start) {
    Node node{.kind = Node::Kind::Reduce, .offset = start, .function = function};
    bool known = false;
    for (const auto& f : kFunctions) {
      if (function == f.name) {
        node.reduction = f.reduction;
        known = true;
      }
    }
    if (!known) {
      fail(start, "unknown reduction \"" + scenario::excerpt(function) + "\" (expected " +
                      kFunctionList + ")");
    }
    expect('(', "\"(\"");
    node.reference = reference();
    skip_space();
    while (peek() == ',') {
      ++pos_;
      argument(node);
      skip_space();
    }
    expect(')', "\")\" or \",\"");
    if (node.reduction == Reduction::At && node.at_date.empty()) {
      fail(start, "at needs a date: at(" + node.reference.name + ", 2024-06-03)");
    }
    return node;
  }

  void argument(Node& node) {
    skip_space();
    const std::size_t start = pos_;
    if (node.reduction == Reduction::At && node.at_date.empty()) {
      node.at_date = value("a date (YYYY-MM-DD)");
      node.at_offset = start;
      return;
    }
    const std::string key =
        identifier(node.reduction == Reduction::At ? "nothing more after the date"
                                                   : "every=N (steps) or every=year");
    if (key != "every" || node.reduction == Reduction::At || node.reduction == Reduction::Series) {
      const std::string why = node.reduction == Reduction::Series
                                  ? "series keeps every step; resample with sum(x, every=4), "
                                    "mean(x, every=year) or last(x, every=year)"
                              : node.reduction == Reduction::At
                                  ? "at takes a series and a date only"
                                  : "expected every=N (steps) or every=year";
      fail(start, "unexpected argument \"" + scenario::excerpt(key) + "\": " + why);
    }
    if (node.every) fail(start, "every is given twice");
    expect('=', "\"=\" after every");
    skip_space();
    const std::size_t at = pos_;
    const std::string text = value("a number of steps or year");
    Every every{.offset = at};
    if (text == "year") {
      every.year = true;
    } else {
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), every.steps);
      if (ec != std::errc() || end != text.data() + text.size() || every.steps < 1 ||
          every.steps > 5200) {
        fail(at, "every: expected a whole number of steps from 1 to 5200 or year, got \"" +
                     scenario::excerpt(text) + "\"");
      }
    }
    node.every = every;
  }

  Reference reference() {
    skip_space();
    Reference ref{.offset = pos_};
    ref.name = identifier("an indicator name such as aid_diverted");
    if (peek() == '.') {
      ++pos_;
      ref.group = ref.name;
      ref.name = identifier("an indicator name after \"" + ref.group + ".\"");
    }
    skip_space();
    if (peek() != '[') return ref;
    ++pos_;
    for (;;) {
      ref.selections.push_back(selection());
      skip_space();
      if (peek() == ']') break;
      expect(',', "\",\" or \"]\"");
    }
    ++pos_;
    return ref;
  }

  Selection selection() {
    skip_space();
    Selection s{.offset = pos_};
    s.key = identifier("a dimension name such as faction");
    expect('=', "\"=\" after " + s.key);
    skip_space();
    if (starts("..")) {
      s.range = true;
      pos_ += 2;
      s.to = optional_value();
      if (s.to.empty()) fail(s.offset, s.key + "=..: give at least one end of the range");
      return s;
    }
    const std::string first = value("a label");
    if (starts("..")) {
      pos_ += 2;
      s.range = true;
      s.from = first;
      s.to = optional_value();
      return s;
    }
    s.labels.push_back(first);
    skip_space();
    while (peek() == '|') {
      ++pos_;
      skip_space();
      s.labels.push_back(value("a label after \"|\""));
      skip_space();
    }
    return s;
  }

  // A value that may be absent (the open end of a range).
  std::string optional_value() {
    skip_space();
    if (peek() == ',' || peek() == ']' || at_end()) return "";
    return value("a value");
  }

  // A label, date or number: a quoted string, or a run of value characters up to "..".
  std::string value(const std::string& what) {
    skip_space();
    if (peek() == '"') return quoted_value();
    const std::size_t start = pos_;
    while (!at_end() && is_value_char(text_[pos_]) && !starts("..")) ++pos_;
    if (pos_ == start) fail(pos_, "expected " + what + ", got " + describe_here());
    return text_.substr(start, pos_ - start);
  }

  std::string quoted_value() {
    const std::size_t start = pos_++;
    std::string out;
    while (!at_end() && text_[pos_] != '"') {
      if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) ++pos_;
      out += text_[pos_++];
    }
    if (at_end()) fail(start, "this quoted label has no closing quote");
    ++pos_;
    return out;
  }

  const Declaration& d_;
  const std::string& text_;
  std::size_t pos_ = 0;
};

}  // namespace

scenario::SourceLocation location_of(const Declaration& d, std::size_t offset) {
  scenario::SourceLocation where = d.where;
  if (where.line > 0 && where.column > 0) where.column += static_cast<int>(offset);
  return where;
}

Node parse(const Declaration& declaration) {
  return Parser(declaration).parse_outcome();
}

std::string quoted(const std::string& text) {
  std::string out = "\"";  // appended: GCC 12 misreports "\"" + ... under -Wrestrict
  return out.append(scenario::excerpt(text)).append("\"");
}

bool is_outcome_name(const std::string& name) {
  if (name.empty() || name.size() > 64 || !std::islower(static_cast<unsigned char>(name[0]))) {
    return false;
  }
  for (const char c : name) {
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '_')) {
      return false;
    }
  }
  return true;
}

}  // namespace aidflow::outcomes
