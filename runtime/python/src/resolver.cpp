// Resolution keeps, for each name, the demands on it (a requirement and who
// made it). Picking a version for a name adds that version's dependencies as
// demands; re-picking or dropping a name first withdraws the demands it made,
// so no stale requirement of a version that is no longer chosen can constrain
// anything. The work queue runs until nothing changes.
#include "cleanroom/python/resolver.h"

#include <algorithm>
#include <deque>
#include <map>

#include "cleanroom/base/error.h"
#include "cleanroom/base/join.h"
#include "cleanroom/python/diagnostics.h"

namespace cleanroom::python {
namespace {

struct Demand {
  Requirement req;
  std::string source;  // key of the distribution that made it; "" for top level
  std::string by;      // for messages: "greet-svc 1.0" or "recipe.toml:3"
};

struct Pick {
  const Distribution* dist = nullptr;
  std::set<std::string> extras;
};

struct Choice {
  const Distribution* dist = nullptr;
  std::string why_not;  // when dist is null
};

class Resolver {
 public:
  explicit Resolver(const ResolveInput& in) : in_(in), tags_(in.target.supported_tags()) {
    auto python = Version::parse(value("python_full_version"));
    if (python) python_ = *python;
    for (const auto& d : in_.available) by_key_[d.key].push_back(&d);
    for (const auto& c : in_.constraints) {
      if (c.applies(in_.environment)) constraints_[c.key].push_back(&c);
    }
  }

  Plan run() {
    for (const auto& r : in_.requirements) {
      if (!r.applies(in_.environment)) continue;
      demands_[r.key].push_back({r, "", r.origin.empty() ? "the requirements" : r.origin});
      enqueue(r.key);
    }
    // Each step either settles a name or changes a pick; a bound turns a
    // (theoretical) oscillation into an error instead of a hang.
    std::size_t steps = 0, limit = 1000 + 100 * in_.available.size();
    while (!queue_.empty()) {
      if (++steps > limit)
        throw_input("resolution did not settle; pin the versions in the constraints");
      std::string key = queue_.front();
      queue_.pop_front();
      queued_.erase(key);
      process(key);
    }
    return finish();
  }

 private:
  std::string value(const std::string& var) const {
    auto it = in_.environment.values.find(var);
    return it == in_.environment.values.end() ? "" : it->second;
  }

  void enqueue(const std::string& key) {
    if (queued_.insert(key).second) queue_.push_back(key);
  }

  void withdraw_demands_of(const std::string& source) {
    for (auto& [key, list] : demands_) {
      auto end = std::remove_if(list.begin(), list.end(),
                                [&](const Demand& d) { return d.source == source; });
      if (end != list.end()) {
        list.erase(end, list.end());
        enqueue(key);
      }
    }
  }

  bool dependency_applies(const Requirement& dep, const std::set<std::string>& extras) const {
    if (dep.applies(in_.environment.with_extra(""))) return true;
    return std::any_of(extras.begin(), extras.end(), [&](const std::string& e) {
      return dep.applies(in_.environment.with_extra(e));
    });
  }

  void unpick(const std::string& key) {
    if (picks_.erase(key)) withdraw_demands_of(key);
  }

  void process(const std::string& key) {
    const auto& list = demands_[key];
    if (list.empty()) {
      problems_.erase(key);
      unpick(key);
      return;
    }
    std::set<std::string> extras;
    for (const auto& d : list) extras.insert(d.req.extras.begin(), d.req.extras.end());
    Choice choice = choose(key, list);
    if (!choice.dist) {
      problems_[key] = choice.why_not;
      unpick(key);
      return;
    }
    problems_.erase(key);
    auto it = picks_.find(key);
    if (it != picks_.end() && it->second.dist == choice.dist && it->second.extras == extras) return;
    unpick(key);
    picks_[key] = {choice.dist, extras};
    if (!choice.dist->requires_dist) return;
    std::string by = choice.dist->name + " " + choice.dist->version.str();
    for (const auto& dep : *choice.dist->requires_dist) {
      if (!dependency_applies(dep, extras)) continue;
      demands_[dep.key].push_back({dep, key, by});
      enqueue(dep.key);
    }
  }

