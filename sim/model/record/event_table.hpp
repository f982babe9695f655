#pragma once
// The event table's columns (docs/MODEL.md phase 9) and how a model Event becomes one row of it.
#include "engine/series.hpp"
#include "model/state/world.hpp"

namespace aidflow::model {

engine::EventTableSpec event_table(const World& world);
engine::EventRow event_row(const World& world, const Event& event);

}  // namespace aidflow::model
