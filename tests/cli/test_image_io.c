/*
 * image_io, in process: every input format the CLI reads (PGM/PPM 8 and
 * 16 bit with odd maxvals, PFM both endiannesses and colour, PNG gray/RGB
 * 8/16-bit and palette, JPEG, YUV frames in limited and full range) against
 * hand-computed values; the writers byte by byte (PFM orientation, PGM
 * big-endian, clipping and rounding) and by round trip; and the failure
 * cases (truncated, corrupt, missing, unwritable: -1, a message, no file).
 *
 * usage: test_image_io
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavutil/frame.h>
#include <libavutil/log.h>

#include "cli_run.h"
#include "image_io.h"

static const char *tmp;
static int failures, checks;

static void fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("FAIL ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    failures++;
}

static const char *tmp_path(const char *name)
{
    static char path[4][600];
    static int next;
    char *p = path[next++ % 4];
    snprintf(p, sizeof(path[0]), "%s/%s", tmp, name);
    return p;
}

/* Loads path and compares with expected values (row-major) to tol. */
static void expect_image(const char *label, const char *path, int w, int h,
                         const double *expected, double tol)
{
    nr_image img;
    char err[512];
    checks++;
    if (nr_image_load_luma(path, &img, err, sizeof(err)) < 0) {
        fail("%s: load failed: %s", label, err);
        return;
    }
    if (img.width != w || img.height != h) {
        fail("%s: size %dx%d, expected %dx%d", label, img.width, img.height, w, h);
        nr_image_free(&img);
        return;
    }
    double worst = 0;
    for (int i = 0; i < w * h; i++) {
        double d = fabs(img.data[i] - expected[i]);
        if (!(d <= worst))
            worst = isnan(d) ? INFINITY : d;
    }
    printf("%-4s %-44s max abs error %.3g (tolerance %.3g)\n", worst <= tol ? "ok" : "FAIL",
           label, worst, tol);
    if (!(worst <= tol))
        failures++;
    nr_image_free(&img);
}

static void expect_load_error(const char *label, const char *path)
{
    nr_image img = {.width = 7};
    char err[512] = "";
    checks++;
    int r = nr_image_load_luma(path, &img, err, sizeof(err));
    if (r != -1 || img.data || img.width || !err[0] || !strstr(err, path))
        fail("%s: expected an error naming the file, got %d '%s'", label, r, err);
    else
        printf("ok   %-44s error: %s\n", label, err);
}

/* ------------------------------------------------------------------ */
/* Test images                                                          */

/* Three RGB test colours (8-bit) and their BT.709 luma, computed by hand:
 * 0.2126 R + 0.7152 G + 0.0722 B over 255. */
static const int rgb8[4][3] = {{255, 0, 0}, {0, 255, 0}, {128, 64, 32}, {10, 200, 30}};
static const double rgb8_luma[4] = {
    0.2126,
    0.7152,
    75.296 / 255,     /* 27.2128 + 45.7728 + 2.3104 */
    147.332 / 255,    /* 2.126 + 143.04 + 2.166 */
};

static void write_bytes(const char *path, const void *data, size_t n)
{
    if (!cli_write_file(path, data, n)) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(1);
    }
}

/* Encodes one frame with a libavcodec image encoder into a file. */
static void encode_file(const char *path, enum AVCodecID id, const AVFrame *frame)
{
    const AVCodec *codec = avcodec_find_encoder(id);
    AVCodecContext *ctx = codec ? avcodec_alloc_context3(codec) : NULL;
    AVPacket *pkt = av_packet_alloc();
    if (!ctx || !pkt) {
        fprintf(stderr, "no encoder for %s\n", path);
        exit(1);
    }
    ctx->width = frame->width;
    ctx->height = frame->height;
    ctx->pix_fmt = frame->format;
    ctx->time_base = (AVRational){1, 25};
    ctx->color_range = frame->color_range;
    if (id == AV_CODEC_ID_MJPEG) {
        ctx->flags |= AV_CODEC_FLAG_QSCALE;
        ctx->global_quality = FF_QP2LAMBDA * 1;
    }
    if (avcodec_open2(ctx, codec, NULL) < 0 || avcodec_send_frame(ctx, frame) < 0 ||
        avcodec_receive_packet(ctx, pkt) < 0) {
        fprintf(stderr, "encoding %s failed\n", path);
        exit(1);
    }
    write_bytes(path, pkt->data, (size_t)pkt->size);
    av_packet_free(&pkt);
    avcodec_free_context(&ctx);
}

