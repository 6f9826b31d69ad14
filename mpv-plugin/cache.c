/* The per-file timeline cache; see cache.h for the format and the rules. */
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
#define FORMAT_TAG "#nativeres-cache-v2"
#define OLD_TAG "#nativeres-cache-v1"
#define ID_MAX 4400
#define PATH_BUF 4200

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

void np_cache_id(const np_cache_key *k, char *buf, size_t size)
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

/* ------------------------------------------------------------------ */
/* Parsing                                                             */

static bool parse_double(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || errno || !isfinite(v))
        return false;
    *out = v;
    return true;
}

/* "start end verdict height width kernel b c confidence" (NUL-terminated) */
static bool parse_span(char *field, np_span *s)
{
    char *tok[9];
    int n = 0;
    for (char *save = NULL, *t = strtok_r(field, " ", &save); t;
         t = strtok_r(NULL, " ", &save)) {
        if (n == 9)
            return false;
        tok[n++] = t;
    }
    if (n != 9)
        return false;
    memset(s, 0, sizeof(*s));
    double b, c;
    if (!parse_double(tok[0], &s->start) || !parse_double(tok[1], &s->end) ||
        !parse_double(tok[3], &s->height) || !parse_double(tok[4], &s->width) ||
        !parse_double(tok[6], &b) || !parse_double(tok[7], &c) ||
        !parse_double(tok[8], &s->confidence))
        return false;
    if (!strcmp(tok[2], "native") || !strcmp(tok[2], "unsure")) {
        s->verdict = tok[2][0] == 'n' ? NR_VERDICT_NATIVE : NR_VERDICT_UNSURE;
        s->height = s->width = 0;
        nr_kernel_parse("bilinear", &s->kernel);
        return true;
    }
    if (strcmp(tok[2], "upscaled") || !nr_kernel_parse(tok[5], &s->kernel))
        return false;
    s->verdict = NR_VERDICT_UPSCALED;
    if (s->kernel.type == NR_KERNEL_BICUBIC) {
        s->kernel.b = b;
        s->kernel.c = c;
    }
    return true;
}

int np_cache_parse_timeline(const char *text, size_t len, np_timeline *out)
{
    if (!text || len == 0 || len > NP_CACHE_MAX_LINE || memchr(text, '\0', len) ||
        memchr(text, '\n', len))
        return -1;
    char *copy = malloc(len + 1);
    if (!copy)
        return -1;
    memcpy(copy, text, len);
    copy[len] = '\0';
    int ret = -1;
    char *save = NULL;
    char *field = strtok_r(copy, "\t", &save);
    char *end;
    long count = field ? strtol(field, &end, 10) : -1;
    if (!field || end == field || *end || count < 0 || count > NP_TIMELINE_MAX)
        goto done;
    out->count = 0;
    for (long i = 0; i < count; i++) {
        field = strtok_r(NULL, "\t", &save);
        if (!field || !parse_span(field, &out->spans[out->count]))
            goto done;
        out->count++;
    }
    if (strtok_r(NULL, "\t", &save) == NULL && np_timeline_valid(out))
        ret = 0;
done:
    free(copy);
    if (ret < 0)
        out->count = 0;
    return ret;
}

/* The first line of buf (length of the line without '\n', and whether a
 * '\n' ended it). */
static size_t line_len(const char *p, size_t left, bool *terminated)
{
    const char *nl = memchr(p, '\n', left);
    *terminated = nl != NULL;
    return nl ? (size_t)(nl - p) : left;
}

/* 0: buf starts with our tag; -1 otherwise (err). An empty buffer is an
 * empty cache. */
/* The line of buf at *at (NULL past the end), its length in *n; *at moves
 * past it and its newline. */
static const char *next_line(const char *buf, size_t len, size_t *at, size_t *n,
                             bool *terminated)
{
    if (*at >= len)
        return NULL;
    const char *line = buf + *at;
    *n = line_len(line, len - *at, terminated);
    *at += *n + (*terminated ? 1 : 0);
    return line;
}

