#include "output/run_writer.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <map>
#include <optional>

#include "aidflow_version.hpp"
#include "engine/parallel.hpp"
#include "engine/utf8.hpp"
#include "model/spec/run.hpp"
#include "output/compressed_chunk.hpp"
#include "output/event_table.hpp"
#include "output/hdf5_file.hpp"
#include "output/writer_thread.hpp"

namespace aidflow::output {
namespace {

using engine::SeriesRow;
using engine::SeriesSpec;

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

// A group of the file with its dimension scales, created on first use. A group with series has
// the unlimited `time` dimension (dates) and the `step` coordinate along it.
struct Group {
  h5::Handle handle;
  std::map<std::string, h5::Handle> scales;
  std::vector<h5::Handle> coordinates;  // label coordinates along the scales; kept open to the end
  h5::Handle step;
  bool has_time = false;
};

// CF `coordinates`: the non-index coordinates of a variable, space-separated, so that xarray and
// netCDF tools find `step` and the display names without being told.
std::string coordinates_attribute(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out.append(out.empty() ? "" : " ").append(name);
  return out;
}

}  // namespace

struct RunWriter::State {
  State(std::filesystem::path destination, bool overwrite, bool sync)
      : output(std::move(destination), overwrite, sync), temporary(output.temporary()) {}
  SafeFile output;  // first: destroyed last, after the writer closed the file
  std::filesystem::path temporary;
  std::vector<engine::Dimension> dimensions;
  std::vector<SeriesSpec> series;
  RunMetadata metadata;
  engine::EventTableSpec events;  // no columns: no event group
  hsize_t chunk, event_chunk;
  // Touched only by the writer thread:
  h5::Handle file;
  std::map<std::string, Group> groups;
  std::vector<h5::Handle> variables;
  std::optional<EventTableFile> event_file;
  int next_dimid = 0;
  hsize_t written_steps = 0;
  // Whether open_file finished. A file created while the run steps may fail to open after later
  // jobs were queued: those then do nothing, and the open's error is what commit reports.
  bool opened = false;
  // Touched only by the stepping thread:
  std::vector<SeriesRow> buffers;
  hsize_t buffered_steps = 0;
  std::optional<EventBuffer> event_buffer;
  WriterThread writer;  // last: destroyed (drained, joined) before the handles above

  const engine::Dimension& dimension(const std::string& name) const {
    for (const auto& d : dimensions) {
      if (d.name == name) return d;
    }
    throw std::logic_error("series uses undeclared dimension " + name);
  }

  Group& group(const std::string& name) {
    auto [it, created] = groups.try_emplace(name);
    if (created) {
      it->second.handle =
          name.empty() ? h5::Handle(H5Gopen2(file.get(), "/", H5P_DEFAULT), H5Gclose, "root group")
                       : h5::create_group(file.get(), name);
    }
    return it->second;
  }

  hid_t scale(Group& g, const std::string& name) {
    auto it = g.scales.find(name);
    if (it == g.scales.end()) {
      h5::Handle handle = name == "time" ? time_dimension(g) : label_dimension(g, dimension(name));
      it = g.scales.emplace(name, std::move(handle)).first;
    }
    return it->second.get();
  }

  // The unlimited `time` dimension: dates as CF days since the start, so xarray decodes it to
  // datetime64 and `.plot()` puts dates on the x axis; `step` (0, 1, ...) is a coordinate along it.
  h5::Handle time_dimension(Group& g) {
    h5::Handle time = h5::create_unlimited_dimension(g.handle.get(), "time", chunk, next_dimid++);
    h5::set_attribute(time.get(), "units", "days since " + metadata.start_date);
    h5::set_attribute(time.get(), "calendar", std::string("standard"));
    h5::set_attribute(time.get(), "standard_name", std::string("time"));
    h5::set_attribute(time.get(), "long_name",
                      std::string("simulated date at the start of the step"));
    h5::set_attribute(time.get(), "axis", std::string("T"));
    g.step = h5::create_variable(g.handle.get(), "step", h5::Type::Int64, {time.get()}, {0}, true,
                                 chunk);
    h5::set_attribute(g.step.get(), "units", std::string("1"));
    h5::set_attribute(g.step.get(), "long_name",
                      std::string("step number (weeks since the start)"));
    g.has_time = true;
    return time;
  }

