// `cleanroom doctor`: checks what this machine offers cleanroom and says how to
// fix each missing piece (the sysctl to set, the package to install).
#pragma once

#include <string>
#include <vector>

namespace cleanroom::build {

enum class CheckLevel { Ok, Warning, Missing };

struct DoctorCheck {
  std::string name;
  CheckLevel level = CheckLevel::Ok;
  std::string detail;  // what was found
  std::string fix;     // what to do, empty when ok
};

std::vector<DoctorCheck> run_doctor(const std::string& store_path);
// 0 when nothing required is missing, 3 (environment) otherwise.
int doctor_exit_code(const std::vector<DoctorCheck>& checks);

}  // namespace cleanroom::build
