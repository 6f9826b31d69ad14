/*
 * Helpers of the plugin's end-to-end tests: paths, generated clips, running
 * mpv and reading back what the plugin (and the observer plugin beside it)
 * wrote into mpv's log.
 */
#ifndef NP_E2E_UTIL_H
#define NP_E2E_UTIL_H

#include <stdbool.h>
#include <stddef.h>

typedef struct e2e_env {
    const char *plugin;      /* nativeres.so */
    const char *asan_plugin; /* nativeres.so built with AddressSanitizer */
    const char *observer;    /* observer.so */
    const char *synth;       /* nr-synth */
    const char *host;        /* nr-mpv-host */
    char work[4096];         /* scratch folder of this scenario */
} e2e_env;

/* One "observer: shaders" line. */
typedef struct shader_event {
    double t, pos;
    char list[2048];
} shader_event;

#define MAX_LINES 256

typedef struct mpv_log {
    char *text;                          /* whole log */
    char verdicts[MAX_LINES][256];       /* "verdict=..." lines, in order */
    int num_verdicts;
    shader_event shaders[MAX_LINES];
    int num_shaders;
    int warnings;                        /* "nativeres: warning:" lines */
} mpv_log;

extern int e2e_failures;

#define CHECK(cond, ...) \
    do { \
        if (!(cond)) { \
            e2e_failures++; \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
            fprintf(stderr, __VA_ARGS__); \
            fputc('\n', stderr); \
        } \
    } while (0)

/* Runs a shell command line (timeout in seconds), output into out_path.
 * Returns the exit status, or -1 if it died or timed out. */
int e2e_sh(double timeout, const char *out_path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A clip of nr-synth frames at `fps`, lossless (FFV1 in Matroska), made
 * once into the work folder's parent (shared by scenarios). synth_args
 * are nr-synth options. Returns a static path or NULL. */
const char *e2e_clip(const e2e_env *env, const char *name, double fps, const char *synth_args);

/* Reads an mpv log (CLI --log-file or nr-mpv-host --log). */
bool e2e_read_log(const char *path, mpv_log *log);
void e2e_free_log(mpv_log *log);

/* Index of the first shader event whose list contains needle, or -1. */
int e2e_first_with(const mpv_log *log, const char *needle);
/* Number of lines of the log containing needle. */
int e2e_count(const mpv_log *log, const char *needle);

#endif
