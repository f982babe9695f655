// aidflow_analysis._engine: the simulator in-process, for aidflow_analysis.run() and .sweep()
// (analysis/aidflow_analysis/inprocess.py turns what these return into xarray Datasets). The same
// library calls as `aidflow run` and `aidflow sweep`, so the same inputs give the same numbers;
// nothing is written to disk. The GIL is released while a run steps (other Python threads go on)
// and taken back after each step to see Ctrl-C. Bad input raises AidflowInputError with the
// located message the command line prints; any other failure, AidflowRunError.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

#include "aidflow_version.hpp"
#include "engine/isa.hpp"
#include "model/record/recorder.hpp"
#include "model/spec/run.hpp"
#include "outcomes/declare.hpp"
#include "output/safe_file.hpp"
#include "run/scenario_run.hpp"
#include "scenario/input_error.hpp"
#include "scenario/scenario_loader.hpp"
#include "scenario/yaml_source.hpp"
#include "sweep/mpi_queue.hpp"
#include "sweep/runner.hpp"
#include "sweep/store.hpp"
#include "sweep/sweep_file.hpp"

namespace py = pybind11;

namespace aidflow::python {
namespace {

// Every row of every series, as the run records them: what a run file's root and groups hold.
class MemorySink final : public engine::SeriesSink {
 public:
  explicit MemorySink(std::size_t series) : rows_(series) {}
  bool wants_events() const override { return false; }
  void append(std::size_t series, engine::SeriesRow row) override {
    std::visit(
        [&](auto& values) {
          using Vector = std::decay_t<decltype(values)>;
          if (!std::holds_alternative<Vector>(rows_[series])) rows_[series] = Vector{};
          auto& all = std::get<Vector>(rows_[series]);
          all.insert(all.end(), values.begin(), values.end());
        },
        row);
  }
  const engine::SeriesRow& values(std::size_t series) const { return rows_[series]; }

