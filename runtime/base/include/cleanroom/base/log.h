// Logging facade: spdlog stays behind this header so no public header of ours
// includes a third-party one. Messages are preformatted strings.
#pragma once

#include <string>

namespace cleanroom::log {

enum class Level { Debug, Info, Warn, Error, Off };

void set_level(Level level);
void debug(const std::string& message);
void info(const std::string& message);
void warn(const std::string& message);
void error(const std::string& message);

}  // namespace cleanroom::log
