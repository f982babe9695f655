#include "model/spec/run.hpp"

#include <cstdio>

namespace aidflow::model {

std::string iso_date(std::chrono::sys_days day) {
  const std::chrono::year_month_day ymd{day};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

int day_of_year(std::chrono::sys_days day) {
  const std::chrono::year_month_day ymd{day};
  return static_cast<int>((day - std::chrono::sys_days{ymd.year() / 1 / 1}).count());
}

}  // namespace aidflow::model
