/*
 * Fuzz target: the plugin's options, both ways mpv hands them over.
 * The input up to the first NUL byte is ~~/script-opts/nativeres.conf
 * (read through np_options_load_file, from a memfd); the rest is
 * "key=value" lines fed one by one to np_options_set, as the plugin does
 * with the --script-opts map. Afterwards the options must be usable:
 * bounded counts, terminated strings, a sane height range.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int warnings;

static void count_warning(void *ctx, const char *msg)
{
    (void)ctx;
    if (!msg[0])
        abort();   /* every warning says something */
    warnings++;
}

static void check(const np_options *o)
{
    if (o->num_kernels < 0 || o->num_kernels > NP_MAX_KERNELS ||
        o->num_known < 0 || o->num_known > NP_MAX_KNOWN)
        abort();
    if (o->min_height > 0 && o->max_height > 0 && o->min_height > o->max_height)
        abort();
    if (!memchr(o->cache_dir, '\0', sizeof(o->cache_dir)))
        abort();
    for (int i = 0; i < o->num_kernels; i++)
        if (!memchr(o->kernel_names[i], '\0', sizeof(o->kernel_names[i])))
            abort();
    for (int i = 0; i < o->num_known; i++)
        if (!memchr(o->known[i].pattern, '\0', sizeof(o->known[i].pattern)))
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, '\0', size);
    size_t file_size = nul ? (size_t)(nul - data) : size;
    np_options o;
    np_options_default(&o);
    warnings = 0;

    int fd = memfd_create("nativeres.conf", MFD_CLOEXEC);
    if (fd < 0)
        return 0;
    if (write(fd, data, file_size) == (ssize_t)file_size) {
        char path[64];
        snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
        if (np_options_load_file(&o, path, count_warning, NULL) < 0)
            abort();   /* the file exists: it must be read */
    }
    close(fd);
    check(&o);

    if (nul) {
        /* the --script-opts part: NUL-free strings, as mpv's map gives them */
        size_t rest = size - file_size - 1;
        char *text = malloc(rest + 1);
        if (!text)
            return 0;
        memcpy(text, nul + 1, rest);
        text[rest] = '\0';
        for (char *save = NULL, *line = strtok_r(text, "\n", &save); line;
             line = strtok_r(NULL, "\n", &save)) {
            char *eq = strchr(line, '=');
            if (!eq)
                continue;
            *eq = '\0';
            np_options_set(&o, line, eq + 1, count_warning, NULL);
            check(&o);
        }
        free(text);
    }
    /* the known-shows table, as the plugin consults it on every file */
    np_known_match(&o, "/videos/Show Name - 01 [1080p].mkv");
    return 0;
}