  h5::Handle label_dimension(Group& g, const engine::Dimension& d) {
    h5::Handle scale = h5::create_label_dimension(g.handle.get(), d.name, d.labels, next_dimid++);
    h5::set_attribute(scale.get(), "units", std::string("1"));
    h5::set_attribute(scale.get(), "long_name", d.long_name.empty() ? d.name + " id" : d.long_name);
    for (const auto& c : d.coordinates) {
      if (c.labels.size() != d.labels.size()) {
        throw std::logic_error("coordinate " + c.name + " does not fit dimension " + d.name);
      }
      h5::Handle variable =
          h5::create_string_variable(g.handle.get(), c.name, scale.get(), c.labels);
      h5::set_attribute(variable.get(), "units", std::string("1"));
      h5::set_attribute(variable.get(), "long_name", c.long_name.empty() ? c.name : c.long_name);
      g.coordinates.push_back(std::move(variable));
    }
    return scale;
  }

  h5::Handle create(const SeriesSpec& spec, bool along_steps) {
    Group& g = group(spec.group);
    std::vector<hid_t> scales;
    std::vector<hsize_t> sizes;
    std::vector<std::string> coordinates;
    if (along_steps) {
      scales.push_back(scale(g, "time"));
      sizes.push_back(0);
      coordinates.push_back("step");
    }
    for (const std::string& dim : spec.dims) {
      scales.push_back(scale(g, dim));
      sizes.push_back(dimension(dim).labels.size());
      for (const auto& c : dimension(dim).coordinates) coordinates.push_back(c.name);
    }
    h5::Handle variable = h5::create_variable(g.handle.get(), spec.name, h5_type(spec.type), scales,
                                              sizes, along_steps, chunk);
    h5::set_attribute(variable.get(), "units", spec.units);
    h5::set_attribute(variable.get(), "long_name", spec.long_name);
    if (!coordinates.empty()) {
      h5::set_attribute(variable.get(), "coordinates", coordinates_attribute(coordinates));
    }
    return variable;
  }

  void write_root_attributes(const std::string& status) {
    const hid_t root = group("").handle.get();
    h5::set_attribute(root, "Conventions", std::string("CF-1.8"));
    h5::set_attribute(root, "title",
                      "aidflow run of scenario " + metadata.scenario_name + ", seed " +
                          std::to_string(metadata.seed));
    h5::set_attribute(root, "history", utc_now() + " " + metadata.command_line);
    h5::set_attribute(root, "source", "aidflow " + std::string(AIDFLOW_VERSION));
    h5::set_attribute(root, "format_version", std::int64_t{kOutputFormatVersion});
    h5::set_attribute(root, "aidflow_version", std::string(AIDFLOW_VERSION));
    h5::set_attribute(root, "git_commit", std::string(AIDFLOW_GIT_COMMIT));
    h5::set_attribute(root, "scenario_name", metadata.scenario_name);
    h5::set_attribute(root, "scenario_file", metadata.scenario_file);
    h5::set_attribute(root, "label", metadata.label);
    std::string overrides;
    for (const std::string& o : metadata.overrides) overrides.append(o).append("\n");
    h5::set_attribute(root, "overrides", overrides);
    h5::set_attribute(root, "seed", static_cast<std::int64_t>(metadata.seed));
    h5::set_attribute(root, "steps", std::int64_t{metadata.steps});
    h5::set_attribute(root, "step_days", static_cast<std::int64_t>(model::kStepDays));
    h5::set_attribute(root, "start_date", metadata.start_date);
    h5::set_attribute(root, "threads", std::int64_t{metadata.threads});
    h5::set_attribute(root, "threads_requested", std::int64_t{metadata.threads_requested});
    h5::set_attribute(root, "command_line", metadata.command_line);
    h5::set_attribute(root, "created", utc_now());
    h5::set_attribute(root, "status", status);
  }

