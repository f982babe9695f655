#include "outcomes/bind.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <set>

#include "model/spec/run.hpp"
#include "scenario/schema_reader.hpp"

namespace aidflow::outcomes {
namespace {

using scenario::excerpt;
using scenario::InputError;
namespace chrono = std::chrono;

constexpr const char* kDimensionless = "1";

// What binding knows of one node of an expression while it walks the tree.
struct Shape {
  bool integer = false;
  std::string units;  // "" for a bare number: it takes the units of what it meets
  std::optional<Axis> axis;
};

class Binder {
 public:
  Binder(const Declaration& d, const Catalog& c, Bound& bound)
      : d_(d), catalog_(c), bound_(bound) {}

  Schema bind_outcome() {
    const Node tree = parse(d_);
    std::vector<Operation> program;
    Shape shape = walk(tree, program);
    if (shape.axis && shape.axis->name.empty()) shape.axis->name = "time_" + d_.name;
    bound_.programs.push_back(std::move(program));
    return {.name = d_.name,
            .expression = d_.text,
            .units = shape.units.empty() ? kDimensionless : shape.units,
            .long_name = d_.long_name.empty() ? d_.text : d_.long_name,
            .integer = shape.integer,
            .axis = shape.axis};
  }

 private:
  [[noreturn]] void fail(std::size_t offset, const std::string& message) const {
    throw InputError(location_of(d_, offset), d_.path, message);
  }

  Shape walk(const Node& node, std::vector<Operation>& program) {
    switch (node.kind) {
      case Node::Kind::Number:
        program.push_back(
            {.kind = Operation::Kind::Number, .number = node.number, .whole = node.whole});
        return {.integer = node.whole};
      case Node::Kind::Reduce:
        return leaf(node, program);
      case Node::Kind::Negate: {
        Shape inner = walk(*node.left, program);
        program.push_back({.kind = Operation::Kind::Negate});
        return inner;
      }
      default:
        break;
    }
    const Shape left = walk(*node.left, program);
    const Shape right = walk(*node.right, program);
    static constexpr Operation::Kind kinds[] = {Operation::Kind::Add, Operation::Kind::Subtract,
                                                Operation::Kind::Multiply, Operation::Kind::Divide};
    const auto k = static_cast<std::size_t>(node.kind) - static_cast<std::size_t>(Node::Kind::Add);
    program.push_back({.kind = kinds[k]});
    return combine(node, left, right);
  }

  Shape combine(const Node& node, const Shape& a, const Shape& b) const {
    Shape out;
    if (a.axis && b.axis && !(*a.axis == *b.axis)) {
      fail(node.offset, "both sides are series, over different steps: resample them alike");
    }
    out.axis = a.axis ? a.axis : b.axis;
    const auto plain = [](const std::string& u) { return u.empty() || u == kDimensionless; };
    switch (node.kind) {
      case Node::Kind::Add:
      case Node::Kind::Subtract:
        if (!a.units.empty() && !b.units.empty() && a.units != b.units) {
          fail(node.offset, std::string("cannot ") +
                                (node.kind == Node::Kind::Add ? "add " : "subtract ") + b.units +
                                " and " + a.units + ": give both sides the same units");
        }
        out.units = a.units.empty() ? b.units : a.units;
        out.integer = a.integer && b.integer;
        break;
      case Node::Kind::Multiply:
        out.units = plain(a.units)   ? b.units
                    : plain(b.units) ? a.units
                                     : "(" + a.units + ") (" + b.units + ")";
        out.integer = a.integer && b.integer;
        break;
      default:  // Divide
        out.units = a.units == b.units ? std::string(kDimensionless)
                    : plain(b.units)   ? a.units
                    : plain(a.units)   ? "1/(" + b.units + ")"
                                       : "(" + a.units + ")/(" + b.units + ")";
        out.integer = false;
        break;
    }
    return out;
  }

