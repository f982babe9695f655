#include "outcomes/collector.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "engine/money.hpp"

namespace aidflow::outcomes {
namespace {

using IntValues = std::vector<std::int64_t>;
using FloatValues = std::vector<double>;

FloatValues as_float(const Values& v) {
  if (const auto* f = std::get_if<FloatValues>(&v)) return *f;
  const auto& i = std::get<IntValues>(v);
  return FloatValues(i.begin(), i.end());
}

// One value stands for every point of a series (a scalar beside a series).
template <class T>
T at(const std::vector<T>& v, std::size_t i) {
  return v.size() == 1 ? v[0] : v[i];
}

std::int64_t checked_multiply(std::int64_t a, std::int64_t b) {
  std::int64_t out = 0;
  if (__builtin_mul_overflow(a, b, &out)) throw std::overflow_error("an outcome overflows int64");
  return out;
}

// a op b, point by point; integers stay integers where the schema says so.
Values apply(Operation::Kind kind, const Values& a, const Values& b) {
  const std::size_t n = std::max(std::visit([](auto& v) { return v.size(); }, a),
                                 std::visit([](auto& v) { return v.size(); }, b));
  const bool integers = std::holds_alternative<IntValues>(a) &&
                        std::holds_alternative<IntValues>(b) && kind != Operation::Kind::Divide;
  if (integers) {
    const auto& x = std::get<IntValues>(a);
    const auto& y = std::get<IntValues>(b);
    IntValues out(n);
    for (std::size_t i = 0; i < n; ++i) {
      const std::int64_t p = at(x, i), q = at(y, i);
      out[i] = kind == Operation::Kind::Add        ? engine::checked_add(p, q)
               : kind == Operation::Kind::Subtract ? engine::checked_add(p, -q)
                                                   : checked_multiply(p, q);
    }
    return out;
  }
  const FloatValues x = as_float(a), y = as_float(b);
  FloatValues out(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double p = at(x, i), q = at(y, i);
    switch (kind) {
      case Operation::Kind::Add:
        out[i] = p + q;
        break;
      case Operation::Kind::Subtract:
        out[i] = p - q;
        break;
      case Operation::Kind::Multiply:
        out[i] = p * q;
        break;
      default:
        out[i] = q != 0.0 ? p / q : std::nan("");
        break;
    }
  }
  return out;
}

Values negate(Values v) {
  std::visit(
      [](auto& values) {
        for (auto& x : values) x = -x;
      },
      v);
  return v;
}

}  // namespace

Collector::Collector(const Bound& bound, engine::SeriesSink* next) : bound_(bound), next_(next) {
  for (std::size_t l = 0; l < bound.leaves.size(); ++l) {
    const Leaf& leaf = bound.leaves[l];
    blocks_.emplace_back(leaf.blocks);
    if (leaf.events) {
      event_leaves_.push_back(l);
      continue;
    }
    if (leaves_of_series_.size() <= leaf.series) leaves_of_series_.resize(leaf.series + 1);
    leaves_of_series_[leaf.series].push_back(l);
  }
  steps_seen_.assign(leaves_of_series_.size(), 0);
}

bool Collector::wants(std::size_t series) const {
  if (next_ && next_->wants(series)) return true;
  return series < leaves_of_series_.size() && !leaves_of_series_[series].empty();
}

bool Collector::wants_events() const {
  return !event_leaves_.empty() || (next_ && next_->wants_events());
}

// The block of the leaf's window that holds `step`; null for a step outside the window.
Collector::Block* Collector::block_at(std::size_t l, int step) {
  const Leaf& leaf = bound_.leaves[l];
  if (step < 0 || step >= static_cast<int>(leaf.block_of_step.size())) {
    throw std::logic_error("outcome collector: a step the run did not declare");
  }
  const int b = leaf.block_of_step[static_cast<std::size_t>(step)];
  return b < 0 ? nullptr : &blocks_[l][static_cast<std::size_t>(b)];
}

// One step's value (or one event's) into its block.
void Collector::add(std::size_t l, int step, std::int64_t v) {
  Block* at = block_at(l, step);
  if (!at) return;
  Block& block = *at;
  const bool first = block.count++ == 0;
  block.sum = engine::checked_add(block.sum, v);
  block.last = v;
  block.first = first ? v : block.first;
  block.min = first ? v : std::min(block.min, v);
  block.max = first ? v : std::max(block.max, v);
}

void Collector::add(std::size_t l, int step, double v) {
  Block* at = block_at(l, step);
  if (!at) return;
  Block& block = *at;
  const bool first = block.count++ == 0;
  block.fsum += v;
  block.flast = v;
  block.ffirst = first ? v : block.ffirst;
  block.fmin = first ? v : std::min(block.fmin, v);
  block.fmax = first ? v : std::max(block.fmax, v);
}

void Collector::append(std::size_t series, engine::SeriesRow row) {
  if (series < leaves_of_series_.size() && !leaves_of_series_[series].empty()) {
    const int step = steps_seen_[series]++;
    for (const std::size_t l : leaves_of_series_[series]) {
      const Leaf& leaf = bound_.leaves[l];
      if (const auto* ints = std::get_if<IntValues>(&row)) {
        std::int64_t v = 0;
        for (const std::size_t c : leaf.cells) v = engine::checked_add(v, (*ints)[c]);
        add(l, step, v);
      } else {
        const auto& floats = std::get<FloatValues>(row);
        double v = 0.0;
        for (const std::size_t c : leaf.cells) v += floats[c];
        add(l, step, v);
      }
    }
  }
  if (next_) next_->append(series, std::move(row));
}

void Collector::append_event(engine::EventRow row) {
  const auto number = [&](std::size_t column) {
    return std::visit([](auto v) { return static_cast<double>(v); }, row.at(column));
  };
  for (const std::size_t l : event_leaves_) {
    const Leaf& leaf = bound_.leaves[l];
    const bool selected = std::all_of(leaf.filters.begin(), leaf.filters.end(), [&](const auto& f) {
      const double v = number(f.column);
      return std::find(f.values.begin(), f.values.end(), v) != f.values.end();
    });
    if (!selected) continue;
    const int step = static_cast<int>(std::get<std::int64_t>(row.at(leaf.step_column)));
    if (!leaf.event_column) {
      add(l, step, std::int64_t{1});
    } else if (const auto* i = std::get_if<std::int64_t>(&row.at(*leaf.event_column))) {
      add(l, step, *i);
    } else {
      add(l, step, std::get<double>(row.at(*leaf.event_column)));
    }
  }
  if (next_ && next_->wants_events()) next_->append_event(std::move(row));
}

Values Collector::leaf_values(std::size_t l) const {
  const Leaf& leaf = bound_.leaves[l];
  const std::vector<Block>& blocks = blocks_[l];
  if (leaf.reduction == Reduction::Mean) {
    FloatValues out;
    for (const Block& b : blocks) {
      const double sum = leaf.integer ? static_cast<double>(b.sum) : b.fsum;
      out.push_back(b.count > 0 ? sum / static_cast<double>(b.count) : std::nan(""));
    }
    return out;
  }
  const auto pick = [&](const Block& b, auto sum, auto first, auto last, auto min, auto max) {
    switch (leaf.reduction) {
      case Reduction::Sum:
      case Reduction::Count:
        return sum;
      case Reduction::First:
        return first;
      case Reduction::Min:
        return min;
      case Reduction::Max:
        return max;
      default:  // Last, At, Series
        (void)b;
        return last;
    }
  };
  if (leaf.integer) {
    IntValues out;
    for (const Block& b : blocks) out.push_back(pick(b, b.sum, b.first, b.last, b.min, b.max));
    return out;
  }
  FloatValues out;
  for (const Block& b : blocks) out.push_back(pick(b, b.fsum, b.ffirst, b.flast, b.fmin, b.fmax));
  return out;
}

std::vector<Values> Collector::values() const {
  std::vector<Values> out;
  for (std::size_t o = 0; o < bound_.schemas.size(); ++o) {
    std::vector<Values> stack;
    for (const Operation& op : bound_.programs[o]) {
      switch (op.kind) {
        case Operation::Kind::Leaf:
          stack.push_back(leaf_values(op.leaf));
          break;
        case Operation::Kind::Number:
          if (op.whole) {
            stack.push_back(IntValues{static_cast<std::int64_t>(op.number)});
          } else {
            stack.push_back(FloatValues{op.number});
          }
          break;
        case Operation::Kind::Negate:
          stack.back() = negate(std::move(stack.back()));
          break;
        default: {
          Values right = std::move(stack.back());
          stack.pop_back();
          stack.back() = apply(op.kind, stack.back(), right);
        }
      }
    }
    Values result = std::move(stack.back());
    // The schema's type: a float outcome of integer parts (a mean) is float throughout.
    if (!bound_.schemas[o].integer && std::holds_alternative<IntValues>(result)) {
      result = as_float(result);
    }
    out.push_back(std::move(result));
  }
  return out;
}

}  // namespace aidflow::outcomes
