#include "cleanroom/base/log.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace cleanroom::log {

namespace {
spdlog::logger& logger() {
  // Logs go to stderr so stdout stays clean for --json and command output.
  static auto instance = [] {
    auto l = spdlog::stderr_color_st("cleanroom");
    l->set_pattern("%^%l%$: %v");
    l->set_level(spdlog::level::info);
    return l;
  }();
  return *instance;
}
}  // namespace

void set_level(Level level) {
  static const spdlog::level::level_enum map[] = {spdlog::level::debug, spdlog::level::info,
                                                  spdlog::level::warn, spdlog::level::err,
                                                  spdlog::level::off};
  logger().set_level(map[static_cast<int>(level)]);
}
void debug(const std::string& m) { logger().debug(m); }
void info(const std::string& m) { logger().info(m); }
void warn(const std::string& m) { logger().warn(m); }
void error(const std::string& m) { logger().error(m); }

}  // namespace cleanroom::log