  void open_file() {
    file = h5::create_file(temporary);
    write_root_attributes("running");
    h5::write_string_scalar(group("").handle.get(), "scenario", metadata.scenario_text);
    const h5::Handle scenario(H5Dopen2(group("").handle.get(), "scenario", H5P_DEFAULT), H5Dclose,
                              "variable scenario");
    h5::set_attribute(scenario.get(), "units", std::string("1"));
    h5::set_attribute(scenario.get(), "long_name",
                      std::string("effective scenario (after extends and overrides), as YAML"));
    scale(group(""), "time");  // the root group has dates even for a model without series
    for (const SeriesSpec& spec : series) variables.push_back(create(spec, true));
    if (!events.columns.empty()) {
      event_file.emplace(group(events.group).handle.get(), events, metadata.start_date, event_chunk,
                         next_dimid++);
    }
    opened = true;
  }

  // The sizes of a series' dimensions after `time`.
  std::vector<hsize_t> trailing(const SeriesSpec& spec) const {
    std::vector<hsize_t> sizes;
    for (const auto& dim : spec.dims) sizes.push_back(dimension(dim).labels.size());
    return sizes;
  }

  // One compressed chunk per series of `steps` buffered steps (on the stepping thread).
  // On the run's threads, a series each (deflate is most of a coarse run's recording): each chunk
  // is compressed alone, so the bytes do not depend on who compressed it.
  std::vector<std::vector<std::uint8_t>> compress(const std::vector<SeriesRow>& rows,
                                                  hsize_t steps) const {
    std::vector<std::vector<std::uint8_t>> chunks(series.size());
    engine::parallel_for_each(series.size(), [&](std::size_t i) {
      const std::vector<hsize_t> sizes = trailing(series[i]);
      std::size_t row_values = 1;
      for (hsize_t size : sizes) row_values *= size;
      std::visit(
          [&](const auto& values) {
            chunks[i] = compress_chunk(values.data(), sizeof(values[0]), steps, chunk, row_values);
          },
          rows[i]);
    });
    return chunks;
  }

  // Stores one chunk of every series, and the step coordinates, on the writer thread.
  void write_chunks(const std::vector<std::vector<std::uint8_t>>& chunks, hsize_t steps) {
    const hsize_t offset = written_steps;
    if (offset % chunk != 0) throw std::logic_error("series rows out of step with their chunks");
    for (std::size_t i = 0; i < series.size(); ++i) {
      h5::append_chunk(variables[i].get(), chunks[i], offset, steps, trailing(series[i]));
    }
    std::vector<std::int64_t> step_values(steps), days(steps);
    for (hsize_t s = 0; s < steps; ++s) {
      step_values[s] = static_cast<std::int64_t>(offset + s);
      days[s] = model::kStepDays * step_values[s];
    }
    for (auto& [name, g] : groups) {
      if (g.has_time) {
        h5::append_rows(g.scales.at("time").get(), h5::Type::Int64, days.data(), offset, steps, {});
        h5::append_rows(g.step.get(), h5::Type::Int64, step_values.data(), offset, steps, {});
      }
    }
    written_steps += steps;
  }

  // The variables written at the end, each compressed whole as one chunk (on the stepping
  // thread, as the series' chunks are); empty for one without values, which is not chunked.
  std::vector<std::vector<std::uint8_t>> compress(
      const std::vector<engine::FinalVariable>& finals) const {
    std::vector<std::vector<std::uint8_t>> chunks;
    for (const auto& final : finals) {
      const std::vector<hsize_t> sizes = trailing(final.spec);
      std::size_t values = 1;
      for (hsize_t size : sizes) values *= size;
      if (sizes.empty() || values == 0) {
        chunks.emplace_back();
        continue;
      }
      std::visit(
          [&](const auto& v) {
            chunks.push_back(
                compress_chunk(v.data(), sizeof(v[0]), sizes[0], sizes[0], values / sizes[0]));
          },
          final.values);
    }
    return chunks;
  }

