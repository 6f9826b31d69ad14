/*
 * Test helper: splits an mpv user-shader file into its blocks the way mpv
 * (video/out/gpu/user_shaders.c) and libplacebo do: everything before the
 * first "//!" is a comment preamble; a block is a run of "//!KEY value"
 * header lines, followed by a body that ends at the next "//!" anywhere.
 * Keeps line numbers so tools can report errors at the file's own lines.
 */
#ifndef HOOKFILE_H
#define HOOKFILE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct hf_directive {
    char *key;     /* "HOOK", "BIND", "TEXTURE", ... */
    char *value;   /* the rest of the line, stripped */
    int line;      /* 1-based */
} hf_directive;

typedef struct hf_block {
    bool is_texture;      /* first header is //!TEXTURE */
    hf_directive *dirs;
    int n_dirs;
    char *body;           /* text after the headers up to the next block */
    int body_line;        /* line of the body's first character */
    int line;             /* line of the first header */
} hf_block;

typedef struct hf_file {
    const char *path;
    char *text;
    size_t len;
    char *preamble;       /* text before the first header */
    hf_block *blocks;
    int n_blocks;
} hf_file;

/* 0, or -1 with a reason in err. */
int hf_load(const char *path, hf_file *f, char *err, size_t err_size);
void hf_free(hf_file *f);

/* The value of the first directive `key` in b, or NULL. */
const char *hf_get(const hf_block *b, const char *key);

/* The texture block named `name`, or NULL. */
const hf_block *hf_find_texture(const hf_file *f, const char *name);

#endif
