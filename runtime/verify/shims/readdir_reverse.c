/* verify's file-order variation: an LD_PRELOAD shim that reads a directory
 * fully on the first readdir and hands the entries out last first. readdir and
 * readdir64 share one layout on 64-bit glibc; one buffer per open DIR, dropped
 * by closedir and rewinddir. Compiled in the build root by the variation's
 * preamble (cleanroom embeds this file), and by cleanroom's own build with
 * warnings as errors, so a mistake fails there and not in a user's build. */
#define _GNU_SOURCE
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