  Shape leaf(const Node& node, std::vector<Operation>& program) {
    const Reference& ref = node.reference;
    Leaf leaf{.reduction = node.reduction};
    Shape shape;
    std::vector<int> window;
    if (ref.group == "events" || (ref.group.empty() && ref.name == "events")) {
      window = bind_events(node, leaf, shape);
    } else {
      if (node.reduction == Reduction::Count) {
        fail(node.offset,
             "count counts events, as in count(events[kind=attack]); sum, mean or "
             "last reduce an indicator");
      }
      leaf.series = find_series(ref);
      const engine::SeriesSpec& spec = catalog_.series[leaf.series];
      leaf.integer = spec.type == engine::ValueType::Int64;
      window = select_cells(ref, spec, leaf.cells);
      shape = {.integer = leaf.integer && node.reduction != Reduction::Mean, .units = spec.units};
    }
    if (node.reduction == Reduction::At) window = {step_at(node.at_date, node.at_offset, window)};
    if (window.empty()) fail(ref.offset, "no step of the run is selected");
    Axis axis = blocks(node, window, leaf);
    if (node.reduction == Reduction::Series || node.every) shape.axis = std::move(axis);
    program.push_back({.kind = Operation::Kind::Leaf, .leaf = bound_.leaves.size()});
    bound_.leaves.push_back(std::move(leaf));
    return shape;
  }

  std::optional<std::size_t> event_column(const std::string& name) const {
    const auto& columns = catalog_.events.columns;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (columns[i].name == name) return i;
    }
    return std::nullopt;
  }

  [[noreturn]] void no_event_column(std::size_t offset, const std::string& name) const {
    std::vector<std::string> names;
    for (const auto& c : catalog_.events.columns) names.push_back(c.name);
    const auto close = scenario::closest_match(name, names);
    fail(offset, "the event table has no column " + quoted(name) +
                     (close ? " (did you mean " + quoted(*close) + "?)"
                            : " (it has " + scenario::join(names) + ")"));
  }

  // count(events[filters]) or sum(events.column[filters]): the events of the window whose
  // columns hold the values selected.
  std::vector<int> bind_events(const Node& node, Leaf& leaf, Shape& shape) const {
    const Reference& ref = node.reference;
    const auto& columns = catalog_.events.columns;
    if (columns.empty()) fail(ref.offset, "this run records no events");
    const bool counting = node.reduction == Reduction::Count;
    if (!counting && node.reduction != Reduction::Sum) {
      fail(node.offset,
           "events are counted or summed: count(events[kind=attack]) or "
           "sum(events.casualties[kind=attack])");
    }
    const bool named = ref.group == "events";
    if (counting && named) {
      fail(ref.offset, "count counts events: count(events[...]) takes no column");
    }
    if (!counting && !named) {
      fail(ref.offset,
           "sum adds up a column of the events: sum(events.casualties[...]); "
           "count(events[...]) counts them");
    }
    leaf.events = true;
    leaf.integer = true;
    shape = {.integer = true, .units = "events"};
    if (named) {
      const auto column = event_column(ref.name);
      if (!column) no_event_column(ref.offset, ref.name);
      const engine::EventColumn& c = columns[*column];
      if (!c.categories.empty()) {
        fail(ref.offset, ref.name + " holds categories, not amounts: select by it and count");
      }
      leaf.event_column = *column;
      leaf.integer = c.type == engine::ValueType::Int64;
      shape = {.integer = leaf.integer, .units = c.units};
    }
    const auto step = event_column("step");
    if (!step) throw std::logic_error("the event table has no step column");
    leaf.step_column = *step;
    std::vector<bool> steps(static_cast<std::size_t>(catalog_.steps), true);
    std::set<std::string> keys;
    for (const Selection& sel : ref.selections) {
      if (!keys.insert(sel.key).second) {
        fail(sel.offset,
             sel.key + " is selected twice: list several values as " + sel.key + "=a|b");
      }
      if (sel.key == "time" || sel.key == "step") {
        const std::vector<bool> in = window(sel);
        for (std::size_t i = 0; i < steps.size(); ++i) steps[i] = steps[i] && in[i];
        continue;
      }
      leaf.filters.push_back(event_filter(sel));
    }
    std::vector<int> out;
    for (std::size_t i = 0; i < steps.size(); ++i) {
      if (steps[i]) out.push_back(static_cast<int>(i));
    }
    return out;
  }