static AVFrame *new_frame(enum AVPixelFormat fmt, int w, int h)
{
    AVFrame *f = av_frame_alloc();
    f->format = fmt;
    f->width = w;
    f->height = h;
    if (av_frame_get_buffer(f, 0) < 0) {
        fprintf(stderr, "av_frame_get_buffer failed\n");
        exit(1);
    }
    return f;
}

/* ------------------------------------------------------------------ */

static void test_netpbm(void)
{
    /* 8-bit, maxval 255, with a comment in the header; 2x2 */
    const char pgm8[] = "P5\n# comment\n2 2\n255\n\x00\x40\xff\x80";
    write_bytes(tmp_path("a.pgm"), pgm8, sizeof(pgm8) - 1);
    expect_image("PGM 8-bit", tmp_path("a.pgm"), 2, 2,
                 (double[]){0, 64 / 255.0, 1, 128 / 255.0}, 1e-7);

    /* maxval 100 is respected: 100 is white */
    const char pgm100[] = "P5 3 1 100\n\x00\x32\x64";
    write_bytes(tmp_path("b.pgm"), pgm100, sizeof(pgm100) - 1);
    expect_image("PGM 8-bit maxval 100", tmp_path("b.pgm"), 3, 1,
                 (double[]){0, 0.5, 1}, 1e-7);

    /* 16-bit big-endian, maxval 65535 and 1000 */
    const unsigned char pgm16[] = "P5\n3 1\n65535\n\x00\x01\x80\x00\xff\xff";
    write_bytes(tmp_path("c.pgm"), pgm16, sizeof(pgm16) - 1);
    expect_image("PGM 16-bit", tmp_path("c.pgm"), 3, 1,
                 (double[]){1 / 65535.0, 32768 / 65535.0, 1}, 1e-7);
    const unsigned char pgm1000[] = "P5\n2 1\n1000\n\x01\xf4\x03\xe8";   /* 500, 1000 */
    write_bytes(tmp_path("d.pgm"), pgm1000, sizeof(pgm1000) - 1);
    expect_image("PGM 16-bit maxval 1000", tmp_path("d.pgm"), 2, 1,
                 (double[]){0.5, 1}, 1e-7);

    /* PPM colour -> BT.709 luma */
    unsigned char ppm[64];
    int n = snprintf((char *)ppm, sizeof(ppm), "P6\n4 1\n255\n");
    for (int i = 0; i < 4; i++)
        for (int c = 0; c < 3; c++)
            ppm[n++] = (unsigned char)rgb8[i][c];
    write_bytes(tmp_path("e.ppm"), ppm, (size_t)n);
    expect_image("PPM 8-bit RGB -> BT.709 luma", tmp_path("e.ppm"), 4, 1, rgb8_luma, 1e-6);
}

static void put_f32(unsigned char *p, float v, bool little)
{
    uint32_t u;
    memcpy(&u, &v, 4);
    for (int i = 0; i < 4; i++)
        p[little ? i : 3 - i] = (unsigned char)(u >> (8 * i));
}

