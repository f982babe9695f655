#pragma once
// Labels for what the model records: the ids of a scenario's entries, and the names of the
// model's fixed categories (mechanisms, sinks, spending, ...), as lists of strings.
#include <array>
#include <string>
#include <vector>

namespace aidflow::model {

template <class Item>
std::vector<std::string> ids_of(const std::vector<Item>& items) {
  std::vector<std::string> ids;
  for (const auto& item : items) ids.push_back(item.id);
  return ids;
}

template <std::size_t N>
std::vector<std::string> names_of(const std::array<const char*, N>& names) {
  return {names.begin(), names.end()};
}

}  // namespace aidflow::model