  // kind=attack|ministry_change (category names, or none), complex=1 (numbers).
  EventFilter event_filter(const Selection& sel) const {
    if (sel.range) fail(sel.offset, sel.key + ": a range A..B selects time or step only");
    const auto column = event_column(sel.key);
    if (!column) no_event_column(sel.offset, sel.key);
    const engine::EventColumn& c = catalog_.events.columns[*column];
    EventFilter filter{.column = *column};
    for (const std::string& value : sel.labels) {
      if (!c.categories.empty()) {
        if (value == "none") {
          filter.values.push_back(static_cast<double>(engine::kNoCategory));
          continue;
        }
        const auto at = std::find(c.categories.begin(), c.categories.end(), value);
        if (at == c.categories.end()) {
          const auto close = scenario::closest_match(value, c.categories);
          fail(sel.offset, "no " + sel.key + " " + quoted(value) + " among the events " +
                               (close ? "(did you mean " + quoted(*close) + "?)"
                                      : "(" + scenario::join(c.categories) + ", or none)"));
        }
        filter.values.push_back(static_cast<double>(at - c.categories.begin()));
        continue;
      }
      char* end = nullptr;
      const double number = std::strtod(value.c_str(), &end);
      if (value.empty() || *end != '\0' || !std::isfinite(number)) {
        fail(sel.offset, sel.key + ": expected a number, got " + quoted(value));
      }
      filter.values.push_back(number);
    }
    return filter;
  }

  std::size_t find_series(const Reference& ref) const {
    std::vector<std::string> names;
    for (std::size_t i = 0; i < catalog_.series.size(); ++i) {
      const engine::SeriesSpec& spec = catalog_.series[i];
      if (spec.group == ref.group && spec.name == ref.name) return i;
      names.push_back(spec.group.empty() ? spec.name : spec.group + "." + spec.name);
    }
    const std::string given = ref.group.empty() ? ref.name : ref.group + "." + ref.name;
    const auto close = scenario::closest_match(given, names);
    fail(ref.offset, "no indicator \"" + excerpt(given) + "\"" +
                         (close ? " (did you mean \"" + *close + "\"?)"
                                : " (docs/OUTPUT.md lists them: aid_diverted, "
                                  "faction_treasury, ledger.settled, ...)"));
  }

  const engine::Dimension& dimension(const std::string& name) const {
    for (const auto& d : catalog_.dimensions) {
      if (d.name == name) return d;
    }
    throw std::logic_error("indicator dimension " + name + " is not declared");
  }

  // The cells a reference selects (row-major, ascending) and the steps of its window.
  std::vector<int> select_cells(const Reference& ref, const engine::SeriesSpec& spec,
                                std::vector<std::size_t>& cells) const {
    std::vector<std::vector<bool>> chosen;
    for (const auto& dim : spec.dims) chosen.emplace_back(dimension(dim).labels.size(), true);
    std::vector<bool> steps(static_cast<std::size_t>(catalog_.steps), true);
    std::set<std::string> keys;
    for (const Selection& sel : ref.selections) {
      if (!keys.insert(sel.key).second) {
        fail(sel.offset,
             sel.key + " is selected twice: list several labels as " + sel.key + "=a|b");
      }
      if (sel.key == "time" || sel.key == "step") {
        const std::vector<bool> in = window(sel);
        for (std::size_t i = 0; i < steps.size(); ++i) steps[i] = steps[i] && in[i];
        continue;
      }
      select_labels(ref, spec, sel, chosen);
    }
    std::vector<std::size_t> extents;
    for (const auto& dim : spec.dims) extents.push_back(dimension(dim).labels.size());
    std::size_t total = 1;
    for (std::size_t e : extents) total *= e;
    for (std::size_t flat = 0; flat < total; ++flat) {
      std::size_t rest = flat;
      bool keep = true;
      for (std::size_t axis = extents.size(); axis-- > 0;) {
        keep = keep && chosen[axis][rest % extents[axis]];
        rest /= extents[axis];
      }
      if (keep) cells.push_back(flat);
    }
    if (cells.empty()) fail(ref.offset, "the selections leave no value of " + ref.name);
    std::vector<int> out;
    for (std::size_t i = 0; i < steps.size(); ++i) {
      if (steps[i]) out.push_back(static_cast<int>(i));
    }
    return out;
  }

