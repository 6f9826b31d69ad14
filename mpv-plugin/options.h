/*
 * The plugin's options, read the way every mpv script reads them:
 * `~~/script-opts/nativeres.conf` (key=value lines) first, then
 * `--script-opts=nativeres-KEY=VALUE` on top. Unknown keys and bad values
 * produce a warning and keep the default. No mpv dependency here: the
 * plugin feeds the key/value pairs in, tests do the same.
 */
#ifndef NP_OPTIONS_H
#define NP_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "nativeres.h"

#define NP_MAX_KERNELS 16
#define NP_MAX_KNOWN 64
#define NP_PATH_MAX 4096

/* One entry of the user's table of known shows: a filename pattern
 * (fnmatch, case-insensitive, matched against the file's base name and its
 * full path) and what to do with it. */
typedef struct np_known_show {
    char pattern[256];
    bool native;          /* "native": never descale this show */
    double height;        /* else descale from this height (may be fractional) */
    nr_kernel kernel;
    char kernel_name[32];
} np_known_show;

typedef enum np_mode {
    NP_MODE_RESCALE,      /* the rescale chain: descale, credit mask, upscale, merge */
    NP_MODE_DESCALE,      /* descale luma to the native size only */
} np_mode;

typedef enum np_preset {
    NP_PRESET_AUTO,       /* fast when the user's doubler follows ours, else balanced,
                           * stepping down when the GPU cannot keep up */
    NP_PRESET_FAST,
    NP_PRESET_BALANCED,
    NP_PRESET_HQ,
} np_preset;

typedef enum np_compute {
    NP_COMPUTE_AUTO,      /* compute passes wherever the context has them (all but
                           * macOS's OpenGL and ANGLE), fragment passes there */
    NP_COMPUTE_YES,
    NP_COMPUTE_NO,
} np_compute;

typedef struct np_options {
    bool autodetect;                    /* auto: detect on every file */
    double min_height, max_height;      /* 0 = the estimator's range for the frame */
    nr_kernel kernels[NP_MAX_KERNELS];  /* kernels the estimator tries */
    char kernel_names[NP_MAX_KERNELS][32];
    int num_kernels;                    /* 0 = the estimator's default list */
    double confidence;                  /* a verdict below this counts as unsure */
    double interval;                    /* seconds of playback between grabs when steady */
    int early_frames;                   /* grabs right after load / seek */
    double early_interval;              /* seconds between those */
    double early_window;                /* seconds after a load, seek or cut with quick
                                         * grabs while the scene is undecided */
    double cpu_budget;                  /* share of one core the window's quick grabs may
                                         * keep the analysis at, over about a minute */
    double prefer_ref;                  /* seconds a grab due on a B-frame may wait for an
                                         * I- or P-frame (0: grab any frame) */
    double scene_threshold;             /* nr_scene_difference that marks a cut (0..2) */
    int switch_frames;                  /* agreeing grabs needed to change what runs */
    int off_frames;                     /* agreeing "unsure" grabs needed to switch off */
    bool fractional;                    /* let the estimator answer fractional heights */
    np_mode mode;
    np_preset preset;
    double lines;                       /* line enhancement after our upscale, 0 = off */
    bool chroma;                        /* chroma from our luma in balanced / hq */
    bool chroma_learned;                /* chroma=learned: with the learned residual (a fourth
                                           pass, about 0.13x the descale more) */
    np_compute compute;                 /* hq's network as compute passes (one per
                                         * layer, about 3x cheaper) or fragment passes */
    int ensemble;                       /* hq's self-ensemble: 0 auto (3 members with
                                         * compute passes, the network alone with
                                         * fragment passes), else 1..3 members */
    bool dpid;                          /* rescale output larger than the picture on
                                         * screen: DPID to the screen size, not dscale */
    double min_realtime;                /* auto: step down below this fraction of real
                                         * time or on dropped frames; 0 = never */
    bool cache;                         /* remember results per file */
    int cache_entries;                  /* bound on the results file */
    char cache_dir[NP_PATH_MAX];        /* "" = $XDG_CACHE_HOME/nativeres */
    bool osd;                           /* OSD message on every change */
    bool verbose;                       /* one log line per analysed frame */
    np_known_show known[NP_MAX_KNOWN];
    int num_known;
} np_options;

typedef void (*np_warn_fn)(void *ctx, const char *msg);

void np_options_default(np_options *o);

/* Whether hq's network runs as compute passes under `compute`, given mpv's
 * GPU context (the current-gpu-context property of mpv 0.36+, else the
 * gpu-context option unless "auto"; NULL when unknown) and, when that is
 * unknown, the gpu-api option (NULL when unknown). A guess: mpv's log has
 * the last word (render_errors.h). */
bool np_hq_compute(np_compute compute, const char *gpu_context, const char *gpu_api);

/* Members of hq's self-ensemble under `ensemble` (0 = auto) when the
 * network runs as compute passes or not: auto is 3 (the mirror and polarity
 * mean, about 0.8x ArtCNN C4F16's cost) with compute passes and 1 with
 * fragment passes, where three networks would cost about 3x ArtCNN's. */
int np_hq_ensemble(int ensemble, bool compute);

/* Applies one key (without the "nativeres-" prefix). On an unknown key or a
 * bad value calls warn with a one-line message and leaves the option as it
 * was. Returns true when applied. `known` entries accumulate. */
bool np_options_set(np_options *o, const char *key, const char *value,
                    np_warn_fn warn, void *ctx);

/* Reads a script-opts file (key=value per line, '#' comments). Returns -1
 * (silently) if it cannot be opened. */
int np_options_load_file(np_options *o, const char *path,
                         np_warn_fn warn, void *ctx);

/* Parses one "pattern:height:kernel" or "pattern:native" entry. */
bool np_known_parse(const char *text, np_known_show *out);

/* The first known-show entry matching path (full path or its base name),
 * or NULL. */
const np_known_show *np_known_match(const np_options *o, const char *path);

#endif
