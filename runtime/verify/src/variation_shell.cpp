#include "variation_shell.h"

#include <fmt/format.h>
#include <vector>

#include "cleanroom/base/join.h"
#include "clock_shift_shim.h"

namespace cleanroom::build {

namespace {

// Reads a directory fully on the first readdir and hands the entries out last
// first. readdir and readdir64 share one layout on 64-bit glibc; one buffer per
// open DIR, dropped by closedir and rewinddir.
constexpr const char* kShim = R"C(#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct slot { DIR *dir; struct dirent64 *ents; size_t n, next; };
static struct slot slots[512];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static struct slot *find(DIR *d) {
  for (size_t i = 0; i < sizeof slots / sizeof *slots; i++)
    if (slots[i].dir == d) return &slots[i];
  return 0;
}

static void drop(DIR *d) {
  pthread_mutex_lock(&lock);
  struct slot *s = find(d);
  if (s) { free(s->ents); memset(s, 0, sizeof *s); }
  pthread_mutex_unlock(&lock);
}

struct dirent64 *readdir64(DIR *d) {
  static struct dirent64 *(*real)(DIR *);
  if (!real) real = (struct dirent64 *(*)(DIR *))dlsym(RTLD_NEXT, "readdir64");
  pthread_mutex_lock(&lock);
  struct slot *s = find(d);
  if (!s) {
    s = find(0);
    if (!s) { pthread_mutex_unlock(&lock); return real(d); }
    s->dir = d;
    size_t cap = 0;
    struct dirent64 *e;
    while ((e = real(d)) != 0) {
      if (s->n == cap) {
        cap = cap ? cap * 2 : 64;
        s->ents = realloc(s->ents, cap * sizeof *s->ents);
        if (!s->ents) abort();
      }
      size_t len = e->d_reclen < sizeof *e ? e->d_reclen : sizeof *e;
      memset(&s->ents[s->n], 0, sizeof *e);
      memcpy(&s->ents[s->n], e, len);
      s->n++;
    }
    s->next = s->n;
  }
  struct dirent64 *out = s->next ? &s->ents[--s->next] : 0;
  pthread_mutex_unlock(&lock);
  return out;
}

struct dirent *readdir(DIR *d) { return (struct dirent *)readdir64(d); }

int closedir(DIR *d) {
  static int (*real)(DIR *);
  if (!real) real = (int (*)(DIR *))dlsym(RTLD_NEXT, "closedir");
  drop(d);
  return real(d);
}

void rewinddir(DIR *d) {
  static void (*real)(DIR *);
  if (!real) real = (void (*)(DIR *))dlsym(RTLD_NEXT, "rewinddir");
  drop(d);
  real(d);
}
)C";

constexpr const char* kDir = "/tmp/cleanroom-variation";

}  // namespace

const char* readdir_shim_source() { return kShim; }

// Both shims go into one library, compiled once without optimisation: the
// compiler's start-up is most of the cost, and it is on the varied build's
// critical path.
Wrapper make_wrapper(const WrapperRequest& r) {
  Wrapper w;
  std::vector<std::string> preload;
  std::string sources;
  if (r.reverse_readdir) sources += kShim;
  if (r.fake_time) sources += clock_shift_shim_source();
  const std::string so = std::string(kDir) + "/shims.so", c = std::string(kDir) + "/shims.c";
  const std::string compile = "gcc -O0 -shared -fPIC -o " + so + " " + c + " -ldl";
  if (!sources.empty()) {
    w.preamble += std::string("mkdir -p ") + kDir + "\n";
    w.preamble += "cat > " + c + " <<'CLEANROOM_SHIM_EOF'\n" + sources + "CLEANROOM_SHIM_EOF\n";
  }
  if (r.reverse_readdir) {
    w.preamble += compile + "\nchmod -R a+rX " + kDir + "\n";
    preload.push_back(so);
  }
  if (r.fake_time) {
    // The multiarch directory is the build root's, not the host's.
    w.preamble += "cleanroom_faketime=$(echo /usr/lib/*/faketime/libfaketime.so.1)\n";
    w.preamble += "[ -f \"$cleanroom_faketime\" ] || { echo 'libfaketime is missing' >&2; exit 1; }\n";
    // File times follow the clock where the build root has a compiler; a
    // venv's has none, and keeps libfaketime's real file times.
    if (!r.reverse_readdir) {
      w.preamble += "cleanroom_clock_shift=\nif command -v gcc >/dev/null && " + compile +
                    "; then cleanroom_clock_shift=" + so + "; chmod -R a+rX " + kDir + "; fi\n";
      preload.push_back("$cleanroom_clock_shift");
    }
    w.preamble += fmt::format("export CLEANROOM_CLOCK_SHIFT={} CLEANROOM_CLOCK_START=$(date +%s)\n",
                              kClockShiftSeconds);
    preload.push_back("$cleanroom_faketime");
  }
  std::string prefix;
  if (!preload.empty()) {
    prefix += "env LD_PRELOAD=\"" + join(preload, " ") + "\"";
    // Monotonic clocks stay real: make and timeouts misbehave otherwise.
    // libfaketime leaves file times alone (NO_FAKE_STAT); the clock shim moves
    // those stamped from the build's start on.
    if (r.fake_time)
      prefix += fmt::format(" FAKETIME=+{}d FAKETIME_DONT_FAKE_MONOTONIC=1 NO_FAKE_STAT=1",
                            kClockShiftSeconds / 86400);
  }
  if (r.uname26 || r.no_aslr) {
    prefix += std::string(prefix.empty() ? "" : " ") + "setarch \"$(uname -m)\"";
    if (r.uname26) prefix += " --uname-2.6";
    if (r.no_aslr) prefix += " -R";
  }
  if (r.one_cpu) prefix += std::string(prefix.empty() ? "" : " ") + "taskset -c 0";
  w.prefix = prefix;
  return w;
}

}  // namespace cleanroom::build