  void select_labels(const Reference& ref, const engine::SeriesSpec& spec, const Selection& sel,
                     std::vector<std::vector<bool>>& chosen) const {
    if (sel.range) fail(sel.offset, sel.key + ": a range A..B selects time or step only");
    std::vector<std::string> known;
    for (std::size_t axis = 0; axis < spec.dims.size(); ++axis) {
      const engine::Dimension& d = dimension(spec.dims[axis]);
      const std::vector<std::string>* labels = nullptr;
      if (d.name == sel.key) labels = &d.labels;
      for (const auto& c : d.coordinates) {
        if (c.name == sel.key) labels = &c.labels;
      }
      known.push_back(d.name);
      for (const auto& c : d.coordinates) known.push_back(c.name);
      if (labels) return pick(sel, *labels, d, chosen[axis]);
    }
    const std::string what = spec.dims.empty() ? ref.name + " has no dimension to select along"
                                               : ref.name + " has " + scenario::join(known);
    fail(sel.offset, quoted(sel.key) + " is not a dimension or label coordinate of " + ref.name +
                         " (" + what + "; and time, step)");
  }

  void pick(const Selection& sel, const std::vector<std::string>& labels,
            const engine::Dimension& d, std::vector<bool>& chosen) const {
    std::vector<bool> any(labels.size(), false);
    for (const std::string& label : sel.labels) {
      bool found = false;
      for (std::size_t i = 0; i < labels.size(); ++i) {
        if (labels[i] == label) any[i] = found = true;
      }
      if (found) continue;
      std::vector<std::string> distinct(labels.begin(), labels.end());
      std::sort(distinct.begin(), distinct.end());
      distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
      const auto close = scenario::closest_match(label, distinct);
      std::string listed;
      for (std::size_t i = 0; i < distinct.size() && i < 12; ++i) {
        listed += (i ? ", " : "") + (distinct[i].empty() ? std::string("\"\"") : distinct[i]);
      }
      if (distinct.size() > 12) listed += ", ...";
      fail(sel.offset, "no " + sel.key + " \"" + excerpt(label) + "\" in this run" +
                           (close ? " (did you mean \"" + *close + "\"?)"
                                  : " (" + d.name + " has " + listed + ")"));
    }
    for (std::size_t i = 0; i < chosen.size(); ++i) chosen[i] = chosen[i] && any[i];
  }

  chrono::sys_days date_of(int step) const { return model::step_start(catalog_.start, step); }

  int year_of(int step) const {
    return static_cast<int>(chrono::year_month_day{date_of(step)}.year());
  }

  std::string span() const {
    return model::iso_date(catalog_.start) + " to " + model::iso_date(date_of(catalog_.steps - 1)) +
           ", " + std::to_string(catalog_.steps) + " steps";
  }

  // A date (YYYY-MM-DD) or a year (YYYY): the first or last day it covers.
  chrono::sys_days day(const std::string& text, bool last, std::size_t offset) const {
    int y = 0;
    unsigned m = 0, dd = 0;
    const char* p = text.data();
    const char* end = p + text.size();
    const auto whole = [&](auto& out, std::size_t digits) {
      const auto [next, ec] = std::from_chars(p, end, out);
      const bool ok = ec == std::errc() && static_cast<std::size_t>(next - p) == digits;
      p = next;
      return ok;
    };
    bool ok = whole(y, 4);
    if (ok && p == end) {
      const chrono::year year{y};
      return last ? chrono::sys_days{year / chrono::December / 31}
                  : chrono::sys_days{year / chrono::January / 1};
    }
    ok = ok && p < end && *p++ == '-' && whole(m, 2) && p < end && *p++ == '-' && whole(dd, 2) &&
         p == end;
    const chrono::year_month_day date{chrono::year{y}, chrono::month{m}, chrono::day{dd}};
    if (!ok || !date.ok()) {
      fail(offset, "expected a date YYYY-MM-DD or a year YYYY, got \"" + excerpt(text) + "\"");
    }
    return chrono::sys_days{date};
  }