  void write_finals(const std::vector<engine::FinalVariable>& finals,
                    const std::vector<std::vector<std::uint8_t>>& chunks) {
    for (std::size_t i = 0; i < finals.size(); ++i) {
      const engine::FinalVariable& final = finals[i];
      h5::Handle variable = create(final.spec, false);
      if (!chunks[i].empty()) {
        h5::write_all_compressed(variable.get(), chunks[i],
                                 static_cast<int>(final.spec.dims.size()));
        continue;
      }
      std::visit(
          [&](const auto& v) { h5::write_all(variable.get(), h5_type(final.spec.type), v.data()); },
          final.values);
    }
  }

  void write_dated(const std::vector<DatedVariable>& dated) {
    for (const DatedVariable& d : dated) {
      Group& g = group(d.spec.group);
      const h5::Type type = h5_type(d.spec.type);
      h5::Handle variable;
      if (d.axis.empty()) {
        std::visit(
            [&](const auto& v) {
              variable = h5::write_scalar(g.handle.get(), d.spec.name, type, v.data());
            },
            d.values);
      } else {
        auto it = g.scales.find(d.axis);
        if (it == g.scales.end()) {
          h5::Handle axis =
              h5::create_numeric_dimension(g.handle.get(), d.axis, d.days, next_dimid++);
          h5::set_attribute(axis.get(), "units", "days since " + metadata.start_date);
          h5::set_attribute(axis.get(), "calendar", std::string("standard"));
          h5::set_attribute(axis.get(), "long_name",
                            std::string("date of the first step of each point"));
          it = g.scales.emplace(d.axis, std::move(axis)).first;
        }
        variable = h5::create_variable(g.handle.get(), d.spec.name, type, {it->second.get()},
                                       {d.days.size()}, false, d.days.size());
        std::visit([&](const auto& v) { h5::write_all(variable.get(), type, v.data()); }, d.values);
      }
      h5::set_attribute(variable.get(), "units", d.spec.units);
      h5::set_attribute(variable.get(), "long_name", d.spec.long_name);
    }
  }

  void finish_file() {
    const hid_t root = group("").handle.get();
    h5::set_attribute(root, "finished", utc_now());
    h5::set_attribute(root, "status", std::string("complete"));
    variables.clear();
    event_file.reset();
    // Scales write their back-links as they close (hdf5_file.hpp): closed here, reporting
    // errors, before the one flush of the whole file.
    for (auto& [name, g] : groups) {
      for (auto& [dimension, scale] : g.scales) scale.close();
    }
    groups.clear();
    h5::check(H5Fflush(file.get(), H5F_SCOPE_GLOBAL), "flushing the file");
    file.close();
  }

  // Compresses the buffered steps here, so that the writer thread only stores the chunks.
  void flush_buffers() {
    if (buffered_steps == 0) return;
    const hsize_t steps = buffered_steps;
    auto chunks = compress(buffers, steps);
    reset_buffers();
    buffered_steps = 0;
    writer.post([this, chunks = std::move(chunks), steps] {
      if (opened) write_chunks(chunks, steps);
    });
  }

  void reset_buffers() {
    buffers.clear();
    for (const SeriesSpec& spec : series) buffers.push_back(engine::empty_row(spec.type));
  }

  void flush_events() {
    if (!event_buffer || event_buffer->size() == 0) return;
    const hsize_t rows = event_buffer->size();
    writer.post([this, columns = event_buffer->take(), rows] {
      if (opened) event_file->write(columns, rows);
    });
  }

