#include "outcomes/declare.hpp"

#include <system_error>

#include "scenario/yaml_source.hpp"

namespace aidflow::outcomes {
namespace {

using scenario::InputError;
using scenario::SourceNode;

Declaration total(const std::string& name, const std::string& text, const std::string& what) {
  return {.name = name,
          .text = text,
          .where = {std::make_shared<const std::string>("the default outcomes"), 0, 0},
          .path = "outcomes." + name,
          .long_name = what};
}

}  // namespace

std::vector<Declaration> default_outcomes(const std::vector<std::string>& factions) {
  std::vector<Declaration> out = {
      total("disbursed", "sum(aid_disbursed)", "aid disbursed, run total"),
      total("delivered", "sum(aid_delivered)", "aid delivered to households, run total"),
      total("overhead", "sum(aid_overhead)", "overhead aid, run total"),
      total("counter_terrorism", "sum(aid_counter_terrorism)",
            "security aid that paid for counter-terrorism, run total"),
      total("diverted", "sum(aid_diverted)", "aid diverted to factions, run total")};
  for (const std::string& f : factions) {
    out.push_back(total("diverted_" + f, "sum(diverted[faction=" + f + "])",
                        "aid diverted to " + f + ", run total"));
  }
  for (const std::string& f : factions) {
    out.push_back(total("treasury_" + f, "last(faction_treasury[faction=" + f + "])",
                        f + " treasury at the end"));
  }
  for (const std::string& f : factions) {
    out.push_back(total("fighters_" + f, "last(faction_fighters[faction=" + f + "])",
                        f + " fighters at the end"));
  }
  return out;
}

std::vector<Declaration> read_declarations(const SourceNode& map, const std::string& path) {
  if (map.kind != SourceNode::Kind::Map || map.keys.empty()) {
    throw InputError(map.where, path,
                     "expected a mapping of outcome name to expression, such as "
                     "diverted_haqqani: sum(diverted[faction=haqqani]); got " +
                         map.describe());
  }
  std::vector<Declaration> out;
  for (std::size_t i = 0; i < map.keys.size(); ++i) {
    const std::string& name = map.keys[i];
    const std::string key_path = scenario::child_path(path, name);
    if (!is_outcome_name(name)) {
      throw InputError(map.key_locations[i], key_path,
                       "an outcome name is [a-z][a-z0-9_]*, at most 64 characters");
    }
    const SourceNode& value = map.children[i];
    if (value.kind != SourceNode::Kind::Scalar || value.scalar.empty()) {
      throw InputError(value.where, key_path,
                       "expected an expression such as sum(aid_diverted), got " + value.describe());
    }
    scenario::SourceLocation where = value.where;
    if (value.quoted && where.column > 0) ++where.column;  // past the opening quote
    out.push_back({.name = name, .text = value.scalar, .where = where, .path = key_path});
  }
  return out;
}

std::vector<Declaration> command_line_outcomes(const std::string& argument, int number) {
  std::error_code ec;
  if (std::filesystem::is_regular_file(argument, ec)) {
    const scenario::LoadedTree file = scenario::load_yaml_file(argument);
    return read_declarations(file.root, "");
  }
  const auto where = [](std::size_t column) {
    return scenario::SourceLocation{std::make_shared<const std::string>("--outcomes"), 1,
                                    static_cast<int>(column) + 1};
  };
  const auto equals = argument.find('=');
  const auto paren = argument.find_first_of("([");
  if (equals != std::string::npos && (paren == std::string::npos || equals < paren)) {
    std::string name = argument.substr(0, equals);
    while (!name.empty() && name.back() == ' ') name.pop_back();
    if (!is_outcome_name(name)) {
      throw InputError(where(0), "",
                       "expected NAME=EXPRESSION with NAME [a-z][a-z0-9_]*, or an outcomes file; "
                       "got \"" +
                           scenario::excerpt(argument) + "\"");
    }
    return {{.name = name,
             .text = argument.substr(equals + 1),
             .where = where(equals + 1),
             .path = "outcomes." + name}};
  }
  const std::string name = number == 1 ? "outcome" : "outcome_" + std::to_string(number);
  return {{.name = name, .text = argument, .where = where(0), .path = "outcomes." + name}};
}

}  // namespace aidflow::outcomes
