#include <catch2/catch.hpp>

#include "cleanroom/base/error.h"
#include "cleanroom/verify/variation.h"

using namespace cleanroom::build;

namespace {
VariationHost roomy() { return {4, 65536}; }
bool has_env(const StepVariation& o, const std::string& kv) {
  for (const auto& e : o.env)
    if (e == kv) return true;
  return false;
}
}  // namespace

TEST_CASE("every variation is on by default and names round-trip") {
  VariationSet set = parse_variation_specs({});
  CHECK(set == VariationSet::all());
  CHECK(set.list().size() == 13);
  CHECK(set.to_string().rfind("environment,build_path,", 0) == 0);
  for (Variation v : all_variations())
    CHECK(parse_variation_specs({std::string("-all,+") + to_string(v)}) == VariationSet::only(v));
}

TEST_CASE("reprotest-style specs apply in order") {
  VariationSet no_time = parse_variation_specs({"-time"});
  CHECK_FALSE(no_time.has(Variation::Time));
  CHECK(no_time.has(Variation::Umask));
  CHECK(parse_variation_specs({"-time,+all"}) == VariationSet::all());
  CHECK(parse_variation_specs({"-all"}).empty());
  CHECK(parse_variation_specs({"+none"}).empty());
  CHECK(parse_variation_specs({"-none"}) == VariationSet::all());
  CHECK(parse_variation_specs({"-all", "umask", " +time "}).to_string() == "time,umask");
  CHECK(parse_variation_specs({"-all,umask,,"}).to_string() == "umask");
}

TEST_CASE("an unknown variation is an input error naming it and the known ones") {
  try {
    parse_variation_specs({"-time,+colour"});
    FAIL("no error");
  } catch (const cleanroom::Error& e) {
    std::string what = e.what();
    CHECK(what.find("'colour'") != std::string::npos);
    CHECK(what.find("fileordering") != std::string::npos);
    CHECK(e.exit_code() == 2);
  }
}

TEST_CASE("applying no variation changes nothing") {
  StepVariation o = apply_variations(VariationSet::none(), roomy());
  CHECK(o.empty());
  CHECK(o.env.empty());
  CHECK(o.build_path_parent.empty());
  CHECK_FALSE(o.umask);
  CHECK(o.hostname.empty());
  CHECK(o.preamble.empty());
  CHECK(o.prefix.empty());
  CHECK_FALSE(o.build_id);
}

TEST_CASE("each variation changes its own knob") {
  auto one = [](Variation v) {
    return apply_variations(VariationSet::only(v), roomy());
  };
  CHECK(has_env(one(Variation::Environment), "CLEANROOM_VARIED=1"));
  CHECK(one(Variation::BuildPath).build_path_parent == "/build-varied");
  CHECK(one(Variation::UserGroup).build_id == 2000u);
  CHECK(has_env(one(Variation::Home), "HOME=/nonexistent/cleanroom-varied-home"));
  CHECK(has_env(one(Variation::Timezone), "TZ=GMT-14"));
  CHECK(has_env(one(Variation::Locales), "LC_ALL=C"));
  CHECK(one(Variation::Umask).umask == 002u);
  CHECK(one(Variation::DomainHost).hostname == "cleanroom-varied");
  CHECK(one(Variation::NumCpus).jobs == 1u);
  CHECK(one(Variation::NumCpus).prefix == "taskset -c 0");
  CHECK(one(Variation::Kernel).prefix == "setarch \"$(uname -m)\" --uname-2.6");
  CHECK(one(Variation::Aslr).prefix == "setarch \"$(uname -m)\" -R");
  StepVariation time = one(Variation::Time);
  CHECK(time.prefix.find("FAKETIME=+") != std::string::npos);
  CHECK(time.preamble.find("libfaketime") != std::string::npos);
  StepVariation order = one(Variation::FileOrdering);
  CHECK(order.preamble.find("gcc ") != std::string::npos);
  CHECK(order.prefix.find("shims.so") != std::string::npos);
}

TEST_CASE("wrappers combine into one prefix with every preload") {
  StepVariation o = apply_variations(VariationSet::all(), roomy());
  const std::string& p = o.prefix;
  // Both shims in one library, before libfaketime, so the clock shim's stat
  // and utime are the ones programs call.
  CHECK(p.rfind("env LD_PRELOAD=\"/tmp/cleanroom-variation/shims.so $cleanroom_faketime\"", 0) == 0);
  CHECK(o.preamble.find("export CLEANROOM_CLOCK_SHIFT=157766400 CLEANROOM_CLOCK_START=$(date +%s)") !=
        std::string::npos);
  CHECK(p.find("--uname-2.6 -R taskset -c 0") != std::string::npos);
}

TEST_CASE("variations the host cannot vary are skipped with a reason") {
  VariationHost small{1, 1};
  CHECK_FALSE(variation_unavailable(Variation::NumCpus, small).empty());
  CHECK_FALSE(variation_unavailable(Variation::UserGroup, small).empty());
  CHECK(variation_unavailable(Variation::Time, small).empty());
  StepVariation o = apply_variations(VariationSet::all(), small);
  CHECK_FALSE(o.jobs);
  CHECK_FALSE(o.build_id);
  CHECK(o.prefix.find("taskset") == std::string::npos);
}

TEST_CASE("only the time variation needs a package in the build root") {
  CHECK(variation_build_packages(VariationSet::all()) == std::vector<std::string>{"faketime"});
  CHECK(variation_build_packages(parse_variation_specs({"-time"})).empty());
}

TEST_CASE("a step applies the variation's umask, job count and preamble in order") {
  StepVariation v = apply_variations(parse_variation_specs({"-all,umask,num_cpus,environment"}),
                                     roomy());
  CHECK(variation_preamble(v).rfind("umask 002\n", 0) == 0);
  std::vector<std::string> env = variation_environment(v);
  CHECK(env == std::vector<std::string>{"CLEANROOM_VARIED=1", "MAKEFLAGS=-j1"});
  CHECK(variation_environment(StepVariation{}).empty());
  CHECK(variation_preamble(StepVariation{}).empty());
}