static void test_pfm(void)
{
    /* writer: a non-symmetric 3x2 image, checked byte by byte */
    const float values[6] = {0.0f, 1.0f, 2.0f, -3.5f, 4.25f, 1e-3f};   /* rows: 0 1 2 / -3.5 4.25 1e-3 */
    nr_image img = {3, 2, (float *)values};
    char err[512];
    checks++;
    if (nr_image_save(tmp_path("o.pfm"), &img, err, sizeof(err)) < 0) {
        fail("PFM save: %s", err);
        return;
    }
    size_t size;
    unsigned char *file = cli_read_file(tmp_path("o.pfm"), &size);
    const char header[] = "Pf\n3 2\n-1.0\n";
    size_t hl = sizeof(header) - 1;
    bool ok = file && size == hl + 24 && !memcmp(file, header, hl);
    for (int i = 0; ok && i < 6; i++) {
        /* stored bottom row first: stored index i is image row 1 - i/3 */
        unsigned char want[4];
        put_f32(want, values[(1 - i / 3) * 3 + i % 3], true);
        ok = !memcmp(file + hl + 4 * i, want, 4);
    }
    if (!ok)
        fail("PFM writer: header, orientation (bottom row first) or byte order wrong");
    else
        printf("ok   %-44s bottom row stored first, little-endian\n", "PFM writer bytes");
    free(file);

    double expect[6];
    for (int i = 0; i < 6; i++)
        expect[i] = values[i];
    expect_image("PFM round trip (values not clipped)", tmp_path("o.pfm"), 3, 2, expect, 0);

    /* a big-endian PFM (positive scale), written by hand */
    unsigned char be[64];
    int n = snprintf((char *)be, sizeof(be), "Pf\n3 2\n1.0\n");
    for (int i = 0; i < 6; i++)
        put_f32(be + n + 4 * i, values[(1 - i / 3) * 3 + i % 3], false);
    write_bytes(tmp_path("be.pfm"), be, (size_t)n + 24);
    expect_image("PFM big-endian", tmp_path("be.pfm"), 3, 2, expect, 0);

    /* colour PFM -> luma */
    unsigned char pf[128];
    n = snprintf((char *)pf, sizeof(pf), "PF\n4 1\n-1.0\n");
    for (int i = 0; i < 4; i++)
        for (int c = 0; c < 3; c++)
            put_f32(pf + n + 12 * i + 4 * c, (float)(rgb8[i][c] / 255.0), true);
    write_bytes(tmp_path("c.pfm"), pf, (size_t)n + 48);
    expect_image("PFM colour -> BT.709 luma", tmp_path("c.pfm"), 4, 1, rgb8_luma, 1e-6);
}