 private:
  std::vector<engine::SeriesRow> rows_;
};

// A copy of `values` as a numpy array of `shape`.
template <class T>
py::array_t<T> array(const std::vector<T>& values, const std::vector<py::ssize_t>& shape) {
  py::array_t<T> out(shape);
  std::copy(values.begin(), values.end(), out.mutable_data());
  return out;
}

py::object as_array(const engine::SeriesRow& row, const std::vector<py::ssize_t>& shape) {
  return std::visit([&](const auto& v) -> py::object { return array(v, shape); }, row);
}

py::dict dimensions_of(const std::vector<engine::Dimension>& dims) {
  py::dict out;
  for (const auto& d : dims) {
    py::dict coordinates;
    for (const auto& c : d.coordinates)
      coordinates[py::str(c.name)] = py::make_tuple(c.labels, c.long_name);
    out[py::str(d.name)] =
        py::dict(py::arg("labels") = d.labels, py::arg("long_name") = d.long_name,
                 py::arg("coordinates") = coordinates);
  }
  return out;
}

std::size_t extent(const std::vector<engine::Dimension>& dims, const std::string& name) {
  for (const auto& d : dims) {
    if (d.name == name) return d.labels.size();
  }
  throw std::logic_error("no dimension " + name);
}

py::list outcomes_of(const outcomes::Bound& bound, const std::vector<outcomes::Values>& values) {
  py::list out;
  for (std::size_t i = 0; i < bound.schemas.size(); ++i) {
    const outcomes::Schema& s = bound.schemas[i];
    const auto n = static_cast<py::ssize_t>(s.axis ? s.axis->days.size() : 1);
    py::dict o(py::arg("name") = s.name, py::arg("units") = s.units,
               py::arg("long_name") = s.long_name, py::arg("expression") = s.expression,
               py::arg("integer") = s.integer,
               py::arg("axis") = s.axis ? py::object(py::str(s.axis->name)) : py::none(),
               py::arg("days") = s.axis ? s.axis->days : std::vector<std::int64_t>{});
    o["values"] =
        as_array(values[i], s.axis ? std::vector<py::ssize_t>{n} : std::vector<py::ssize_t>{});
    out.append(o);
  }
  return out;
}

// Python's Ctrl-C, seen between steps: the run stops as `aidflow run` does on SIGINT.
void check_signals() {
  py::gil_scoped_acquire gil;
  if (PyErr_CheckSignals() != 0) throw py::error_already_set();
}

struct RunArguments {
  std::string scenario;
  std::optional<std::string> seed, steps;
  std::vector<std::string> set;
  std::optional<std::vector<std::string>> outcomes;  // --outcomes arguments
  int threads = 0;
  std::string label;
};

scenario::LoadOptions load_options(const RunArguments& a) {
  scenario::LoadOptions options;
  for (const std::string& assignment : a.set) options.overrides.emplace_back(assignment);
  const auto option = [&](const char* name, const char* path, const std::optional<std::string>& v) {
    if (v)
      options.overrides.emplace_back(std::string(path) + "=" + *v, std::string(name) + " " + *v);
  };
  option("--seed", "run.seed", a.seed);
  option("--steps", "run.steps", a.steps);
  return options;
}

// The scenario files earlier runs parsed (extends resolved), by the scenario's canonical path: a
// notebook runs one scenario many times, and parsing its YAML again was a third of a small run.
// An entry serves only while every file it was read from holds the same bytes (reading a few
// small files costs little beside parsing them), so an edited scenario is read afresh; errors
// come from the loader as they would without it.
class ParsedScenarios {
 public:
  scenario::SourceNode tree(const std::string& file) {
    std::error_code ec;
    const std::filesystem::path canonical = std::filesystem::canonical(file, ec);
    std::lock_guard lock(mutex_);
    if (!ec) {
      const auto it = entries_.find(canonical);
      if (it != entries_.end() && it->second.texts == texts_of(it->second.files)) {
        return it->second.root;
      }
    }
    scenario::LoadedTree loaded = scenario::load_yaml_file(file);
    Entry entry{.texts = texts_of(loaded.files), .files = loaded.files, .root = loaded.root};
    entries_.insert_or_assign(loaded.files.front(), std::move(entry));
    return std::move(loaded.root);
  }

 private:
  struct Entry {
    std::vector<std::optional<std::string>> texts;  // of `files`, in order
    std::vector<std::filesystem::path> files;
    scenario::SourceNode root;
  };