  int step_number(const std::string& text, std::size_t offset) const {
    int step = -1;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), step);
    if (ec != std::errc() || end != text.data() + text.size() || step < 0 ||
        step >= catalog_.steps) {
      fail(offset, "step: expected a step from 0 to " + std::to_string(catalog_.steps - 1) +
                       " (the run has " + std::to_string(catalog_.steps) + "), got \"" +
                       excerpt(text) + "\"");
    }
    return step;
  }

  // The steps a time= or step= selection keeps.
  std::vector<bool> window(const Selection& sel) const {
    std::vector<bool> in(static_cast<std::size_t>(catalog_.steps), false);
    if (sel.labels.size() > 1) fail(sel.offset, sel.key + ": give one value or a range A..B");
    const std::string from = sel.range ? sel.from : sel.labels[0];
    const std::string to = sel.range ? sel.to : sel.labels[0];
    if (sel.key == "step") {
      const int a = from.empty() ? 0 : step_number(from, sel.offset);
      const int b = to.empty() ? catalog_.steps - 1 : step_number(to, sel.offset);
      for (int s = a; s <= b; ++s) in[static_cast<std::size_t>(s)] = true;
    } else if (!sel.range && from.size() > 4) {  // a date: the step it falls in
      in[static_cast<std::size_t>(step_at(from, sel.offset, {}))] = true;
    } else {
      const auto a = from.empty() ? date_of(0) : day(from, false, sel.offset);
      const auto b = to.empty() ? date_of(catalog_.steps - 1) : day(to, true, sel.offset);
      for (int s = 0; s < catalog_.steps; ++s)
        in[static_cast<std::size_t>(s)] = date_of(s) >= a && date_of(s) <= b;
    }
    if (std::none_of(in.begin(), in.end(), [](bool b) { return b; })) {
      fail(sel.offset, sel.key + "=" + (sel.range ? from + ".." + to : from) +
                           " selects no step of the run (" + span() + ")");
    }
    return in;
  }

  // The step whose week holds `date`; within `window` if one is given.
  int step_at(const std::string& date, std::size_t offset, const std::vector<int>& window) const {
    const int step = model::step_of(catalog_.start, day(date, false, offset));
    if (step < 0 || step >= catalog_.steps) {
      fail(offset, "the date " + date + " is not in the run (" + span() + ")");
    }
    if (!window.empty() && !std::binary_search(window.begin(), window.end(), step)) {
      fail(offset, "the date " + date + " is outside the selected time");
    }
    return step;
  }

  // The blocks of a leaf's window and the axis they make.
  Axis blocks(const Node& node, const std::vector<int>& window, Leaf& leaf) const {
    leaf.block_of_step.assign(static_cast<std::size_t>(catalog_.steps), -1);
    Axis axis;
    int block = -1, previous_year = 0;
    for (std::size_t i = 0; i < window.size(); ++i) {
      const int s = window[i];
      bool starts = i == 0;
      if (node.reduction == Reduction::Series) starts = true;
      if (node.every && node.every->year) starts = starts || year_of(s) != previous_year;
      if (node.every && !node.every->year)
        starts = i % static_cast<std::size_t>(node.every->steps) == 0;
      previous_year = year_of(s);
      if (starts) {
        ++block;
        axis.steps.push_back(s);
        axis.days.push_back(model::kStepDays * static_cast<std::int64_t>(s));
      }
      leaf.block_of_step[static_cast<std::size_t>(s)] = block;
    }
    leaf.blocks = static_cast<std::size_t>(block + 1);
    const bool whole_run = static_cast<int>(window.size()) == catalog_.steps;
    if (whole_run && node.reduction == Reduction::Series) axis.name = "time";
    if (whole_run && node.every && node.every->year) axis.name = "year";
    return axis;
  }

  const Declaration& d_;
  const Catalog& catalog_;
  Bound& bound_;
};

}  // namespace

Bound bind_outcomes(const std::vector<Declaration>& declarations, const Catalog& catalog) {
  Bound bound;
  std::set<std::string> names;
  for (const Declaration& d : declarations) {
    if (!names.insert(d.name).second) {
      throw InputError(d.where, d.path, "outcome " + d.name + " is declared twice");
    }
    bound.schemas.push_back(Binder(d, catalog, bound).bind_outcome());
  }
  return bound;
}

bool same_layout(const Bound& a, const Bound& b) {
  return a.schemas == b.schemas;
}

}  // namespace aidflow::outcomes