  // Checks the event table spec before any file exists. Its group holds nothing else, so its
  // names cannot clash with a series'.
  void prepare_events() {
    if (events.columns.empty()) return;
    for (const SeriesSpec& spec : series) {
      if (spec.group == events.group) {
        throw std::invalid_argument("event table group " + events.group + " also holds series " +
                                    spec.name);
      }
    }
    event_buffer.emplace(events);  // checks the spec
  }
};

// A row must hold exactly one value per cell of its dimensions: a wrong row is a bug in the model
// that must stop the run, never a read past the end of a buffer in the HDF5 library.
static void check_row_length(const std::vector<engine::Dimension>& dimensions,
                             const SeriesSpec& spec, const engine::SeriesRow& row) {
  std::size_t expected = 1;
  for (const std::string& name : spec.dims) {
    const auto d = std::find_if(dimensions.begin(), dimensions.end(),
                                [&](const engine::Dimension& x) { return x.name == name; });
    if (d == dimensions.end())
      throw std::logic_error("series " + spec.name + ": no dimension " + name);
    expected *= d->labels.size();
  }
  const std::size_t got = std::visit([](const auto& v) { return v.size(); }, row);
  if (got != expected) {
    throw std::logic_error("series " + spec.name + ": a row of " + std::to_string(got) +
                           " values for dimensions holding " + std::to_string(expected));
  }
}

RunWriter::RunWriter(std::filesystem::path destination, std::vector<engine::Dimension> dimensions,
                     std::vector<engine::SeriesSpec> series, RunMetadata metadata,
                     WriterOptions options, engine::EventTableSpec events)
    : state_(std::make_unique<State>(std::move(destination), options.overwrite, options.sync)) {
  State& s = *state_;
  s.dimensions = std::move(dimensions);
  s.series = std::move(series);
  s.metadata = std::move(metadata);
  // Attributes are UTF-8: a path or command line from outside may not be.
  for (std::string* text :
       {&s.metadata.scenario_file, &s.metadata.label, &s.metadata.command_line}) {
    *text = engine::as_utf8(*text);
  }
  for (std::string& o : s.metadata.overrides) o = engine::as_utf8(o);
  s.events = std::move(events);
  s.chunk = static_cast<hsize_t>(std::max(1, options.chunk_steps));
  s.event_chunk = static_cast<hsize_t>(std::max(1, options.chunk_events));
  s.reset_buffers();
  s.prepare_events();
  h5::quiet_library_errors();  // on this thread too: it closes the handles at the end
  if (options.remove_stale) remove_stale_temporaries(s.output.destination());
  s.writer.post([&s] { s.open_file(); });
  if (options.open_before_steps) s.writer.drain();
}

RunWriter::~RunWriter() = default;  // drains the writer, closes the file, removes it uncommitted

void RunWriter::append(std::size_t series, engine::SeriesRow row) {
  State& s = *state_;
  const SeriesSpec& spec = s.series.at(series);
  check_row_length(s.dimensions, spec, row);
  std::visit(
      [&](auto& buffer) {
        using Vector = std::decay_t<decltype(buffer)>;
        const auto* values = std::get_if<Vector>(&row);
        if (!values) throw std::logic_error("series " + spec.name + ": wrong type");
        buffer.insert(buffer.end(), values->begin(), values->end());
      },
      s.buffers.at(series));
  if (series + 1 == s.series.size() && ++s.buffered_steps == s.chunk) s.flush_buffers();
}

void RunWriter::append_event(engine::EventRow row) {
  State& s = *state_;
  if (!s.event_buffer) throw std::logic_error("this run's event table has no columns");
  s.event_buffer->append(std::move(row));
  if (s.event_buffer->size() >= s.event_chunk) s.flush_events();
}

void RunWriter::commit(std::vector<engine::FinalVariable> finals,
                       std::vector<DatedVariable> dated) {
  State& s = *state_;
  for (const auto& final : finals) check_row_length(s.dimensions, final.spec, final.values);
  for (const auto& d : dated) {
    const std::size_t got = std::visit([](const auto& v) { return v.size(); }, d.values);
    if (got != (d.axis.empty() ? 1 : d.days.size())) {
      throw std::logic_error("dated variable " + d.spec.name + " does not fit its axis");
    }
  }
  s.flush_buffers();
  s.flush_events();
  auto chunks = s.compress(finals);
  s.writer.post(
      [&s, finals = std::move(finals), chunks = std::move(chunks), dated = std::move(dated)] {
        if (!s.opened) return;
        s.write_finals(finals, chunks);
        s.write_dated(dated);
        s.finish_file();
      });
  s.writer.drain();
  // Without --force, a file that appeared at the destination during the run is not replaced.
  if (!s.output.commit()) throw already_exists(s.output.destination());
}

const std::filesystem::path& RunWriter::temporary_path() const {
  return state_->temporary;
}

}  // namespace aidflow::output
