#include "output/run_record.hpp"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "engine/utf8.hpp"
#include "output/safe_file.hpp"

namespace aidflow::output {
namespace {

// A JSON string: UTF-8 (invalid bytes replaced), quotes, backslashes and controls escaped.
std::string quoted(const std::string& raw) {
  const std::string text = engine::as_utf8(raw);
  std::string out = "\"";
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.append(1, '\\').append(1, c);
    } else if (u < 0x20) {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\u%04x", u);
      out += escape;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// Shortest text that reads back as the same double.
std::string number(double value) {
  char text[32];
  const auto end = std::to_chars(text, text + sizeof text, value).ptr;
  return std::string(text, end);
}

template <class T, class Show>
std::string array(const std::vector<T>& values, Show show) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + show(values[i]);
  return out + "]";
}

std::string integer(std::int64_t value) {
  return std::to_string(value);
}

template <class T>
std::vector<T> read_list(const YAML::Node& node) {
  std::vector<T> out;
  for (const auto& item : node) out.push_back(item.as<T>());
  return out;
}

}  // namespace

std::string to_json(const RunRecord& r) {
  const model::RunSummary& s = r.summary;
  std::ostringstream out;
  out << "{\n  \"label\": " << quoted(r.label) << ",\n  \"scenario\": " << quoted(r.scenario)
      << ",\n  \"output\": " << quoted(r.output) << ",\n  \"status\": " << quoted(r.status)
      << ",\n  \"message\": " << quoted(r.message) << ",\n  \"run\": " << r.run
      << ",\n  \"point\": " << r.point << ",\n  \"replicate\": " << r.replicate
      << ",\n  \"seed\": " << r.seed << ",\n  \"steps\": " << r.steps
      << ",\n  \"wall_seconds\": " << number(r.wall_seconds)
      << ",\n  \"file_bytes\": " << r.file_bytes
      << ",\n  \"fingerprint\": " << quoted(r.fingerprint)
      << ",\n  \"file_fingerprint\": " << quoted(r.file_fingerprint)
      << ",\n  \"factions\": " << array(r.factions, quoted);
  for (const auto& f : model::kSummaryTotals) out << ",\n  \"" << f.name << "\": " << s.*f.member;
  for (const auto& f : model::kSummaryCentsByFaction) {
    out << ",\n  \"" << f.name << "\": " << array(s.*f.member, integer);
  }
  for (const auto& f : model::kSummaryCountsByFaction) {
    out << ",\n  \"" << f.name << "\": " << array(s.*f.member, number);
  }
  out << "\n}\n";
  return out.str();
}

void write_record(const std::filesystem::path& path, const RunRecord& record, bool replace) {
  if (!write_file_safely(path, to_json(record), replace)) throw already_exists(path);
}

RunRecord parse_record(const std::string& text) {
  try {
    const YAML::Node n = YAML::Load(text);  // JSON is YAML
    RunRecord r;
    r.label = n["label"].as<std::string>();
    r.scenario = n["scenario"].as<std::string>();
    r.output = n["output"].as<std::string>();
    r.status = n["status"].as<std::string>();
    r.message = n["message"].as<std::string>();
    r.run = n["run"].as<std::int64_t>();
    r.point = n["point"].as<std::int64_t>();
    r.replicate = n["replicate"].as<std::int64_t>();
    r.seed = n["seed"].as<std::uint64_t>();
    r.steps = n["steps"].as<int>();
    r.wall_seconds = n["wall_seconds"].as<double>();
    r.file_bytes = n["file_bytes"].as<std::uintmax_t>();
    r.fingerprint = n["fingerprint"].as<std::string>();
    r.file_fingerprint = n["file_fingerprint"].as<std::string>();
    r.factions = read_list<std::string>(n["factions"]);
    model::RunSummary& s = r.summary;
    for (const auto& f : model::kSummaryTotals) s.*f.member = n[f.name].as<std::int64_t>();
    for (const auto& f : model::kSummaryCentsByFaction) {
      s.*f.member = read_list<std::int64_t>(n[f.name]);
    }
    for (const auto& f : model::kSummaryCountsByFaction) s.*f.member = read_list<double>(n[f.name]);
    return r;
  } catch (const YAML::Exception& e) {
    throw std::runtime_error(std::string("not a run record: ") + e.what());
  }
}

std::optional<RunRecord> read_record(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  try {
    return parse_record(text.str());
  } catch (const std::runtime_error&) {
    return std::nullopt;  // a record that does not parse is not trusted: the run is redone
  }
}

}  // namespace aidflow::output
