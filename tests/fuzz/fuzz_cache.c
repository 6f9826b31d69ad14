/*
 * Fuzz target: the plugin's results cache (results.tsv) as another
 * program, a crash or a full disk may have left it. The input is the
 * file's contents:
 *  - np_cache_find on the bytes, for the key the seeds use: a hit must be
 *    a valid timeline;
 *  - np_cache_parse_timeline on the part after the first line's id;
 *  - the file on disk: lookup, then a store on top must succeed and read
 *    back exactly, and a forget must remove it again.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static char dir[256];
static char results[300];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    /* a private folder on a memory file system when there is one */
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(dir, sizeof(dir), "%s/nativeres-fuzz-cache-XXXXXX", base);
    if (!mkdtemp(dir))
        abort();
    snprintf(results, sizeof(results), "%s/results.tsv", dir);
    return 0;
}

/* the key the seeds use, and one whose path needs escaping */
static const np_cache_key keys[2] = {
    {.path = "/v/a.mkv", .size = 1000, .duration = 24.0, .w = 1920, .h = 1080},
    {.path = "/v/tab\there%.mkv", .size = -1, .duration = NAN, .w = 1280, .h = 720},
};

static bool same_timeline(const np_timeline *a, const np_timeline *b)
{
    if (a->count != b->count)
        return false;
    for (int i = 0; i < a->count; i++) {
        const np_span *x = &a->spans[i], *y = &b->spans[i];
        if (x->verdict != y->verdict || fabs(x->start - y->start) > 1e-3 ||
            fabs(x->end - y->end) > 1e-3 || fabs(x->height - y->height) > 1e-3 ||
            (x->verdict == NR_VERDICT_UPSCALED && x->kernel.type != y->kernel.type))
            return false;
    }
    return true;
}

static void parse_from_memory(const uint8_t *data, size_t size)
{
    static np_timeline t;   /* large: keep it off the stack */
    char id[4400], err[256];
    int bad = 0;
    for (int i = 0; i < 2; i++) {
        np_cache_id(&keys[i], id, sizeof(id));
        if (np_cache_find((const char *)data, size, id, &t, &bad, err, sizeof(err)) == 1 &&
            !np_timeline_valid(&t))
            abort();
        /* another episode's timeline: as valid as the file's own */
        if (np_cache_find_sibling((const char *)data, size, &keys[i], &t) == 1 &&
            !np_timeline_valid(&t))
            abort();
    }
    /* the first line's fields after its 4-field id, straight to the parser */
    const uint8_t *p = data, *end = data + size;
    for (int tabs = 0; p < end && tabs < 4; p++)
        if (*p == '\t')
            tabs++;
    const uint8_t *eol = memchr(p, '\n', (size_t)(end - p));
    size_t len = (size_t)((eol ? eol : end) - p);
    if (np_cache_parse_timeline((const char *)p, len, &t) == 0 && !np_timeline_valid(&t))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    parse_from_memory(data, size);

    FILE *f = fopen(results, "wb");
    if (!f)
        abort();
    fwrite(data, 1, size, f);
    fclose(f);
    static np_timeline got, put;
    char err[256];
    for (int i = 0; i < 2; i++)
        if (np_cache_lookup(dir, &keys[i], &got, err, sizeof(err)) == 0 &&
            !np_timeline_valid(&got))
            abort();

    /* a store on top of whatever was there: the folder is writable, so a
     * damaged file is no excuse; it must read back */
    memset(&put, 0, sizeof(put));
    put.count = 2;
    put.spans[0] = (np_span){.start = 0, .end = 10, .verdict = NR_VERDICT_NATIVE,
                             .confidence = 0.9};
    put.spans[1] = (np_span){.start = 12.5, .end = 20, .verdict = NR_VERDICT_UPSCALED,
                             .height = 843.75, .width = 1500, .confidence = 0.875};
    if (!nr_kernel_parse("catrom", &put.spans[1].kernel) || !np_timeline_valid(&put))
        abort();
    if (np_cache_store(dir, &keys[1], &put, 1 + (int)(size % 7), err, sizeof(err)) < 0) {
        fprintf(stderr, "store failed: %s\n", err);
        abort();
    }
    if (np_cache_lookup(dir, &keys[1], &got, err, sizeof(err)) != 0 || !same_timeline(&got, &put))
        abort();
    if (np_cache_forget(dir, &keys[1], err, sizeof(err)) < 0 ||
        np_cache_lookup(dir, &keys[1], &got, err, sizeof(err)) == 0)
        abort();
    return 0;
}
