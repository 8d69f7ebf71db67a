#include "cleanroom/python/resolver.h"

#include <catch2/catch.hpp>

#include "cleanroom/base/atomic_file.h"
#include "cleanroom/base/temp_dir.h"
#include "cleanroom/python/distribution.h"
#include "input_error.h"

using namespace cleanroom;
using namespace cleanroom::python;

namespace {

// A fixture world: file names plus the METADATA each wheel would hold.
struct World {
  std::vector<std::string> files;
  std::map<std::string, std::string> metadata;

  void wheel(const std::string& filename, const std::string& headers = "") {
    files.push_back(filename);
    auto w = WheelName::parse(filename);
    metadata[filename] = "Metadata-Version: 2.1\nName: " + w.name +
                         "\nVersion: " + w.version.str() + "\n" + headers +
                         "\n\nlong description\nRequires-Dist: not-a-header\n";
  }

  ResolveInput input(const std::vector<std::string>& reqs,
                     const std::vector<std::string>& cons = {}) {
    ResolveInput in;
    auto listing = distributions_from_filenames(files);
    for (auto& d : listing.distributions) {
      auto it = metadata.find(d.filename);
      if (it != metadata.end()) d.set_metadata(parse_core_metadata(it->second, d.filename));
    }
    in.available = listing.distributions;
    int line = 0;
    for (const auto& r : reqs) {
      in.requirements.push_back(Requirement::parse(r));
      in.requirements.back().origin = "requirements.txt:" + std::to_string(++line);
    }
    line = 0;
    for (const auto& c : cons) {
      in.constraints.push_back(Requirement::parse(c));
      in.constraints.back().origin = "upper-constraints.txt:" + std::to_string(++line);
    }
    in.environment = MarkerEnvironment::linux_cpython("3.11.2");
    return in;
  }
};

std::string summary(const Plan& plan) {
  std::string out;
  for (const auto& e : plan.entries) {
    out += e.key + "=" + e.version.str() +
           (e.action == PlanEntry::Action::UseWheel ? " wheel" : " sdist") + "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("core metadata: Requires-Dist with markers and extras, folded headers, body ignored") {
  auto md = parse_core_metadata(
      "Metadata-Version: 2.1\r\nName: greet-svc\nVersion: 1.0\nRequires-Python: >=3.8\n"
      "Requires-Dist: hello-cli (>=0.1)\nRequires-Dist: uvloop ; extra == 'fast'\n"
      "Provides-Extra: Fast\nSummary: a\n  folded line\n\nRequires-Dist: ignored\n",
      "greet.whl: METADATA");
  CHECK(md.name == "greet-svc");
  CHECK(md.version == "1.0");
  REQUIRE(md.requires_dist.size() == 2);
  CHECK(md.requires_dist[0].str() == "hello-cli>=0.1");
  CHECK(md.requires_dist[1].str() == "uvloop; extra == \"fast\"");
  CHECK(md.requires_dist[1].origin == "greet.whl: METADATA:6");
  CHECK(md.provides_extra == std::vector<std::string>{"fast"});
  REQUIRE(md.requires_python);
  CHECK(md.requires_python->str() == ">=3.8");
  CHECK_THAT(
      input_error_of([] { parse_core_metadata("Name: x\nRequires-Dist: a @ http://x\n", "m"); }),
      Catch::Contains("m:2: "));
}

TEST_CASE("metadata that contradicts its file name is refused") {
  auto d = distributions_from_filenames({"a-1.0-py3-none-any.whl"}).distributions.at(0);
  CHECK_THAT(
      input_error_of([&] { d.set_metadata(parse_core_metadata("Name: b\nVersion: 1.0\n", "m")); }),
      Catch::Contains("'a-1.0-py3-none-any.whl' holds metadata of b 1.0"));
  CHECK_THAT(
      input_error_of([&] { d.set_metadata(parse_core_metadata("Name: A\nVersion: 2\n", "m")); }),
      Catch::Contains("holds metadata of A 2"));
  CHECK_NOTHROW(d.set_metadata(parse_core_metadata("Name: A\nVersion: 1.0.0\n", "m")));
}

TEST_CASE("listing classifies wheels and sdists and rejects malformed names together") {
  auto l = distributions_from_filenames(
      {"b-1.0.tar.gz", "README", "a-2.0-py3-none-any.whl", "a-1.0.zip"});
  REQUIRE(l.distributions.size() == 3);
  CHECK(l.distributions[0].filename == "a-1.0.zip");
  CHECK(l.distributions[1].kind == Distribution::Kind::Wheel);
  CHECK(l.ignored == std::vector<std::string>{"README"});
  std::string msg = input_error_of([] { distributions_from_filenames({"x.whl", "y.tar.gz"}); });
  CHECK_THAT(msg, Catch::Contains("'x.whl'"));
  CHECK_THAT(msg, Catch::Contains("'y.tar.gz'"));

  TempDir dir;
  write_file_atomic(dir.path() + "/b-1.0.tar.gz", "");
  write_file_atomic(dir.path() + "/.hidden", "");
  write_file_atomic(dir.path() + "/a-1.0-py3-none-any.whl", "");
  CHECK(list_directory(dir.path()) ==
        std::vector<std::string>{"a-1.0-py3-none-any.whl", "b-1.0.tar.gz"});
  CHECK_THROWS_AS(list_directory(dir.path() + "/none"), Error);
}

TEST_CASE("resolution picks the highest allowed version and follows dependencies with extras") {
  World w;
  w.wheel("greet_svc-1.0-py3-none-any.whl",
          "Requires-Dist: hello-cli>=0.2\nRequires-Dist: uvloop; extra == 'fast'\n"
          "Requires-Dist: pywin32; sys_platform == 'win32'\nRequires-Dist: tomli; python_version < "
          "'3.11'");
  w.wheel("greet_svc-2.0-py3-none-any.whl", "Requires-Dist: hello-cli>=0.3");
  w.wheel("hello_cli-0.1-py3-none-any.whl");
  w.wheel("hello_cli-0.2-py3-none-any.whl", "Requires-Dist: six");
  w.wheel("hello_cli-0.3-py3-none-any.whl");
  w.files.push_back("hello-cli-0.4.tar.gz");
  w.wheel("six-1.16.0-py2.py3-none-any.whl");
  w.files.push_back("uvloop-0.19.0.tar.gz");
  w.wheel("uvloop-0.19.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl");
  w.wheel("uvloop-0.19.0-cp312-cp312-manylinux_2_17_x86_64.whl");

  Plan plan = resolve(w.input({"greet-svc[fast]"}, {"greet-svc===1.0", "hello-cli<0.3"}));
  CHECK(summary(plan) ==
        "greet-svc=1.0 wheel\nhello-cli=0.2 wheel\nsix=1.16.0 wheel\nuvloop=0.19.0 wheel\n");
  CHECK(plan.complete());
  CHECK(plan.find("uvloop")->filename ==
        "uvloop-0.19.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl");
  CHECK(plan.find("six")->required_by == std::vector<std::string>{"hello_cli 0.2"});
  CHECK(plan.find("greet-svc")->required_by == std::vector<std::string>{"requirements.txt:1"});
  CHECK(plan.find("greet-svc")->extras == std::set<std::string>{"fast"});

  // Without constraints the newest versions win, and an sdist is planned for building.
  Plan free = resolve(w.input({"greet-svc"}));
  CHECK(summary(free) == "greet-svc=2.0 wheel\nhello-cli=0.4 sdist\n");
  CHECK_FALSE(free.complete());
  REQUIRE(free.sdists().size() == 1);
  CHECK(free.sdists()[0]->filename == "hello-cli-0.4.tar.gz");
  CHECK(free.wheels().size() == 1);
  CHECK(describe_plan(plan).front() ==
        "greet-svc[fast] 1.0: use greet_svc-1.0-py3-none-any.whl (required by requirements.txt:1)");
  CHECK(describe_plan(free).back() ==
        "hello-cli 0.4: build hello-cli-0.4.tar.gz (required by greet_svc 2.0); dependencies known "
        "after the build");
}

TEST_CASE("re-picking a version withdraws the old version's dependencies") {
  World w;
  w.wheel("a-2.0-py3-none-any.whl", "Requires-Dist: old-dep");
  w.wheel("a-1.0-py3-none-any.whl");
  w.wheel("old_dep-1.0-py3-none-any.whl", "Requires-Dist: c");
  w.wheel("c-1.0-py3-none-any.whl");
  w.wheel("b-1.0-py3-none-any.whl", "Requires-Dist: a<2");
  Plan plan = resolve(w.input({"a", "b"}));
  CHECK(summary(plan) == "a=1.0 wheel\nb=1.0 wheel\n");
}

TEST_CASE("pre-releases are chosen only when named or when nothing else fits") {
  World w;
  w.wheel("a-1.0-py3-none-any.whl");
  w.wheel("a-2.0b1-py3-none-any.whl");
  w.wheel("b-3.0rc1-py3-none-any.whl");
  CHECK(summary(resolve(w.input({"a"}))) == "a=1.0 wheel\n");
  CHECK(summary(resolve(w.input({"a>=2.0b1"}))) == "a=2.0b1 wheel\n");
  CHECK(summary(resolve(w.input({"b"}))) == "b=3.0rc1 wheel\n");
}

TEST_CASE("requires-python and target tags exclude versions") {
  World w;
  w.wheel("a-2.0-py3-none-any.whl", "Requires-Python: >=3.12");
  w.wheel("a-1.0-py3-none-any.whl", "Requires-Python: >=3.8");
  w.wheel("n-2.0-cp312-cp312-manylinux2014_x86_64.whl");
  w.wheel("n-1.0-cp311-abi3-linux_x86_64.whl");
  CHECK(summary(resolve(w.input({"a", "n"}))) == "a=1.0 wheel\nn=1.0 wheel\n");
}

TEST_CASE("conflicts and missing distributions are all reported, naming who asked for what") {
  World w;
  w.wheel("app-1.0-py3-none-any.whl", "Requires-Dist: lib>=2\nRequires-Dist: ghost");
  w.wheel("lib-1.5-py3-none-any.whl");
  w.wheel("lib-2.1-cp312-cp312-manylinux2014_x86_64.whl");
  w.wheel("other-1.0-py3-none-any.whl");
  std::string msg = input_error_of([&] { resolve(w.input({"app", "other>=2"}, {"lib<=3"})); });
  CHECK_THAT(
      msg,
      Catch::Contains(
          "no version of 'lib' satisfies >=2 (required by app 1.0), <=3 (constraint "
          "upper-constraints.txt:1); available: 1.5, 2.1; 2.1 has only wheels for other targets"));
  CHECK_THAT(msg, Catch::Contains(
                      "'ghost' (required by app 1.0) is not among the available distributions"));
  CHECK_THAT(
      msg, Catch::Contains("no version of 'other' satisfies >=2 (required by requirements.txt:2)"));
  CHECK(std::count(msg.begin(), msg.end(), '\n') == 2);
}

TEST_CASE("hashes given in requirements must match known file hashes") {
  World w;
  w.wheel("a-1.0-py3-none-any.whl");
  auto in = w.input({"a"});
  in.available[0].sha256 = std::string(64, 'b');
  in.requirements[0].hashes = {"sha256:" + std::string(64, 'c')};
  CHECK_THAT(input_error_of([&] { resolve(in); }), Catch::Contains("does not match the --hash"));
  in.requirements[0].hashes.push_back("sha256:" + std::string(64, 'b'));
  CHECK(summary(resolve(in)) == "a=1.0 wheel\n");
}
