#pragma once
// The one owner of the aid ledger's sink layout: where a cent a donor disbursed can end. Every
// other file asks this type for a sink's index or what an index means; none counts offsets.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace aidflow::model {

// How diverted money leaves the aid chain (docs/MODEL.md phase 4). Overhead is not diversion.
enum class Mechanism : std::uint8_t { MinistryCapture = 0, LocalTax = 1, BeneficiaryList = 2 };
inline constexpr int kMechanisms = 3;
inline constexpr std::array<const char*, kMechanisms> kMechanismNames = {
    "ministry_capture", "local_tax", "beneficiary_list"};

// delivered: reached households as aid; overhead: the channels' cost; counter_terrorism: security
// money that reached its purpose (operations run by the ministry); diverted: taken by a faction.
enum class SinkKind : std::uint8_t { Delivered, Overhead, CounterTerrorism, Diverted };
inline constexpr std::array<const char*, 4> kSinkKindNames = {"delivered", "overhead",
                                                              "counter_terrorism", "diverted"};

class SinkLayout {
 public:
  explicit SinkLayout(std::size_t factions) : factions_(factions) {}

  static constexpr std::size_t delivered() { return 0; }
  static constexpr std::size_t overhead() { return 1; }
  static constexpr std::size_t counter_terrorism() { return 2; }
  std::size_t diverted(std::size_t faction, Mechanism m) const {
    return kFirstDiverted + faction * kMechanisms + static_cast<std::size_t>(m);
  }
  std::size_t size() const { return kFirstDiverted + factions_ * kMechanisms; }

  struct Decoded {
    SinkKind kind;
    std::size_t faction = 0;  // for Diverted
    Mechanism mechanism = Mechanism::MinistryCapture;
  };
  Decoded decode(std::size_t sink) const {
    if (sink < kFirstDiverted) return {static_cast<SinkKind>(sink)};
    const std::size_t k = sink - kFirstDiverted;
    return {SinkKind::Diverted, k / kMechanisms, static_cast<Mechanism>(k % kMechanisms)};
  }

  // "delivered", "overhead", "counter_terrorism", "diverted:<faction>:<mechanism>".
  std::vector<std::string> names(const std::vector<std::string>& faction_ids) const {
    std::vector<std::string> out(kSinkKindNames.begin(), kSinkKindNames.end() - 1);
    for (const auto& id : faction_ids) {
      for (const char* mechanism : kMechanismNames)
        out.push_back("diverted:" + id + ":" + mechanism);
    }
    return out;
  }

 private:
  static constexpr std::size_t kFirstDiverted = 3;
  std::size_t factions_;
};

}  // namespace aidflow::model
