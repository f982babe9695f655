#pragma once
// References between a scenario's entries by id (a ministry's controlling faction, a condition's
// donors, a patron's feared groups), resolved to indices with located "did you mean" messages.
// Shared by every reader of scenario sections.
#include <string>
#include <vector>

#include "model/spec/labels.hpp"
#include "scenario/schema_reader.hpp"

namespace aidflow::scenario {

// The ids of a list of entries (factions, donors, ...), in order.
using model::ids_of;

// "unknown faction "haqani" (did you mean "haqqani"?)", or the list of known ids.
std::string unknown_reference(const std::string& what, const std::string& id,
                              const std::vector<std::string>& ids);

// The index of the id at `key`; a located error if it is none of `ids`.
int resolve(MapReader& reader, const std::string& key, const std::vector<std::string>& ids,
            const std::string& what);

// A list of ids such as [isis_khorasan, al_qaeda] at `key`, each resolved; an id listed twice is
// refused. An absent key gives `absent` (every index, or none).
enum class WhenAbsent { Every, None };
std::vector<int> resolve_list(MapReader& reader, const std::string& key,
                              const std::vector<std::string>& ids, const std::string& what,
                              WhenAbsent absent);

}  // namespace aidflow::scenario
