#include "hookfile.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dup_range(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

static int line_of(const char *text, const char *pos)
{
    int line = 1;
    for (const char *p = text; p < pos; p++)
        line += *p == '\n';
    return line;
}

static void strip(const char **s, size_t *n)
{
    while (*n && isspace((unsigned char)**s))
        (*s)++, (*n)--;
    while (*n && isspace((unsigned char)(*s)[*n - 1]))
        (*n)--;
}

/* Parses the headers at *pos; advances *pos past them. */
static int parse_headers(hf_file *f, const char **pos, hf_block *b)
{
    const char *p = *pos, *end = f->text + f->len;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *next = eol ? eol + 1 : end;
        const char *s = p;
        size_t n = (size_t)((eol ? eol : end) - p);
        strip(&s, &n);
        if (n < 3 || strncmp(s, "//!", 3) != 0)
            break;
        s += 3, n -= 3;
        size_t klen = 0;
        while (klen < n && !isspace((unsigned char)s[klen]))
            klen++;
        const char *v = s + klen;
        size_t vlen = n - klen;
        strip(&v, &vlen);
        hf_directive *d = realloc(b->dirs, sizeof(*d) * (size_t)(b->n_dirs + 1));
        if (!d)
            return -1;
        b->dirs = d;
        d[b->n_dirs++] = (hf_directive){ .key = dup_range(s, klen),
                                         .value = dup_range(v, vlen),
                                         .line = line_of(f->text, p) };
        p = next;
    }
    *pos = p;
    return 0;
}

int hf_load(const char *path, hf_file *f, char *err, size_t err_size)
{
    *f = (hf_file){ .path = path };
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        snprintf(err, err_size, "cannot open: %s", strerror(errno));
        return -1;
    }
    size_t cap = 1 << 16;
    f->text = malloc(cap);
    size_t n;
    while (f->text && (n = fread(f->text + f->len, 1, cap - f->len - 1, fp)) > 0) {
        f->len += n;
        if (cap - f->len - 1 == 0) {
            char *t = realloc(f->text, cap * 2);
            if (!t) {
                free(f->text);
                f->text = NULL;
            }
            f->text = t;
            cap *= 2;
        }
    }
    fclose(fp);
    if (!f->text) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    f->text[f->len] = '\0';
    if (strlen(f->text) != f->len) {
        snprintf(err, err_size, "NUL byte in file");
        hf_free(f);
        return -1;
    }
    const char *first = strstr(f->text, "//!");
    if (!first) {
        snprintf(err, err_size, "no //! headers at all");
        hf_free(f);
        return -1;
    }
    f->preamble = dup_range(f->text, (size_t)(first - f->text));
    const char *pos = first;
    while (*pos) {
        hf_block *bs = realloc(f->blocks, sizeof(*bs) * (size_t)(f->n_blocks + 1));
        if (!bs)
            goto oom;
        f->blocks = bs;
        hf_block *b = &bs[f->n_blocks++];
        *b = (hf_block){ .line = line_of(f->text, pos) };
        if (parse_headers(f, &pos, b) < 0)
            goto oom;
        if (b->n_dirs == 0) {
            snprintf(err, err_size, "line %d: block without headers", b->line);
            hf_free(f);
            return -1;
        }
        b->is_texture = !strcmp(b->dirs[0].key, "TEXTURE");
        const char *next = strstr(pos, "//!");
        size_t blen = next ? (size_t)(next - pos) : strlen(pos);
        b->body = dup_range(pos, blen);
        b->body_line = line_of(f->text, pos);
        pos += blen;
    }
    return 0;
oom:
    snprintf(err, err_size, "out of memory");
    hf_free(f);
    return -1;
}

void hf_free(hf_file *f)
{
    for (int i = 0; i < f->n_blocks; i++) {
        for (int d = 0; d < f->blocks[i].n_dirs; d++) {
            free(f->blocks[i].dirs[d].key);
            free(f->blocks[i].dirs[d].value);
        }
        free(f->blocks[i].dirs);
        free(f->blocks[i].body);
    }
    free(f->blocks);
    free(f->preamble);
    free(f->text);
    *f = (hf_file){0};
}

const char *hf_get(const hf_block *b, const char *key)
{
    for (int i = 0; i < b->n_dirs; i++)
        if (!strcmp(b->dirs[i].key, key))
            return b->dirs[i].value;
    return NULL;
}

const hf_block *hf_find_texture(const hf_file *f, const char *name)
{
    for (int i = 0; i < f->n_blocks; i++)
        if (f->blocks[i].is_texture && !strcmp(hf_get(&f->blocks[i], "TEXTURE"), name))
            return &f->blocks[i];
    return NULL;
}
