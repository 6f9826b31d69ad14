/* The per-file results cache; see cache.h for the concurrency rules. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"

#define RESULTS_FILE "results.tsv"
#define LOCK_FILE "results.lock"
#define FORMAT_TAG "#nativeres-cache-v1"

int np_mkdirs(const char *path)
{
    char buf[4096];
    if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
        return -1;
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0755) < 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(buf, 0755) < 0 && errno != EEXIST)
        return -1;
    return 0;
}

/* The identity of a file as one line-safe field: tabs, newlines and '%'
 * in paths are percent-encoded. */
static void make_id(const np_cache_key *k, char *buf, size_t size)
{
    size_t n = 0;
    for (const char *s = k->path ? k->path : ""; *s && n + 4 < size; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\t' || c == '\n' || c == '\r' || c == '%')
            n += snprintf(buf + n, size - n, "%%%02X", c);
        else
            buf[n++] = (char)c;
    }
    buf[n] = '\0';
    double d = isfinite(k->duration) && k->duration > 0 ? k->duration : -1;
    snprintf(buf + n, size - n, "\t%lld\t%.3f\t%dx%d", (long long)k->size, d, k->w, k->h);
}

static void path_in(const char *dir, const char *name, char *buf, size_t size)
{
    snprintf(buf, size, "%s/%s", dir, name);
}

/* A line: id (4 tab-separated fields) \t verdict \t height \t width \t kernel \t confidence */
static int parse_entry(const char *rest, np_cache_entry *e)
{
    char verdict[32], kernel[32];
    if (sscanf(rest, "%31[^\t]\t%lf\t%lf\t%31[^\t]\t%lf", verdict, &e->height,
               &e->width, kernel, &e->confidence) != 5)
        return -1;
    if (!strcmp(verdict, "upscaled"))
        e->verdict = NR_VERDICT_UPSCALED;
    else if (!strcmp(verdict, "native"))
        e->verdict = NR_VERDICT_NATIVE;
    else if (!strcmp(verdict, "unsure"))
        e->verdict = NR_VERDICT_UNSURE;
    else
        return -1;
    snprintf(e->kernel, sizeof(e->kernel), "%s", kernel);
    return 0;
}

int np_cache_lookup(const char *dir, const np_cache_key *k, np_cache_entry *out)
{
    char path[4200], id[4400];
    path_in(dir, RESULTS_FILE, path, sizeof(path));
    make_id(k, id, sizeof(id));
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t idlen = strlen(id);
    int found = -1;
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        if (strncmp(line, id, idlen) || line[idlen] != '\t')
            continue;
        np_cache_entry e;
        if (parse_entry(line + idlen + 1, &e) == 0) {
            *out = e;          /* keep going: the last match is the newest */
            found = 0;
        }
    }
    free(line);
    fclose(f);
    return found;
}

/* Rewrites the results file without entries for id, plus `add` if given. */
static int rewrite(const char *dir, const char *id, const char *add, int max_entries,
                   char *err, size_t err_size)
{
    char path[4200], lock_path[4200], tmp_path[4300];
    if (np_mkdirs(dir) < 0) {
        snprintf(err, err_size, "cannot create %s: %s", dir, strerror(errno));
        return -1;
    }
    path_in(dir, RESULTS_FILE, path, sizeof(path));
    path_in(dir, LOCK_FILE, lock_path, sizeof(lock_path));
    int lock = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lock < 0 || flock(lock, LOCK_EX) < 0) {
        snprintf(err, err_size, "cannot lock %s: %s", lock_path, strerror(errno));
        if (lock >= 0)
            close(lock);
        return -1;
    }
    /* keep the lines of other files, oldest first */
    char **lines = NULL;
    int n = 0, cap = 0;
    size_t idlen = strlen(id);
    FILE *in = fopen(path, "r");
    if (in) {
        char *line = NULL;
        size_t lcap = 0;
        ssize_t len;
        while ((len = getline(&line, &lcap, in)) > 0) {
            if (line[0] == '#' || line[len - 1] != '\n')
                continue;
            if (!strncmp(line, id, idlen) && line[idlen] == '\t')
                continue;
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                char **nl = realloc(lines, sizeof(*lines) * cap);
                if (!nl)
                    break;
                lines = nl;
            }
            lines[n] = strdup(line);
            if (lines[n])
                n++;
        }
        free(line);
        fclose(in);
    }
    int keep = max_entries - (add ? 1 : 0);
    int first = n > keep ? n - keep : 0;
    int ret = -1;
    snprintf(tmp_path, sizeof(tmp_path), "%s.tmp.%d", path, (int)getpid());
    FILE *out = fopen(tmp_path, "w");
    if (!out) {
        snprintf(err, err_size, "cannot write %s: %s", tmp_path, strerror(errno));
    } else {
        fprintf(out, "%s\n", FORMAT_TAG);
        for (int i = first; i < n; i++)
            fputs(lines[i], out);
        if (add)
            fputs(add, out);
        bool ok = !ferror(out);
        ok = (fclose(out) == 0) && ok;
        if (!ok || rename(tmp_path, path) < 0) {
            snprintf(err, err_size, "cannot replace %s: %s", path, strerror(errno));
            unlink(tmp_path);
        } else {
            ret = 0;
        }
    }
    for (int i = 0; i < n; i++)
        free(lines[i]);
    free(lines);
    flock(lock, LOCK_UN);
    close(lock);
    return ret;
}

int np_cache_store(const char *dir, const np_cache_key *k, const np_cache_entry *e,
                   int max_entries, char *err, size_t err_size)
{
    char id[4400], line[4700];
    make_id(k, id, sizeof(id));
    snprintf(line, sizeof(line), "%s\t%s\t%.4f\t%.4f\t%s\t%.3f\n", id,
             nr_verdict_name(e->verdict), e->height, e->width,
             e->kernel[0] ? e->kernel : "none", e->confidence);
    return rewrite(dir, id, line, max_entries < 1 ? 1 : max_entries, err, err_size);
}

int np_cache_forget(const char *dir, const np_cache_key *k, char *err, size_t err_size)
{
    char id[4400];
    make_id(k, id, sizeof(id));
    return rewrite(dir, id, NULL, 1 << 30, err, err_size);
}
