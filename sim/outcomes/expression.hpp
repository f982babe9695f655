#pragma once
// The outcome language (docs/OUTCOMES.md): what a sweep or a run collects from a run's indicators,
// as text such as `sum(transfers[from_faction=haqqani, to_faction=al_qaeda])`. Parsed here into a
// tree that knows nothing of any run; binding (outcomes/bind.hpp) checks its names and labels
// against a run's indicators. Every mistake is an InputError at the character it concerns.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "scenario/input_error.hpp"

namespace aidflow::outcomes {

// How the steps of a window (or of each block of a resampled series) become one value.
enum class Reduction { Sum, Mean, Min, Max, First, Last, At, Series, Count };

// `dim=a|b` (labels, summed) or `time=A..B` / `step=A..B` (a window; an end may be left open).
struct Selection {
  std::string key;
  std::vector<std::string> labels;  // a label selection, or a single time/step value
  bool range = false;               // A..B
  std::string from, to;             // the ends of a range ("" when open)
  std::size_t offset = 0;           // of the key, in the expression text
};

// `variable`, `group.variable`, with selections; `events` (the event table) or `events.column`.
struct Reference {
  std::string group, name;
  std::vector<Selection> selections;
  std::size_t offset = 0;
};

// `every=4` (steps) or `every=year`: a reduction gives a series of one value per block.
struct Every {
  int steps = 0;      // blocks of this many steps; 0 with year
  bool year = false;  // blocks of a calendar year
  std::size_t offset = 0;
};

struct Node {
  enum class Kind { Number, Reduce, Add, Subtract, Multiply, Divide, Negate } kind = Kind::Number;
  std::size_t offset = 0;  // in the expression text, for messages
  // Number
  double number = 0.0;
  bool whole = false;  // written without a point or exponent: keeps integer outcomes integer
  // Reduce
  Reduction reduction = Reduction::Sum;
  std::string function;  // as written (sum, mean, ...)
  Reference reference;
  std::optional<Every> every;
  std::string at_date;  // at(x, DATE)
  std::size_t at_offset = 0;
  // Add .. Divide: left and right; Negate: left
  std::unique_ptr<Node> left, right;
};

// An outcome as declared: a name, its text and where that text was written.
struct Declaration {
  std::string name;
  std::string text;
  scenario::SourceLocation where;  // of the text's first character
  std::string path;                // key path for messages: outcomes.NAME
  std::string long_name;           // what it is, for readers; empty: the text itself
};

// The location of character `offset` of a declaration's text (same line, further columns).
scenario::SourceLocation location_of(const Declaration& declaration, std::size_t offset);

// Throws InputError at the offending character of declaration.text.
Node parse(const Declaration& declaration);

// `"text"` (at most its first 40 bytes): how messages show what the user wrote.
std::string quoted(const std::string& text);

// Names an outcome may have: [a-z][a-z0-9_]*, at most 64 characters.
bool is_outcome_name(const std::string& name);

}  // namespace aidflow::outcomes
