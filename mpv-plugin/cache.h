/*
 * Per-file scene timelines, so that playing a file again applies each
 * scene's answer at once. One tab-separated text file in the cache folder
 * (results.tsv), one line per file, newest last, bounded to a number of
 * files. Writers take an flock on a side lock file and replace the
 * results file by an atomic rename: two mpv instances may write at once,
 * readers never see a half-written file. Nothing is written through a
 * symbolic link (O_NOFOLLOW, O_EXCL temporary file), a results file that
 * is not ours, too large or damaged is ignored and said so.
 *
 * A line: path \t file-size \t duration \t WxH \t N \t span 1 \t ... \t span N
 * with a span "start end verdict height width kernel b c confidence"
 * (space-separated; kernel as nr_kernel_name, b/c for bicubics).
 */
#ifndef NP_CACHE_H
#define NP_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "timeline.h"

#define NP_CACHE_MAX_BYTES (8 << 20)   /* a larger results file is not ours */
#define NP_CACHE_MAX_LINE 65536

typedef struct np_cache_key {
    const char *path;     /* as mpv reports it */
    int64_t size;         /* file-size, -1 if unknown */
    double duration;      /* seconds, NAN/negative if unknown */
    int w, h;             /* source size */
} np_cache_key;

/* The file's identity as the line prefix (4 tab-separated fields; tabs,
 * newlines and '%' in paths percent-encoded). */
void np_cache_id(const np_cache_key *k, char *buf, size_t size);

/* Parsers, callable on any bytes (the fuzzer's entry points). */
/* The fields after the id ("N \t span ..."), len bytes, no NUL needed.
 * 0 and a valid timeline, or -1. */
int np_cache_parse_timeline(const char *text, size_t len, np_timeline *out);
/* A whole results file's contents: the newest valid line for id.
 * 1 found, 0 not found, -1 the contents are not a results file of this
 * version (err says why). *bad_lines counts damaged lines (may be NULL). */
int np_cache_find(const char *buf, size_t len, const char *id, np_timeline *out,
                  int *bad_lines, char *err, size_t err_size);

/* The newest timeline of another file in the same folder as k->path
 * (another episode of the show, most likely), of the same source size
 * and with an upscaled scene: 1 found, 0 none, -1 not a results file. */
int np_cache_find_sibling(const char *buf, size_t len, const np_cache_key *k, np_timeline *out);

/* 0 on a hit, -1 on a miss, -2 when the results file is unusable (err
 * says why; the caller logs it and carries on without the cache). */
int np_cache_lookup(const char *dir, const np_cache_key *k, np_timeline *out,
                    char *err, size_t err_size);
/* np_cache_find_sibling on the results file: 0 on a hit, -1 none, -2
 * unusable (err says why). */
int np_cache_lookup_sibling(const char *dir, const np_cache_key *k, np_timeline *out,
                            char *err, size_t err_size);
/* Adds or replaces the file's timeline (an empty one removes it), keeps
 * the newest max_entries files. 0 or -1 with a reason. */
int np_cache_store(const char *dir, const np_cache_key *k, const np_timeline *t,
                   int max_entries, char *err, size_t err_size);
/* Removes the entry (rescan). */
int np_cache_forget(const char *dir, const np_cache_key *k, char *err, size_t err_size);

/* mkdir -p; 0 or -1. */
int np_mkdirs(const char *path);

#endif