static void test_png_jpeg(void)
{
    /* gray 8-bit */
    AVFrame *f = new_frame(AV_PIX_FMT_GRAY8, 4, 2);
    double expect[8];
    for (int y = 0; y < 2; y++)
        for (int x = 0; x < 4; x++) {
            int v = (y * 4 + x) * 36;
            f->data[0][y * f->linesize[0] + x] = (uint8_t)v;
            expect[y * 4 + x] = v / 255.0;
        }
    encode_file(tmp_path("g8.png"), AV_CODEC_ID_PNG, f);
    expect_image("PNG gray 8-bit", tmp_path("g8.png"), 4, 2, expect, 1e-7);
    av_frame_free(&f);

    /* gray 16-bit */
    f = new_frame(AV_PIX_FMT_GRAY16BE, 4, 2);
    for (int y = 0; y < 2; y++)
        for (int x = 0; x < 4; x++) {
            int v = (y * 4 + x) * 9000 + 7;
            f->data[0][y * f->linesize[0] + 2 * x] = (uint8_t)(v >> 8);
            f->data[0][y * f->linesize[0] + 2 * x + 1] = (uint8_t)v;
            expect[y * 4 + x] = v / 65535.0;
        }
    encode_file(tmp_path("g16.png"), AV_CODEC_ID_PNG, f);
    expect_image("PNG gray 16-bit", tmp_path("g16.png"), 4, 2, expect, 1e-7);
    av_frame_free(&f);

    /* RGB 8-bit and 16-bit (the same colours, scaled by 257) */
    f = new_frame(AV_PIX_FMT_RGB24, 4, 1);
    for (int i = 0; i < 4; i++)
        for (int c = 0; c < 3; c++)
            f->data[0][3 * i + c] = (uint8_t)rgb8[i][c];
    encode_file(tmp_path("rgb8.png"), AV_CODEC_ID_PNG, f);
    expect_image("PNG RGB 8-bit -> BT.709 luma", tmp_path("rgb8.png"), 4, 1, rgb8_luma, 1e-6);
    av_frame_free(&f);

    f = new_frame(AV_PIX_FMT_RGB48BE, 4, 1);
    for (int i = 0; i < 4; i++)
        for (int c = 0; c < 3; c++) {
            int v = rgb8[i][c] * 257;
            f->data[0][6 * i + 2 * c] = (uint8_t)(v >> 8);
            f->data[0][6 * i + 2 * c + 1] = (uint8_t)v;
        }
    encode_file(tmp_path("rgb16.png"), AV_CODEC_ID_PNG, f);
    expect_image("PNG RGB 16-bit -> BT.709 luma", tmp_path("rgb16.png"), 4, 1, rgb8_luma, 1e-6);
    av_frame_free(&f);

    /* palette PNG (decoded as pal8, read through its table) */
    f = new_frame(AV_PIX_FMT_PAL8, 4, 1);
    uint32_t *pal = (uint32_t *)f->data[1];
    for (int i = 0; i < 4; i++) {
        pal[i] = 0xffu << 24 | (uint32_t)rgb8[i][0] << 16 | (uint32_t)rgb8[i][1] << 8 |
                 (uint32_t)rgb8[i][2];
        f->data[0][i] = (uint8_t)i;
    }
    encode_file(tmp_path("pal.png"), AV_CODEC_ID_PNG, f);
    expect_image("PNG palette -> BT.709 luma", tmp_path("pal.png"), 4, 1, rgb8_luma, 1e-6);
    av_frame_free(&f);

    /* JPEG (full-range YUV): flat 8x8 blocks survive the DCT almost
     * exactly; the Y plane is the luma */
    f = new_frame(AV_PIX_FMT_YUVJ444P, 16, 8);
    f->color_range = AVCOL_RANGE_JPEG;
    double jexpect[16 * 8];
    for (int y = 0; y < 8; y++)
        for (int x = 0; x < 16; x++) {
            int v = x < 8 ? 40 : 220;
            f->data[0][y * f->linesize[0] + x] = (uint8_t)v;
            f->data[1][y * f->linesize[1] + x] = 128;
            f->data[2][y * f->linesize[2] + x] = 128;
            jexpect[y * 16 + x] = v / 255.0;
        }
    encode_file(tmp_path("y.jpg"), AV_CODEC_ID_MJPEG, f);
    expect_image("JPEG (full-range Y)", tmp_path("y.jpg"), 16, 8, jexpect, 1.5 / 255);
    av_frame_free(&f);

    /* TIFF (its decoder is strict about tags FFmpeg's own encoder writes) */
    f = new_frame(AV_PIX_FMT_RGB24, 4, 1);
    for (int i = 0; i < 4; i++)
        for (int c = 0; c < 3; c++)
            f->data[0][3 * i + c] = (uint8_t)rgb8[i][c];
    encode_file(tmp_path("rgb.tiff"), AV_CODEC_ID_TIFF, f);
    expect_image("TIFF RGB 8-bit -> BT.709 luma", tmp_path("rgb.tiff"), 4, 1, rgb8_luma, 1e-6);
    av_frame_free(&f);
}

/* nr_image_from_avframe on YUV frames: range handling. */
static void expect_frame(const char *label, const AVFrame *f, const double *expected, int n)
{
    nr_image img;
    char err[256];
    checks++;
    if (nr_image_from_avframe(f, &img, err, sizeof(err)) < 0) {
        fail("%s: %s", label, err);
        return;
    }
    double worst = 0;
    for (int i = 0; i < n; i++)
        worst = fmax(worst, fabs(img.data[i] - expected[i]));
    /* the swscale path carries 16 bits */
    double tol = strstr(label, "swscale") ? 0.5 / 65535 + 1e-7 : 1e-6;
    printf("%-4s %-44s max abs error %.3g\n", worst <= tol ? "ok" : "FAIL", label, worst);
    if (!(worst <= tol))
        failures++;
    nr_image_free(&img);
}

