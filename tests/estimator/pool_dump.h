/*
 * Frame estimates of a real-corpus clip, written to a file (real_corpus
 * with NR_POOL_DUMP=DIR) and read back by pool_replay, which pools them
 * again: the pool's rules can then be tried on the real clips in seconds
 * instead of re-estimating every frame. Files hold derived numbers only
 * (residual curves), no pixels; they stay outside the project.
 */
#ifndef NR_POOL_DUMP_H
#define NR_POOL_DUMP_H

#include <stdio.h>

#include "nativeres_estimate.h"

typedef struct dump_header {
    char name[64];      /* source frame */
    double height;      /* truth: native height, 0 for a native clip */
    int kernel;         /* index in real_corpus' kernel list */
    int crf;
    int frames;
} dump_header;

/* writes the header (frames filled in later is not needed: frames are
 * appended one record at a time and counted by the reader) */
int dump_write_header(FILE *f, const dump_header *h);
/* one frame: its estimate (verdict, size, kernel, confidence, crop, codec
 * grid, candidates, both axes' curves) and the return of nr_pool_add_plane */
int dump_write_frame(FILE *f, const nr_estimate *e, int restarted);

int dump_read_header(FILE *f, dump_header *h);
/* opens a dump and reads its header; NULL (and a message on stderr) when
 * it cannot */
FILE *dump_open(const char *path, dump_header *h);
/* 1 when a frame was read (free e with dump_free_frame), 0 at the end, -1
 * on a short file */
int dump_read_frame(FILE *f, nr_estimate *e, int *restarted);
void dump_free_frame(nr_estimate *e);
/* the clip's picture types (I, P, B: one letter a frame, as
 * `ffprobe -show_entries frame=pict_type` gives them) from the file
 * DUMP.types next to DUMP.bin; -1 (and a message) without it */
int dump_read_types(const char *dump_path, char *types, size_t size);

#endif
