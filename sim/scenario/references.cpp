#include "scenario/references.hpp"

#include <algorithm>

namespace aidflow::scenario {
namespace {

int index_of(const std::vector<std::string>& ids, const std::string& id) {
  const auto it = std::find(ids.begin(), ids.end(), id);
  return it == ids.end() ? -1 : static_cast<int>(it - ids.begin());
}

}  // namespace

std::string unknown_reference(const std::string& what, const std::string& id,
                              const std::vector<std::string>& ids) {
  if (const auto hint = closest_match(id, ids)) {
    return "unknown " + what + " \"" + excerpt(id) + "\" (did you mean \"" + *hint + "\"?)";
  }
  return "unknown " + what + " \"" + excerpt(id) + "\"; known: " + join(ids);
}

int resolve(MapReader& reader, const std::string& key, const std::vector<std::string>& ids,
            const std::string& what) {
  const std::string id = reader.text(key);
  const int i = index_of(ids, id);
  if (i < 0) reader.fail(key, unknown_reference(what, id, ids));
  return i;
}

std::vector<int> resolve_list(MapReader& reader, const std::string& key,
                              const std::vector<std::string>& ids, const std::string& what,
                              WhenAbsent absent) {
  std::vector<int> out;
  if (!reader.has(key)) {
    if (absent == WhenAbsent::Every) {
      for (std::size_t i = 0; i < ids.size(); ++i) out.push_back(static_cast<int>(i));
    }
    return out;
  }
  const SourceNode& list = *reader.node().find(key);
  if (list.kind != SourceNode::Kind::Sequence) {
    reader.fail_type(key, "a list of " + what + " ids, such as [" + ids.front() + "]", list);
  }
  for (std::size_t i = 0; i < list.children.size(); ++i) {
    const SourceNode& item = list.children[i];
    const std::string path = item_path(child_path(reader.path(), key), i);
    if (item.kind != SourceNode::Kind::Scalar) {
      throw InputError(item.where, path, "expected a " + what + " id, got " + item.describe());
    }
    const int index = index_of(ids, item.scalar);
    if (index < 0) throw InputError(item.where, path, unknown_reference(what, item.scalar, ids));
    if (std::find(out.begin(), out.end(), index) != out.end()) {
      throw InputError(item.where, path, what + " \"" + item.scalar + "\" is listed twice");
    }
    out.push_back(index);
  }
  return out;
}

}  // namespace aidflow::scenario
