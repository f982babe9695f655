#include "run/scenario_run.hpp"

#include "model/record/event_table.hpp"
#include "model/record/recorder.hpp"
#include "model/record/summary.hpp"
#include "output/run_writer.hpp"

namespace aidflow::run {

std::string default_label(const std::string& scenario_name,
                          const std::vector<std::string>& overrides) {
  std::string label = scenario_name;
  for (const std::string& o : overrides) label.append(" ").append(o);
  return label;
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

output::RunRecord ScenarioRun::execute(
    const RunSettings& settings, const std::function<void(const engine::Progress&)>& on_step) {
  const std::string label =
      settings.label.empty() ? default_label(spec_.name, settings.overrides) : settings.label;
  output::RunMetadata metadata{.scenario_name = spec_.name,
                               .scenario_file = settings.scenario_file,
                               .scenario_text = spec_.source_text,
                               .label = label,
                               .overrides = settings.overrides,
                               .command_line = settings.command_line,
                               .start_date = model::iso_date(spec_.run.start_date),
                               .seed = spec_.run.seed,
                               .threads = engine::effective_thread_count(settings.threads),
                               .threads_requested = settings.threads,
                               .steps = spec_.run.steps};
  output::RunWriter writer(
      settings.output, model::IndicatorRecorder::dimensions(model_.world()),
      model::IndicatorRecorder::series(), std::move(metadata),
      output::WriterOptions{.overwrite = settings.overwrite, .remove_stale = settings.remove_stale},
      model::event_table(model_.world()));
  model::IndicatorRecorder recorder(model_.world(), writer);
  model_.simulation().add_recorder(recorder);
  double seconds = 0.0;
  model_.simulation().run({.steps = spec_.run.steps, .threads = settings.threads},
                          [&](const engine::Progress& p) {
                            seconds = p.seconds;
                            if (on_step) on_step(p);
                          });
  writer.commit(model::IndicatorRecorder::final_variables(model_.world()));
  output::RunRecord record{.label = label,
                           .scenario = spec_.name,
                           .output = settings.output.string(),
                           .status = output::kComplete,
                           .seed = spec_.run.seed,
                           .steps = spec_.run.steps,
                           .wall_seconds = seconds,
                           .file_bytes = std::filesystem::file_size(settings.output),
                           .summary = model::summarize(model_.world())};
  for (const auto& faction : spec_.factions) record.factions.push_back(faction.id);
  return record;
}

}  // namespace aidflow::run