  bool hash_ok(const Distribution& d, const std::vector<const Requirement*>& reqs) const {
    if (d.sha256.empty()) return true;  // unknown here: pip --require-hashes checks later
    for (const auto* r : reqs) {
      if (r->hashes.empty()) continue;
      if (std::find(r->hashes.begin(), r->hashes.end(), "sha256:" + d.sha256) == r->hashes.end())
        return false;
    }
    return true;
  }

  // The best file for one version: the most specific compatible wheel, else the sdist.
  const Distribution* best_file(const std::vector<const Distribution*>& files) const {
    const Distribution* best = nullptr;
    std::size_t best_rank = 0;
    const Distribution* sdist = nullptr;
    for (const auto* d : files) {
      if (d->kind == Distribution::Kind::Sdist) {
        if (!sdist) sdist = d;
        continue;
      }
      auto rank = wheel_rank(*d->wheel, tags_);
      if (!rank) continue;
      // Lower rank is a better tag; for equal tags a higher build number wins.
      if (!best || *rank < best_rank ||
          (*rank == best_rank &&
           d->wheel->build_number.value_or(0) > best->wheel->build_number.value_or(0))) {
        best = d;
        best_rank = *rank;
      }
    }
    return best ? best : sdist;
  }

  Choice choose(const std::string& key, const std::vector<Demand>& list) const {
    auto found = by_key_.find(key);
    std::string wanted_by = join(list, ", ", [](const Demand& d) { return d.by; });
    if (found == by_key_.end()) {
      return {
          nullptr,
          "'" + key + "' (required by " + wanted_by +
              ") is not among the available distributions; add its sdist or wheel to the sources"};
    }
    std::vector<const Requirement*> reqs;
    for (const auto& d : list) reqs.push_back(&d.req);
    auto cons = constraints_.find(key);
    if (cons != constraints_.end())
      reqs.insert(reqs.end(), cons->second.begin(), cons->second.end());
    bool named_pre = std::any_of(reqs.begin(), reqs.end(), [](const Requirement* r) {
      return r->specifiers.admits_prereleases();
    });

    // Group by version, highest first.
    std::map<Version, std::vector<const Distribution*>, std::greater<>> versions;
    for (const auto* d : found->second) versions[d->version].push_back(d);

    std::vector<std::string> rejected;
    for (bool allow_pre : {named_pre, true}) {
      for (const auto& [version, files] : versions) {
        const Version& candidate = version;  // clang 14 cannot capture structured bindings
        bool fits = std::all_of(reqs.begin(), reqs.end(), [&](const Requirement* r) {
          return r->specifiers.contains(candidate, allow_pre);
        });
        if (!fits) continue;
        const Distribution* file = best_file(files);
        if (!file) {
          if (allow_pre == named_pre)
            rejected.push_back(version.str() + " has only wheels for other targets (" +
                               files.front()->filename + ")");
          continue;
        }
        if (file->requires_python && !file->requires_python->contains(python_, true)) {
          if (allow_pre == named_pre)
            rejected.push_back(version.str() + " requires Python " + file->requires_python->str());
          continue;
        }
        if (!hash_ok(*file, reqs)) {
          if (allow_pre == named_pre)
            rejected.push_back(version.str() + " does not match the --hash given");
          continue;
        }
        return {file, ""};
      }
      // Pre-releases only when no final release fits (packaging's rule).
      if (named_pre) break;
    }
    std::string asks = join(list, ", ", [](const Demand& d) {
      return (d.req.specifiers.empty() ? std::string("any version") : d.req.specifiers.str()) +
             " (required by " + d.by + ")";
    });
    if (cons != constraints_.end()) {
      for (const auto* c : cons->second) {
        asks += ", " + (c->specifiers.empty() ? std::string("any version") : c->specifiers.str()) +
                " (constraint " + (c->origin.empty() ? "" : c->origin) + ")";
      }
    }
    // Newest first. Not std::views::reverse: clang 14 (the fuzz build) cannot
    // compile libstdc++ 12's ranges.
    std::vector<std::string> available;
    for (auto it = versions.rbegin(); it != versions.rend(); ++it)
      available.push_back(it->first.str());
    std::string have = join(available, ", ");
    std::string why = "no version of '" + key + "' satisfies " + asks + "; available: " + have;
    for (const auto& r : rejected) why += "; " + r;
    return {nullptr,
            why + "; change the requirements or constraints, or add a matching distribution"};
  }

