#include "corpus_util.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

FILE *corpus_y4m_open(const char *dir)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/in.y4m", dir);
    FILE *f = fopen(path, "wb");
    if (f)
        fprintf(f, "YUV4MPEG2 W%d H%d F24:1 Ip A1:1 C420jpeg\n", CORPUS_W, CORPUS_H);
    return f;
}

int corpus_y4m_frame(FILE *f, const float *frame)
{
    static unsigned char row[CORPUS_W], chroma[CORPUS_W / 2];
    memset(chroma, 128, sizeof(chroma));
    fputs("FRAME\n", f);
    for (int y = 0; y < CORPUS_H; y++) {
        for (int x = 0; x < CORPUS_W; x++) {
            float v = frame[(size_t)y * CORPUS_W + x];
            v = v < 0 ? 0 : v > 1 ? 1 : v;
            row[x] = (unsigned char)(v * 255.0f + 0.5f);
        }
        if (fwrite(row, 1, CORPUS_W, f) != CORPUS_W)
            return -1;
    }
    for (int i = 0; i < CORPUS_H; i++)   /* U and V, CORPUS_H / 2 rows each */
        if (fwrite(chroma, 1, CORPUS_W / 2, f) != CORPUS_W / 2)
            return -1;
    return 0;
}

int corpus_compress(const char *ffmpeg, const char *dir, int codec, int crf, int frames)
{
    char cmd[2048];
    const char *enc = codec == 2 ? "libx265 -x265-params log-level=error"
                    : codec == 3 ? "libx264"
                                 : "libx264 -tune animation";
    /* env -u: x264 reads memory it did not set, so under meson's random
     * MALLOC_PERTURB_ the coded frames (and so the figures) varied per run */
    snprintf(cmd, sizeof(cmd),
             "env -u MALLOC_PERTURB_ '%s' -nostdin -loglevel error -y -i '%s/in.y4m' "
             "-c:v %s -preset fast -crf %d "
             "-pix_fmt yuv420p '%s/enc.mkv' && "
             "'%s' -nostdin -loglevel error -y -i '%s/enc.mkv' -frames:v %d -f rawvideo "
             "-pix_fmt yuv420p '%s/dec.yuv'",
             ffmpeg, dir, enc, crf, dir, ffmpeg, dir, frames, dir);
    return system(cmd) == 0 ? 0 : -1;
}

FILE *corpus_decoded_open(const char *dir)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/dec.yuv", dir);
    return fopen(path, "rb");
}

int corpus_decoded_frame(FILE *f, unsigned char *yuv, float *frame)
{
    size_t n = (size_t)CORPUS_W * CORPUS_H;
    if (fread(yuv, 1, n * 3 / 2, f) != n * 3 / 2)
        return -1;
    for (size_t p = 0; p < n; p++)
        frame[p] = yuv[p] / 255.0f;
    return 0;
}

double corpus_est_height(const nr_estimate *e)
{
    return e->scale.win_height > 0 ? e->scale.win_height : e->scale.native_h;
}

const char *corpus_kernel_family(const nr_kernel *k)
{
    switch (k->type) {
    case NR_KERNEL_BILINEAR: return "bilinear";
    case NR_KERNEL_BICUBIC: return "bicubic";
    case NR_KERNEL_LANCZOS: return "lanczos";
    case NR_KERNEL_SPLINE16: case NR_KERNEL_SPLINE36: case NR_KERNEL_SPLINE64: return "spline";
    default: return "other";
    }
}

double corpus_cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}