static void test_yuv_frames(void)
{
    AVFrame *f = new_frame(AV_PIX_FMT_YUV420P, 4, 2);
    const uint8_t y8[4] = {16, 235, 126, 0};
    for (int x = 0; x < 4; x++)
        f->data[0][x] = f->data[0][f->linesize[0] + x] = y8[x];
    expect_frame("yuv420p limited (range unspecified)", f,
                 (double[]){0, 1, 110 / 219.0, -16 / 219.0}, 4);
    f->color_range = AVCOL_RANGE_MPEG;
    expect_frame("yuv420p limited", f, (double[]){0, 1, 110 / 219.0, -16 / 219.0}, 4);
    f->color_range = AVCOL_RANGE_JPEG;
    expect_frame("yuv420p full", f, (double[]){16 / 255.0, 235 / 255.0, 126 / 255.0, 0}, 4);
    av_frame_free(&f);

    f = new_frame(AV_PIX_FMT_YUV420P10LE, 4, 2);
    const uint16_t y10[4] = {64, 940, 502, 1023};
    for (int x = 0; x < 4; x++) {
        uint16_t *row = (uint16_t *)f->data[0];
        row[x] = y10[x];
        ((uint16_t *)(f->data[0] + f->linesize[0]))[x] = y10[x];
    }
    f->color_range = AVCOL_RANGE_MPEG;
    expect_frame("yuv420p10le limited", f, (double[]){0, 1, 0.5, 959 / 876.0}, 4);
    av_frame_free(&f);

    f = new_frame(AV_PIX_FMT_GRAY8, 2, 1);
    f->data[0][0] = 0;
    f->data[0][1] = 255;
    expect_frame("gray8 (range unspecified = full)", f, (double[]){0, 1}, 2);
    av_frame_free(&f);

    /* 1-bit "0 is white" (through swscale) and float gray (read directly) */
    f = new_frame(AV_PIX_FMT_MONOWHITE, 8, 1);
    f->data[0][0] = 0x0f;   /* 4 white then 4 black pixels */
    expect_frame("monowhite (via swscale)", f, (double[]){1, 1, 1, 1, 0, 0, 0, 0}, 8);
    av_frame_free(&f);
    f = new_frame(AV_PIX_FMT_GRAYF32, 3, 1);
    memcpy(f->data[0], (const float[]){0.0f, 0.25f, 1.0f / 3}, 3 * sizeof(float));
    expect_frame("grayf32 (read as float)", f, (double[]){0, 0.25, 1.0f / 3}, 3);
    av_frame_free(&f);
}

static void test_writers(void)
{
    /* clipping and rounding of the 16-bit outputs; NaN becomes 0 */
    const float values[6] = {-0.5f, 1.5f, 0.25f, 1.0f / 3, NAN, 1.0f};
    const uint16_t codes[6] = {0, 65535, 16384, 21845, 0, 65535};
    nr_image img = {3, 2, (float *)values};
    char err[512];
    double expect[6];
    for (int i = 0; i < 6; i++)
        expect[i] = codes[i] / 65535.0;

    checks++;
    if (nr_image_save(tmp_path("w.pgm"), &img, err, sizeof(err)) < 0) {
        fail("PGM save: %s", err);
    } else {
        size_t size;
        unsigned char *file = cli_read_file(tmp_path("w.pgm"), &size);
        const char header[] = "P5\n3 2\n65535\n";
        size_t hl = sizeof(header) - 1;
        bool ok = file && size == hl + 12 && !memcmp(file, header, hl);
        for (int i = 0; ok && i < 6; i++)
            ok = file[hl + 2 * i] == codes[i] >> 8 && file[hl + 2 * i + 1] == (codes[i] & 255);
        if (!ok)
            fail("PGM writer: header or big-endian 16-bit codes wrong");
        else
            printf("ok   %-44s clipped, rounded, big-endian\n", "PGM 16-bit writer bytes");
        free(file);
    }
    expect_image("PGM 16-bit round trip", tmp_path("w.pgm"), 3, 2, expect, 1e-7);

    checks++;
    if (nr_image_save(tmp_path("w.png"), &img, err, sizeof(err)) < 0)
        fail("PNG save: %s", err);
    expect_image("PNG 16-bit round trip", tmp_path("w.png"), 3, 2, expect, 1e-7);

    /* a larger image with every 16-bit level pattern through PNG */
    nr_image big;
    checks++;
    if (nr_image_alloc(&big, 256, 256, err, sizeof(err)) == 0) {
        double *bexp = malloc(sizeof(double) * 65536);
        for (int i = 0; i < 65536; i++) {
            big.data[i] = (float)(i / 65535.0);
            bexp[i] = i / 65535.0;
        }
        if (nr_image_save(tmp_path("big.png"), &big, err, sizeof(err)) < 0)
            fail("PNG save: %s", err);
        expect_image("PNG 16-bit all 65536 levels", tmp_path("big.png"), 256, 256, bexp, 1e-7);
        free(bexp);
        nr_image_free(&big);
    }

    /* unknown extension, missing directory: error and nothing written */
    int before = cli_dir_count(tmp);
    const char *bad[] = {"x.bmp", "noext", "missing-dir/x.pfm", "x.png/"};
    for (int i = 0; i < 4; i++) {
        checks++;
        err[0] = '\0';
        if (nr_image_save(tmp_path(bad[i]), &img, err, sizeof(err)) != -1 || !err[0])
            fail("saving %s should fail", bad[i]);
        else
            printf("ok   %-44s error: %s\n", bad[i], err);
    }
    checks++;
    if (cli_dir_count(tmp) != before)
        fail("failed saves left files behind (%d -> %d entries)", before, cli_dir_count(tmp));
}