static int check_header(const char *buf, size_t len, char *err, size_t err_size)
{
    size_t tl = strlen(FORMAT_TAG);
    if (len == 0)
        return 0;
    if (len > tl && !memcmp(buf, FORMAT_TAG, tl) && buf[tl] == '\n')
        return 0;
    if (len >= strlen(OLD_TAG) && !memcmp(buf, OLD_TAG, strlen(OLD_TAG)))
        snprintf(err, err_size, "older format (one verdict per file), ignored; "
                 "replaced on the next store");
    else
        snprintf(err, err_size, "not a nativeres results file, ignored");
    return -1;
}

int np_cache_find(const char *buf, size_t len, const char *id, np_timeline *out,
                  int *bad_lines, char *err, size_t err_size)
{
    if (bad_lines)
        *bad_lines = 0;
    if (err_size)
        err[0] = '\0';
    if (check_header(buf, len, err, err_size) < 0)
        return -1;
    size_t idlen = strlen(id), at = 0, n;
    int found = 0;
    np_timeline tmp;
    bool terminated;
    for (const char *line; (line = next_line(buf, len, &at, &n, &terminated));) {
        if (n == 0 || line[0] == '#')
            continue;
        bool ours = n > idlen && !memcmp(line, id, idlen) && line[idlen] == '\t';
        if (!terminated || n > NP_CACHE_MAX_LINE) {
            if (bad_lines)
                (*bad_lines)++;
            continue;
        }
        if (!ours)
            continue;
        if (np_cache_parse_timeline(line + idlen + 1, n - idlen - 1, &tmp) < 0) {
            if (bad_lines)
                (*bad_lines)++;
            continue;
        }
        *out = tmp;       /* keep going: the last match is the newest */
        found = 1;
    }
    return found;
}

int np_cache_find_sibling(const char *buf, size_t len, const np_cache_key *k, np_timeline *out)
{
    if (check_header(buf, len, NULL, 0) < 0)
        return -1;
    /* our id, encoded: the folder is what comes up to the last '/' */
    char id[ID_MAX];
    np_cache_id(k, id, sizeof(id));
    const char *tab = strchr(id, '\t');
    size_t name_end = tab ? (size_t)(tab - id) : strlen(id);
    size_t folder = 0;
    for (size_t i = 0; i < name_end; i++)
        if (id[i] == '/')
            folder = i + 1;
    if (folder == 0 || folder == name_end)
        return 0;
    char size_field[32];
    snprintf(size_field, sizeof(size_field), "\t%dx%d\t", k->w, k->h);
    int found = 0;
    np_timeline tmp;
    size_t at = 0, n;
    bool terminated;
    for (const char *line; (line = next_line(buf, len, &at, &n, &terminated));) {
        if (n <= folder || line[0] == '#' || !terminated || n > NP_CACHE_MAX_LINE ||
            memcmp(line, id, folder))
            continue;
        /* the file name: no further folder, not this file */
        const char *name = line + folder, *end = memchr(name, '\t', n - folder);
        if (!end || memchr(name, '/', (size_t)(end - name)) ||
            ((size_t)(end - line) == name_end && !memcmp(line, id, name_end)))
            continue;
        /* the 4th field (WxH) is the same size; the 5th starts the timeline */
        const char *f = end;
        for (int i = 0; i < 2 && f; i++)
            f = memchr(f + 1, '\t', (size_t)(line + n - f - 1));
        size_t sl = strlen(size_field);
        if (!f || (size_t)(line + n - f) <= sl || memcmp(f, size_field, sl))
            continue;
        const char *rest = f + sl;
        if (np_cache_parse_timeline(rest, (size_t)(line + n - rest), &tmp) < 0)
            continue;
        bool upscaled = false;
        for (int i = 0; i < tmp.count; i++)
            upscaled |= tmp.spans[i].verdict == NR_VERDICT_UPSCALED;
        if (upscaled) {
            *out = tmp;   /* keep going: the last match is the newest */
            found = 1;
        }
    }
    return found;
}

/* ------------------------------------------------------------------ */
/* Files                                                               */

static void path_in(const char *dir, const char *name, char *buf, size_t size)
{
    snprintf(buf, size, "%s/%s", dir, name);
}

/* Reads a whole results file without following a symbolic link. 0 with
 * *buf (malloc'd, may be NULL when the file is missing or empty), -1 with
 * err when it is unusable. */
