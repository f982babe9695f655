#include "run/scenario_run.hpp"

#include <tbb/task_arena.h>

#include <optional>
#include <stdexcept>

#include "model/record/event_table.hpp"
#include "model/record/recorder.hpp"
#include "model/record/summary.hpp"
#include "outcomes/collector.hpp"
#include "output/run_writer.hpp"

namespace aidflow::run {
namespace {

// Where rows go when nobody reads them: a run that only collects outcomes computes none.
class NoRows final : public engine::SeriesSink {
 public:
  bool wants(std::size_t) const override { return false; }
  bool wants_events() const override { return false; }
  void append(std::size_t, engine::SeriesRow) override {}
  void append_event(engine::EventRow) override {}
};

}  // namespace

std::string default_label(const std::string& scenario_name,
                          const std::vector<std::string>& overrides) {
  std::string label = scenario_name;
  for (const std::string& o : overrides) label.append(" ").append(o);
  return label;
}

outcomes::Catalog catalog_of(const model::World& world) {
  return {.dimensions = model::IndicatorRecorder::dimensions(world),
          .series = model::IndicatorRecorder::series(),
          .events = model::event_table(world),
          .start = world.spec.run.start_date,
          .steps = world.spec.run.steps};
}

ScenarioRun::ScenarioRun(const model::ScenarioSpec& spec, int threads)
    : spec_(spec), threads_(threads) {
  tbb::task_arena arena(engine::effective_thread_count(threads));
  arena.execute([&] { model_ = std::make_unique<model::Model>(spec); });
}

std::uintmax_t ScenarioRun::expected_output_bytes() const {
  std::uintmax_t per_step = 0;
  const auto dims = model::IndicatorRecorder::dimensions(world());
  for (const auto& series : model::IndicatorRecorder::series()) {
    std::uintmax_t values = 1;
    for (const auto& name : series.dims) {
      for (const auto& d : dims) {
        if (d.name == name) values *= d.labels.size();
      }
    }
    per_step += 8 * values;
  }
  return per_step * static_cast<std::uintmax_t>(spec_.run.steps) + (1u << 20);
}

std::vector<output::DatedVariable> outcome_variables(const outcomes::Bound& bound,
                                                     const std::vector<outcomes::Values>& values) {
  std::vector<output::DatedVariable> out;
  for (std::size_t i = 0; i < bound.schemas.size(); ++i) {
    const outcomes::Schema& s = bound.schemas[i];
    output::DatedVariable v{
        .spec = {.group = "outcomes",
                 .name = s.name,
                 .type = s.integer ? engine::ValueType::Int64 : engine::ValueType::Float64,
                 .units = s.units,
                 .long_name = s.long_name},
        .axis = s.axis ? s.axis->name : "",
        .days = s.axis ? s.axis->days : std::vector<std::int64_t>{}};
    std::visit([&](const auto& x) { v.values = x; }, values[i]);
    out.push_back(std::move(v));
  }
  return out;
}

RunResult ScenarioRun::execute(const RunSettings& settings,
                               const std::function<void(const engine::Progress&)>& on_step) {
  const std::string label =
      settings.label.empty() ? default_label(spec_.name, settings.overrides) : settings.label;
  std::optional<output::RunWriter> writer;
  if (settings.output) {
    if (spec_.source_text.empty()) {
      throw std::logic_error(
          "a run file records its scenario's text: read it with SourceText::kKept");
    }
    output::RunMetadata metadata{.scenario_name = spec_.name,
                                 .scenario_file = settings.scenario_file,
                                 .scenario_text = spec_.source_text,
                                 .label = label,
                                 .overrides = settings.overrides,
                                 .command_line = settings.command_line,
                                 .start_date = model::iso_date(spec_.run.start_date),
                                 .seed = spec_.run.seed,
                                 .threads = engine::effective_thread_count(threads_),
                                 .threads_requested = threads_,
                                 .steps = spec_.run.steps};
    writer.emplace(*settings.output, model::IndicatorRecorder::dimensions(model_->world()),
                   model::IndicatorRecorder::series(), std::move(metadata),
                   output::WriterOptions{.overwrite = settings.overwrite,
                                         .remove_stale = settings.remove_stale,
                                         .sync = settings.sync,
                                         .open_before_steps = settings.open_before_steps},
                   model::event_table(model_->world()));
  }
  NoRows nowhere;
  engine::SeriesSink* rows = writer ? &*writer : settings.rows ? settings.rows : &nowhere;
  std::optional<outcomes::Collector> collector;
  if (settings.outcomes) rows = &collector.emplace(*settings.outcomes, rows);
  model::IndicatorRecorder recorder(model_->world(), *rows);
  model_->simulation().add_recorder(recorder);
  double seconds = 0.0;
  model_->simulation().run({.steps = spec_.run.steps, .threads = threads_},
                           [&](const engine::Progress& p) {
                             seconds = p.seconds;
                             if (on_step) on_step(p);
                           });
  RunResult result;
  if (collector) result.outcomes = collector->values();
  if (writer) {
    writer->commit(model::IndicatorRecorder::final_variables(model_->world()),
                   settings.outcomes ? outcome_variables(*settings.outcomes, result.outcomes)
                                     : std::vector<output::DatedVariable>{});
  }
  result.record = {.label = label,
                   .scenario = spec_.name,
                   .output = settings.output ? settings.output->string() : "",
                   .status = output::kComplete,
                   .seed = spec_.run.seed,
                   .steps = spec_.run.steps,
                   .wall_seconds = seconds,
                   .file_bytes = settings.output ? std::filesystem::file_size(*settings.output) : 0,
                   .summary = model::summarize(model_->world())};
  for (const auto& faction : spec_.factions) result.record.factions.push_back(faction.id);
  return result;
}

}  // namespace aidflow::run