  // The files' bytes; none for one that cannot be read (never equal to a stored text, which
  // was read when the file was parsed).
  static std::vector<std::optional<std::string>> texts_of(
      const std::vector<std::filesystem::path>& files) {
    std::vector<std::optional<std::string>> texts;
    for (const auto& f : files) {
      std::ifstream in(f, std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      texts.push_back(in ? std::optional(text.str()) : std::nullopt);
    }
    return texts;
  }

  std::mutex mutex_;
  std::map<std::filesystem::path, Entry> entries_;
};

ParsedScenarios& parsed_scenarios() {
  static ParsedScenarios parsed;
  return parsed;
}

// The scenario of a run: its parsed files (parsed_scenarios) with the run's overrides, validated
// as `aidflow run` validates it. No file is written, so its YAML text is left out.
model::ScenarioSpec scenario_of(const RunArguments& a, const scenario::LoadOptions& options) {
  scenario::SourceNode tree = parsed_scenarios().tree(a.scenario);
  scenario::apply_overrides_checked(tree, options.overrides);
  return scenario::read_scenario(tree, scenario::SourceText::kLeftOut);
}

py::dict run(const RunArguments& a) {
  py::dict out;
  std::optional<py::gil_scoped_release> released(std::in_place);
  engine::active_isa();
  const scenario::LoadOptions options = load_options(a);
  const model::ScenarioSpec spec = scenario_of(a, options);
  run::ScenarioRun scenario_run(spec, a.threads);
  std::optional<outcomes::Bound> bound;
  if (a.outcomes) {
    std::vector<outcomes::Declaration> declared;
    for (const std::string& text : *a.outcomes) {
      for (auto& d : outcomes::command_line_outcomes(text, static_cast<int>(declared.size()) + 1)) {
        declared.push_back(std::move(d));
      }
    }
    bound = outcomes::bind_outcomes(declared, run::catalog_of(scenario_run.world()));
  }
  const auto series = model::IndicatorRecorder::series();
  const auto dims = model::IndicatorRecorder::dimensions(scenario_run.world());
  std::optional<MemorySink> rows;
  if (!bound) rows.emplace(series.size());
  std::vector<std::string> typed;
  for (const auto& o : options.overrides) typed.push_back(o.origin);
  const run::RunResult result =
      scenario_run.execute({.label = a.label,
                            .scenario_file = a.scenario,
                            .overrides = typed,
                            .outcomes = bound ? &*bound : nullptr,
                            .rows = rows ? &*rows : nullptr},
                           [](const engine::Progress&) { check_signals(); });
  released.reset();  // the GIL again, to build what Python gets
  out["attrs"] =
      py::dict(py::arg("scenario_name") = spec.name, py::arg("scenario_file") = a.scenario,
               py::arg("label") = result.record.label, py::arg("seed") = spec.run.seed,
               py::arg("steps") = spec.run.steps, py::arg("step_days") = 7,
               py::arg("start_date") = model::iso_date(spec.run.start_date),
               py::arg("aidflow_version") = std::string(AIDFLOW_VERSION),
               py::arg("git_commit") = std::string(AIDFLOW_GIT_COMMIT),
               py::arg("overrides") = typed, py::arg("status") = "complete");
  if (bound) {
    out["outcomes"] = outcomes_of(*bound, result.outcomes);
    return out;
  }
  out["dimensions"] = dimensions_of(dims);
  py::list variables;
  for (std::size_t i = 0; i < series.size(); ++i) {
    const engine::SeriesSpec& s = series[i];
    std::vector<py::ssize_t> shape = {spec.run.steps};
    for (const auto& d : s.dims) shape.push_back(static_cast<py::ssize_t>(extent(dims, d)));
    variables.append(py::dict(py::arg("group") = s.group, py::arg("name") = s.name,
                              py::arg("dims") = s.dims, py::arg("units") = s.units,
                              py::arg("long_name") = s.long_name,
                              py::arg("values") = as_array(rows->values(i), shape)));
  }
  out["series"] = variables;
  return out;
}

py::object column_values(const output::TableColumn& c) {
  return std::visit(
      [&](const auto& v) -> py::object {
        using T = typename std::decay_t<decltype(v)>::value_type;
        if constexpr (std::is_same_v<T, std::string>) {
          return py::cast(v);
        } else {
          return array(v, {static_cast<py::ssize_t>(v.size())});
        }
      },
      c.values);
}

// The sweep's runs on threads of their own while this (Python's main) thread watches for Ctrl-C,
// which only the main thread sees: a signal stops the runs, as SIGINT stops `aidflow sweep`.
std::vector<sweep::Entry> run_watching_signals(const sweep::SweepSpec& spec, int workers,
                                               int threads) {
  std::atomic<bool> stop{false}, done{false};
  std::vector<sweep::Entry> entries;
  std::exception_ptr failure;
  std::thread runs([&] {
    try {
      entries = sweep::run_sweep_in_memory(spec, workers, threads, [&] { return stop.load(); });
    } catch (...) {
      failure = std::current_exception();
    }
    done = true;
  });
  std::optional<py::error_already_set> interrupted;
  while (!done) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (interrupted) continue;
    try {
      check_signals();
    } catch (py::error_already_set& e) {
      interrupted.emplace(std::move(e));
      stop = true;
    }
  }
  runs.join();
  if (interrupted) throw std::move(*interrupted);
  if (failure) std::rethrow_exception(failure);
  return entries;
}

py::dict sweep(const std::string& file, int workers, int threads) {
  std::optional<py::gil_scoped_release> released(std::in_place);
  engine::active_isa();
  const sweep::SweepSpec spec = sweep::load_sweep(file, true, [] { check_signals(); });
  const sweep::Plan plan(spec);
  const std::vector<sweep::Entry> entries = run_watching_signals(spec, workers, threads);
  sweep::StoreCounts counts;
  const auto columns = sweep::store_columns(
      spec, plan, 0, plan.runs(),
      [&](const sweep::PlannedRun& r) -> std::optional<sweep::Entry> {
        return entries[static_cast<std::size_t>(r.run)];
      },
      counts);
  released.reset();
  py::list out_columns;
  for (const auto& c : columns) {
    py::dict attributes;
    for (const auto& [key, value] : c.attributes) attributes[py::str(key)] = value;
    out_columns.append(py::dict(
        py::arg("name") = c.name, py::arg("units") = c.units, py::arg("long_name") = c.long_name,
        py::arg("inner") = c.inner, py::arg("fill_value") = c.fill_value,
        py::arg("attributes") = attributes, py::arg("values") = column_values(c)));
  }
  py::list dimensions;
  for (const auto& d : sweep::store_dimensions(spec)) {
    py::dict attributes;
    for (const auto& [key, value] : d.attributes) attributes[py::str(key)] = value;
    dimensions.append(
        py::dict(py::arg("name") = d.name, py::arg("attributes") = attributes,
                 py::arg("values") = array(d.values, {static_cast<py::ssize_t>(d.values.size())})));
  }
  py::dict attrs;
  for (const auto& [key, value] : sweep::store_attributes(spec, plan, counts)) {
    std::visit([&](const auto& v) { attrs[py::str(key)] = v; }, value);
  }
  return py::dict(py::arg("columns") = out_columns, py::arg("dimensions") = dimensions,
                  py::arg("attrs") = attrs);
}

// C++ failures as the package's exceptions, with the message the command line prints.
void translate(std::exception_ptr failure) {
  const py::module_ errors = py::module_::import("aidflow_analysis.errors");
  const auto raise = [&](const char* type, const std::string& message) {
    const py::object cls = errors.attr(type);
    PyErr_SetString(cls.ptr(), scenario::printable(message).c_str());
  };
  try {
    std::rethrow_exception(failure);
  } catch (const scenario::InputError& e) {
    raise("AidflowInputError", e.what());
  } catch (const output::OutputPathError& e) {
    raise("AidflowInputError", e.what());
  } catch (const engine::IsaError& e) {
    raise("AidflowInputError", e.what());
  } catch (const sweep::SweepStopped&) {
    PyErr_SetNone(PyExc_KeyboardInterrupt);
  } catch (const py::error_already_set&) {
    throw;
  } catch (const std::exception& e) {
    raise("AidflowRunError", e.what());
  }
}

}  // namespace
}  // namespace aidflow::python

PYBIND11_MODULE(_engine, m) {
  using namespace aidflow::python;
  m.doc() = "aidflow's simulator in-process (aidflow_analysis.run and .sweep)";
  m.attr("version") = AIDFLOW_VERSION;
  py::register_exception_translator(translate);
  m.def(
      "run",
      [](const std::string& scenario, std::optional<std::string> seed,
         std::optional<std::string> steps, std::vector<std::string> set,
         std::optional<std::vector<std::string>> outcomes, int threads, std::string label) {
        return run({.scenario = scenario,
                    .seed = std::move(seed),
                    .steps = std::move(steps),
                    .set = std::move(set),
                    .outcomes = std::move(outcomes),
                    .threads = threads,
                    .label = std::move(label)});
      },
      py::arg("scenario"), py::arg("seed"), py::arg("steps"), py::arg("set"), py::arg("outcomes"),
      py::arg("threads"), py::arg("label"));
  m.def("sweep", &sweep, py::arg("file"), py::arg("workers"), py::arg("threads"));
}