static int read_results(const char *path, char **buf, size_t *len, char *err, size_t err_size)
{
    *buf = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return 0;
        snprintf(err, err_size, "cannot read %s: %s", path,
                 errno == ELOOP ? "it is a symbolic link" : strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > NP_CACHE_MAX_BYTES) {
        snprintf(err, err_size, "%s is not a regular file of at most %d bytes, ignored", path,
                 NP_CACHE_MAX_BYTES);
        close(fd);
        return -1;
    }
    char *b = malloc((size_t)st.st_size + 1);
    size_t got = 0;
    while (b && got < (size_t)st.st_size) {
        ssize_t r = read(fd, b + got, (size_t)st.st_size - got);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    if (!b) {
        snprintf(err, err_size, "out of memory reading %s", path);
        return -1;
    }
    *buf = b;
    *len = got;
    return 0;
}

/* The results file of dir, whole: 0 with *buf (path filled in), -1 when
 * it is missing or empty, -2 when it is unusable (err says why). */
static int load_results(const char *dir, char path[PATH_BUF], char **buf, size_t *len,
                        char *err, size_t err_size)
{
    if (err_size)
        err[0] = '\0';
    path_in(dir, RESULTS_FILE, path, PATH_BUF);
    if (read_results(path, buf, len, err, err_size) < 0)
        return -2;
    return *buf ? 0 : -1;
}

int np_cache_lookup(const char *dir, const np_cache_key *k, np_timeline *out,
                    char *err, size_t err_size)
{
    char path[PATH_BUF], id[ID_MAX];
    char *buf;
    size_t len;
    int loaded = load_results(dir, path, &buf, &len, err, err_size);
    if (loaded < 0)
        return loaded;
    np_cache_id(k, id, sizeof(id));
    int bad = 0;
    char why[256];
    int r = np_cache_find(buf, len, id, out, &bad, why, sizeof(why));
    free(buf);
    if (r < 0) {
        snprintf(err, err_size, "%s: %s", path, why);
        return -2;
    }
    if (bad > 0)
        snprintf(err, err_size, "%s: %d damaged line(s) ignored", path, bad);
    return r == 1 && out->count > 0 ? 0 : -1;
}

int np_cache_lookup_sibling(const char *dir, const np_cache_key *k, np_timeline *out,
                            char *err, size_t err_size)
{
    char path[PATH_BUF];
    char *buf;
    size_t len;
    int loaded = load_results(dir, path, &buf, &len, err, err_size);
    if (loaded < 0)
        return loaded;
    int r = np_cache_find_sibling(buf, len, k, out);
    free(buf);
    if (r < 0) {
        snprintf(err, err_size, "%s: not a results file of this version", path);
        return -2;
    }
    return r == 1 ? 0 : -1;
}

static int format_line(const char *id, const np_timeline *t, char *line, size_t size)
{
    size_t n = (size_t)snprintf(line, size, "%s\t%d", id, t->count);
    for (int i = 0; i < t->count && n < size; i++) {
        const np_span *s = &t->spans[i];
        char kname[32] = "none";
        if (s->verdict == NR_VERDICT_UPSCALED)
            nr_kernel_name(&s->kernel, kname, sizeof(kname));
        n += (size_t)snprintf(line + n, size - n, "\t%.4f %.4f %s %.4f %.4f %s %.9g %.9g %.3f",
                              s->start, s->end, nr_verdict_name(s->verdict),
                              s->verdict == NR_VERDICT_UPSCALED ? s->height : 0,
                              s->verdict == NR_VERDICT_UPSCALED ? s->width : 0, kname,
                              s->kernel.b, s->kernel.c, s->confidence);
    }
    if (n + 2 > size)
        return -1;
    line[n++] = '\n';
    line[n] = '\0';
    return 0;
}

/* Rewrites the results file without the line of id, plus `add` if given;
 * damaged lines and lines of another format are dropped. */
static int rewrite(const char *dir, const char *id, const char *add, int max_entries,
                   char *err, size_t err_size)
{
    char path[PATH_BUF], lock_path[PATH_BUF], tmp_path[PATH_BUF + 32];
    if (np_mkdirs(dir) < 0) {
        snprintf(err, err_size, "cannot create %s: %s", dir, strerror(errno));
        return -1;
    }
    path_in(dir, RESULTS_FILE, path, sizeof(path));
    path_in(dir, LOCK_FILE, lock_path, sizeof(lock_path));
    int lock = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (lock < 0 || flock(lock, LOCK_EX) < 0) {
        snprintf(err, err_size, "cannot lock %s: %s", lock_path,
                 errno == ELOOP ? "it is a symbolic link" : strerror(errno));
        if (lock >= 0)
            close(lock);
        return -1;
    }
    char *buf = NULL;
    size_t len = 0;
    char why[256];
    /* an unusable old file is replaced (a symlink in its place included:
     * rename() replaces the link, never what it points to) */
    if (read_results(path, &buf, &len, why, sizeof(why)) < 0 ||
        check_header(buf, len, why, sizeof(why)) < 0) {
        free(buf);
        buf = NULL;
        len = 0;
    }
    /* the lines of other files, oldest first */
    const char **lines = NULL;
    size_t *lens = NULL;
    int n = 0, cap = 0;
    size_t idlen = strlen(id);
    np_timeline scratch;
    for (size_t at = 0; at < len;) {
        bool terminated;
        size_t ln = line_len(buf + at, len - at, &terminated);
        const char *line = buf + at;
        at += ln + (terminated ? 1 : 0);
        if (!terminated || ln == 0 || line[0] == '#')
            continue;
        if (ln > idlen && !memcmp(line, id, idlen) && line[idlen] == '\t')
            continue;
        /* keep only well-formed lines: "path size duration WxH" then a timeline */
        const char *p = line;
        int tabs = 0;
        while (p < line + ln && tabs < 4) {
            if (*p++ == '\t')
                tabs++;
        }
        if (tabs < 4 || np_cache_parse_timeline(p, ln - (size_t)(p - line), &scratch) < 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            const char **nl = realloc(lines, sizeof(*lines) * cap);
            size_t *nlen = realloc(lens, sizeof(*lens) * cap);
            if (nl)
                lines = nl;
            if (nlen)
                lens = nlen;
            if (!nl || !nlen)
                break;
        }
        lines[n] = line;
        lens[n++] = ln;
    }
    int keep = max_entries - (add ? 1 : 0);
    int first = n > keep ? n - keep : 0;
    int ret = -1;
    snprintf(tmp_path, sizeof(tmp_path), "%s.tmp.%d", path, (int)getpid());
    unlink(tmp_path);   /* a stale one of a crashed writer with our pid */
    int fd = open(tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    FILE *out = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!out) {
        snprintf(err, err_size, "cannot write %s: %s", tmp_path, strerror(errno));
        if (fd >= 0)
            close(fd);
    } else {
        fprintf(out, "%s\n", FORMAT_TAG);
        for (int i = first; i < n; i++) {
            fwrite(lines[i], 1, lens[i], out);
            fputc('\n', out);
        }
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
    free(lines);
    free(lens);
    free(buf);
    flock(lock, LOCK_UN);
    close(lock);
    return ret;
}

int np_cache_store(const char *dir, const np_cache_key *k, const np_timeline *t,
                   int max_entries, char *err, size_t err_size)
{
    char id[ID_MAX];
    np_cache_id(k, id, sizeof(id));
    if (!t || t->count == 0)
        return rewrite(dir, id, NULL, 1 << 30, err, err_size);
    if (!np_timeline_valid(t)) {
        snprintf(err, err_size, "refusing to store an invalid timeline");
        return -1;
    }
    size_t size = ID_MAX + 160 * (size_t)t->count + 64;
    char *line = malloc(size);
    if (!line || format_line(id, t, line, size) < 0) {
        free(line);
        snprintf(err, err_size, "cannot format the cache line");
        return -1;
    }
    int r = rewrite(dir, id, line, max_entries < 1 ? 1 : max_entries, err, err_size);
    free(line);
    return r;
}

int np_cache_forget(const char *dir, const np_cache_key *k, char *err, size_t err_size)
{
    char id[ID_MAX];
    np_cache_id(k, id, sizeof(id));
    return rewrite(dir, id, NULL, 1 << 30, err, err_size);
}