  Plan finish() const {
    Diagnostics diag;
    for (const auto& [key, why] : problems_) diag.add(why);
    diag.throw_if_any();
    Plan plan;
    for (const auto& [key, pick] : picks_) {
      const Distribution& d = *pick.dist;
      PlanEntry e;
      e.action = d.kind == Distribution::Kind::Wheel ? PlanEntry::Action::UseWheel
                                                     : PlanEntry::Action::BuildSdist;
      e.key = key;
      e.name = d.name;
      e.version = d.version;
      e.filename = d.filename;
      e.extras = pick.extras;
      e.dependencies_known = d.requires_dist.has_value();
      auto it = demands_.find(key);
      if (it != demands_.end()) {
        for (const auto& dem : it->second) e.required_by.push_back(dem.by);
      }
      std::sort(e.required_by.begin(), e.required_by.end());
      e.required_by.erase(std::unique(e.required_by.begin(), e.required_by.end()),
                          e.required_by.end());
      plan.entries.push_back(std::move(e));
    }
    return plan;
  }

  const ResolveInput& in_;
  std::vector<Tag> tags_;
  Version python_;
  std::map<std::string, std::vector<const Distribution*>> by_key_;
  std::map<std::string, std::vector<const Requirement*>> constraints_;
  std::map<std::string, std::vector<Demand>> demands_;
  std::map<std::string, Pick> picks_;
  std::map<std::string, std::string> problems_;
  std::deque<std::string> queue_;
  std::set<std::string> queued_;
};

}  // namespace

bool Plan::complete() const {
  return std::all_of(entries.begin(), entries.end(),
                     [](const PlanEntry& e) { return e.dependencies_known; });
}

std::vector<const PlanEntry*> Plan::wheels() const {
  std::vector<const PlanEntry*> out;
  for (const auto& e : entries) {
    if (e.action == PlanEntry::Action::UseWheel) out.push_back(&e);
  }
  return out;
}

std::vector<const PlanEntry*> Plan::sdists() const {
  std::vector<const PlanEntry*> out;
  for (const auto& e : entries) {
    if (e.action == PlanEntry::Action::BuildSdist) out.push_back(&e);
  }
  return out;
}

const PlanEntry* Plan::find(const std::string& key) const {
  for (const auto& e : entries) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

Plan resolve(const ResolveInput& input) { return Resolver(input).run(); }

std::vector<std::string> describe_plan(const Plan& plan) {
  std::vector<std::string> lines;
  for (const auto& e : plan.entries) {
    std::string line = e.key;
    if (!e.extras.empty()) line += "[" + join(e.extras, ",") + "]";
    line += " " + e.version.str() + ": " +
            (e.action == PlanEntry::Action::UseWheel ? "use " : "build ") + e.filename;
    std::string by = join(e.required_by, ", ");
    if (!by.empty()) line += " (required by " + by + ")";
    if (!e.dependencies_known) line += "; dependencies known after the build";
    lines.push_back(line);
  }
  return lines;
}

}  // namespace cleanroom::python
