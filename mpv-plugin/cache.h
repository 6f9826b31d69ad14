/*
 * Per-file results, so that reopening a file applies the right shader at
 * once. One tab-separated text file in the cache folder, newest entry last,
 * bounded to a number of entries. Writers take an flock on a side lock file
 * and replace the results file by an atomic rename: two mpv instances may
 * write at once, readers never see a half-written file.
 */
#ifndef NP_CACHE_H
#define NP_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "nativeres_estimate.h"

typedef struct np_cache_key {
    const char *path;     /* as mpv reports it */
    int64_t size;         /* file-size, -1 if unknown */
    double duration;      /* seconds, NAN/negative if unknown */
    int w, h;             /* source size */
} np_cache_key;

typedef struct np_cache_entry {
    nr_verdict verdict;
    double height, width; /* native size when upscaled */
    char kernel[32];
    double confidence;
} np_cache_entry;

/* 0 on a hit, -1 on a miss or an unreadable cache. */
int np_cache_lookup(const char *dir, const np_cache_key *k, np_cache_entry *out);
/* Adds or replaces the entry, keeps the newest max_entries. 0 or -1 with a reason. */
int np_cache_store(const char *dir, const np_cache_key *k, const np_cache_entry *e,
                   int max_entries, char *err, size_t err_size);
/* Removes the entry (rescan). */
int np_cache_forget(const char *dir, const np_cache_key *k, char *err, size_t err_size);

/* mkdir -p; 0 or -1. */
int np_mkdirs(const char *path);

#endif