static void test_load_errors(void)
{
    const char *cases[][2] = {
        {"trunc.pgm", "P5\n4 4\n255\n\x01\x02\x03"},
        {"trunc16.pgm", "P5\n2 1\n65535\n\x01\x02\x03"},
        {"header.pgm", "P5\n4 x\n255\n"},
        {"maxval.pgm", "P5\n2 1\n70000\n\x01\x02\x03\x04"},
        {"over.pgm", "P5\n2 1\n100\n\x01\xc8"},
        {"nosep.pgm", "P5\n1 1\n255"},
        {"huge.pgm", "P5\n100000 100000\n255\n"},
        {"trunc.pfm", "Pf\n2 2\n-1.0\n\x00\x00\x00\x00"},
        {"scale.pfm", "Pf\n1 1\nzero\n\x00\x00\x00\x00"},
        {"empty.png", ""},
        {"garbage.png", "this is not an image at all, just text"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        write_bytes(tmp_path(cases[i][0]), cases[i][1], strlen(cases[i][1]));
        expect_load_error(cases[i][0], tmp_path(cases[i][0]));
    }

    /* a real PNG, truncated and with damaged data */
    size_t size;
    unsigned char *png = cli_read_file(tmp_path("big.png"), &size);
    if (png) {
        write_bytes(tmp_path("half.png"), png, size / 2);
        expect_load_error("PNG truncated to half", tmp_path("half.png"));
        for (size_t k = size / 3; k < size / 3 + 64; k++)
            png[k] ^= 0x5a;
        write_bytes(tmp_path("damaged.png"), png, size);
        expect_load_error("PNG with damaged bytes", tmp_path("damaged.png"));
        free(png);
    }
    unsigned char *jpg = cli_read_file(tmp_path("y.jpg"), &size);
    if (jpg) {
        write_bytes(tmp_path("half.jpg"), jpg, size / 2);
        expect_load_error("JPEG truncated to half", tmp_path("half.jpg"));
        free(jpg);
    }
    expect_load_error("missing file", tmp_path("does-not-exist.png"));
    expect_load_error("a directory", tmp);
}

int main(void)
{
    av_log_set_level(AV_LOG_QUIET);
    tmp = cli_tmpdir_create();
    if (!tmp) {
        perror("mkdtemp");
        return 1;
    }
    test_netpbm();
    test_pfm();
    test_png_jpeg();
    test_yuv_frames();
    test_writers();
    test_load_errors();
    cli_tmpdir_remove(tmp);
    printf("%d checks, %d failures\n", checks, failures);
    return failures ? 1 : 0;
}
