#pragma once
// The parts of phase 6 that are not money: ministries' capture creeping up, influence following
// local strength and patronage, the balance between wings moving ministries (S21), and
// external-operations capacity. Each is in armed/balance.cpp.
#include "model/state/world.hpp"

namespace aidflow::model {

// What a wing can bring to bear in the contest for ministries: fighters, plus cash counted as
// cash_weight fighters per year of upkeep it would pay.
double strength(const World& world, std::size_t f, double fighters, double cash_usd);

// Capture rises with unmonitored infiltration (S13), never above one.
void creep_capture(World& world);
// Each group's fighters at the start, by district: split by population x influence.
void place_fighters(World& world);
// District influence moves toward each group's local strength (its fighters from the district,
// now over at the start) and the loyalty its beneficiary lists bought there; assassinations add
// in the north.
void shift_influence(World& world);
// Every ministry_review_weeks, a wing whose strength has grown well past the holder's may take a
// ministry; each move is an event.
void review_ministries(World& world, int step);
// Complex attacks abroad a group could mount: preparation, multiplied where it controls passports
// and IDs or is supported by a group that does (S3, S10).
void update_external_operations(World& world);

}  // namespace aidflow::model
