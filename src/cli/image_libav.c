/*
 * image_libav: everything that is not Netpbm/PFM, through FFmpeg's
 * libraries: decoding (PNG, JPEG, TIFF, ... and video files' first frame)
 * into a luma plane, and the 16-bit gray PNG writer.
 *
 * PNG output uses libavcodec's encoder rather than libpng: the CLI
 * already links libavcodec for decoding, so this adds no dependency, and
 * gray16be is one of the encoder's native formats.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>

#include "image_io_priv.h"

static void av_reason(char *err, size_t err_size, const char *path, const char *what, int code)
{
    char msg[AV_ERROR_MAX_STRING_SIZE] = {0};
    av_strerror(code, msg, sizeof(msg));
    snprintf(err, err_size, "%s: %s (%s)", path, what, msg);
}

/* ------------------------------------------------------------------ */
/* Frame -> luma                                                       */

static bool is_full_range_yuv(const AVFrame *f, const AVPixFmtDescriptor *d)
{
    if (f->color_range == AVCOL_RANGE_JPEG)
        return true;
    if (f->color_range == AVCOL_RANGE_MPEG)
        return false;
    /* unspecified: gray (no chroma) and the JPEG "yuvj" formats are full */
    if (d->nb_components <= 2)
        return true;
    switch (f->format) {
    case AV_PIX_FMT_YUVJ411P: case AV_PIX_FMT_YUVJ420P: case AV_PIX_FMT_YUVJ422P:
    case AV_PIX_FMT_YUVJ440P: case AV_PIX_FMT_YUVJ444P:
        return true;
    default:
        return false;
    }
}

/* Y of YUV / gray formats, read sample by sample: exact for any bit depth,
 * endianness or packing. */
static void luma_from_y(const AVFrame *f, const AVPixFmtDescriptor *d, nr_image *out,
                        uint32_t *line)
{
    int depth = d->comp[0].depth;
    double offset = 0.0, scale = 1.0 / (double)((1u << depth) - 1);
    if (!is_full_range_yuv(f, d) && depth >= 8) {
        offset = 16.0 * (double)(1u << (depth - 8));
        scale = 1.0 / (219.0 * (double)(1u << (depth - 8)));
    }
    for (int y = 0; y < f->height; y++) {
        av_read_image_line2(line, (const uint8_t **)f->data, f->linesize, d, 0, y, 0,
                            f->width, 0, 4);
        float *dst = out->data + (size_t)y * (size_t)f->width;
        for (int x = 0; x < f->width; x++)
            dst[x] = (float)(((double)line[x] - offset) * scale);
    }
}

/* BT.709 luma of integer RGB formats (desc lists components R, G, B). */
static void luma_from_rgb(const AVFrame *f, const AVPixFmtDescriptor *d, nr_image *out,
                          uint32_t *line)
{
    const double k[3] = {NR_LUMA_KR, NR_LUMA_KG, NR_LUMA_KB};
    for (int y = 0; y < f->height; y++) {
        float *dst = out->data + (size_t)y * (size_t)f->width;
        for (int x = 0; x < f->width; x++)
            dst[x] = 0.0f;
        for (int c = 0; c < 3; c++) {
            double s = k[c] / (double)((1u << d->comp[c].depth) - 1);
            av_read_image_line2(line, (const uint8_t **)f->data, f->linesize, d, 0, y, c,
                                f->width, 0, 4);
            for (int x = 0; x < f->width; x++)
                dst[x] += (float)((double)line[x] * s);
        }
    }
}

/* 8-bit palette: indices into a native-endian 0xAARRGGBB table. Read
 * directly because swscale converts palettes through YUV (not exact). */
static void luma_from_pal8(const AVFrame *f, nr_image *out)
{
    const uint32_t *pal = (const uint32_t *)f->data[1];
    for (int y = 0; y < f->height; y++) {
        const uint8_t *src = f->data[0] + (ptrdiff_t)y * f->linesize[0];
        float *dst = out->data + (size_t)y * (size_t)f->width;
        for (int x = 0; x < f->width; x++) {
            uint32_t p = pal[src[x]];
            dst[x] = (float)((NR_LUMA_KR * (double)(p >> 16 & 255) +
                              NR_LUMA_KG * (double)(p >> 8 & 255) +
                              NR_LUMA_KB * (double)(p & 255)) / 255.0);
        }
    }
}

/* 32-bit float formats (grayf32, gbrpf32, ...), read as they are:
 * swscale would quantise them and treat gray as limited range. */
static float read_f32(const AVFrame *f, const AVPixFmtDescriptor *d, int c, int x, int y)
{
    const AVComponentDescriptor *comp = &d->comp[c];
    const uint8_t *p = f->data[comp->plane] + (ptrdiff_t)y * f->linesize[comp->plane] +
                       (ptrdiff_t)x * comp->step + comp->offset;
    bool be = d->flags & AV_PIX_FMT_FLAG_BE;
    uint32_t u = be ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
                    : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
    float v;
    memcpy(&v, &u, sizeof(v));
    return v;
}

static void luma_from_f32(const AVFrame *f, const AVPixFmtDescriptor *d, nr_image *out)
{
    bool rgb = d->flags & AV_PIX_FMT_FLAG_RGB;
    for (int y = 0; y < f->height; y++) {
        float *dst = out->data + (size_t)y * (size_t)f->width;
        for (int x = 0; x < f->width; x++)
            dst[x] = rgb ? (float)(NR_LUMA_KR * read_f32(f, d, 0, x, y) +
                                   NR_LUMA_KG * read_f32(f, d, 1, x, y) +
                                   NR_LUMA_KB * read_f32(f, d, 2, x, y))
                         : read_f32(f, d, 0, x, y);
    }
}

/* Anything else (half float, Bayer, XYZ, monowhite...): let swscale
 * convert to 16-bit RGB first. */
static int luma_via_swscale(const AVFrame *f, nr_image *out, char *err, size_t err_size)
{
    struct SwsContext *sws = sws_getContext(f->width, f->height, f->format,
                                            f->width, f->height, AV_PIX_FMT_RGB48,
                                            SWS_POINT | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT,
                                            NULL, NULL, NULL);
    if (!sws) {
        snprintf(err, err_size, "unsupported pixel format %s",
                 av_get_pix_fmt_name(f->format));
        return -1;
    }
    int linesize = f->width * 6;
    uint16_t *rgb = malloc((size_t)linesize * (size_t)f->height);
    if (!rgb) {
        sws_freeContext(sws);
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    uint8_t *dst[4] = {(uint8_t *)rgb, NULL, NULL, NULL};
    int dst_linesize[4] = {linesize, 0, 0, 0};
    sws_scale(sws, (const uint8_t *const *)f->data, f->linesize, 0, f->height, dst,
              dst_linesize);
    sws_freeContext(sws);
    size_t pixels = (size_t)f->width * (size_t)f->height;
    for (size_t i = 0; i < pixels; i++) {
        const uint16_t *px = rgb + 3 * i;   /* AV_PIX_FMT_RGB48 is native-endian */
        out->data[i] = (float)((NR_LUMA_KR * px[0] + NR_LUMA_KG * px[1] +
                                NR_LUMA_KB * px[2]) / 65535.0);
    }
    free(rgb);
    return 0;
}

int nr_image_from_avframe(const AVFrame *f, nr_image *out, char *err, size_t err_size)
{
    *out = (nr_image){0};
    const AVPixFmtDescriptor *d = av_pix_fmt_desc_get(f->format);
    if (!d || (d->flags & AV_PIX_FMT_FLAG_HWACCEL)) {
        snprintf(err, err_size, "unsupported pixel format %s",
                 d ? d->name : "(none)");
        return -1;
    }
    if (nr_image_check_size("frame", f->width, f->height, err, err_size) < 0 ||
        nr_image_alloc(out, f->width, f->height, err, err_size) < 0)
        return -1;

    /* exact paths first: palette, 32-bit float, integer RGB, integer Y */
    bool is_rgb = d->flags & AV_PIX_FMT_FLAG_RGB;
    bool is_float = d->flags & AV_PIX_FMT_FLAG_FLOAT;
    bool has_rgb = is_rgb && d->nb_components >= 3;
    bool plain_int = !(d->flags & (AV_PIX_FMT_FLAG_PAL | AV_PIX_FMT_FLAG_FLOAT |
                                   AV_PIX_FMT_FLAG_BAYER)) &&
                     d->comp[0].depth <= 16 &&
                     f->format != AV_PIX_FMT_MONOWHITE &&   /* 0 means white */
                     f->format != AV_PIX_FMT_XYZ12LE && f->format != AV_PIX_FMT_XYZ12BE;
    if (f->format == AV_PIX_FMT_PAL8) {
        luma_from_pal8(f, out);
        return 0;
    }
    if (is_float && d->comp[0].depth == 32 && (is_rgb ? has_rgb : d->nb_components <= 2)) {
        luma_from_f32(f, d, out);
        return 0;
    }
    if (plain_int && (has_rgb || !is_rgb)) {
        uint32_t *line = malloc((size_t)f->width * sizeof(uint32_t));
        if (!line) {
            snprintf(err, err_size, "out of memory");
            nr_image_free(out);
            return -1;
        }
        if (has_rgb)
            luma_from_rgb(f, d, out, line);
        else
            luma_from_y(f, d, out, line);
        free(line);
        return 0;
    }
    /* the rest (Bayer, XYZ, monowhite, half float...) through swscale */
    if (luma_via_swscale(f, out, err, err_size) < 0) {
        nr_image_free(out);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Decoding a file                                                     */

typedef struct decoder {
    AVFormatContext *fmt;
    AVCodecContext *codec;
    AVPacket *pkt;
    AVFrame *frame;
    int stream;
} decoder;

static void decoder_close(decoder *d)
{
    av_frame_free(&d->frame);
    av_packet_free(&d->pkt);
    avcodec_free_context(&d->codec);
    avformat_close_input(&d->fmt);
}

static int decoder_open(decoder *d, const char *path, char *err, size_t err_size)
{
    int ret = avformat_open_input(&d->fmt, path, NULL, NULL);
    if (ret < 0) {
        av_reason(err, err_size, path, "cannot read image", ret);
        return -1;
    }
    ret = avformat_find_stream_info(d->fmt, NULL);
    if (ret < 0) {
        av_reason(err, err_size, path, "cannot read image", ret);
        return -1;
    }
    const AVCodec *codec = NULL;
    d->stream = av_find_best_stream(d->fmt, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
    if (d->stream < 0 || !codec) {
        snprintf(err, err_size, "%s: no image in this file", path);
        return -1;
    }
    d->codec = avcodec_alloc_context3(codec);
    d->pkt = av_packet_alloc();
    d->frame = av_frame_alloc();
    if (!d->codec || !d->pkt || !d->frame) {
        snprintf(err, err_size, "%s: out of memory", path);
        return -1;
    }
    ret = avcodec_parameters_to_context(d->codec, d->fmt->streams[d->stream]->codecpar);
    if (ret >= 0) {
        /* fail on damaged data instead of concealing it (a truncated JPEG
         * decodes "fine" otherwise); TIFF's decoder treats any unknown tag
         * as an error under AV_EF_EXPLODE, so it keeps the default */
        d->codec->err_recognition |= AV_EF_CRCCHECK;
        if (codec->id != AV_CODEC_ID_TIFF)
            d->codec->err_recognition |= AV_EF_EXPLODE;
        d->codec->thread_count = 1;
        ret = avcodec_open2(d->codec, codec, NULL);
    }
    if (ret < 0) {
        av_reason(err, err_size, path, "cannot decode image", ret);
        return -1;
    }
    return 0;
}

/* Decodes the first frame of the chosen stream into d->frame. */
static int decoder_first_frame(decoder *d, const char *path, char *err, size_t err_size)
{
    bool flushing = false;
    for (;;) {
        int ret = avcodec_receive_frame(d->codec, d->frame);
        if (ret >= 0)
            break;
        if (ret == AVERROR_EOF) {
            snprintf(err, err_size, "%s: no image could be decoded (truncated or corrupt)", path);
            return -1;
        }
        if (ret != AVERROR(EAGAIN)) {
            av_reason(err, err_size, path, "corrupt image", ret);
            return -1;
        }
        if (flushing) {   /* EAGAIN after a flush cannot happen; be safe */
            snprintf(err, err_size, "%s: no image could be decoded", path);
            return -1;
        }
        ret = av_read_frame(d->fmt, d->pkt);
        if (ret == AVERROR_EOF) {
            flushing = true;
            ret = avcodec_send_packet(d->codec, NULL);
        } else if (ret < 0) {
            av_reason(err, err_size, path, "cannot read image", ret);
            return -1;
        } else {
            if (d->pkt->stream_index == d->stream) {
                if (d->pkt->flags & AV_PKT_FLAG_CORRUPT) {
                    snprintf(err, err_size, "%s: corrupt image data", path);
                    av_packet_unref(d->pkt);
                    return -1;
                }
                ret = avcodec_send_packet(d->codec, d->pkt);
            }
            av_packet_unref(d->pkt);
        }
        if (ret < 0 && ret != AVERROR(EAGAIN) && ret != AVERROR_EOF) {
            av_reason(err, err_size, path, "corrupt image", ret);
            return -1;
        }
    }
    if (d->frame->decode_error_flags || (d->frame->flags & AV_FRAME_FLAG_CORRUPT)) {
        snprintf(err, err_size, "%s: corrupt image data", path);
        return -1;
    }
    return 0;
}

int nr_libav_decode(const char *path, nr_image *out, char *err, size_t err_size)
{
    decoder d = {0};
    int ret = decoder_open(&d, path, err, err_size);
    if (ret >= 0)
        ret = decoder_first_frame(&d, path, err, err_size);
    if (ret >= 0) {
        char why[256] = {0};
        ret = nr_image_from_avframe(d.frame, out, why, sizeof(why));
        if (ret < 0)
            snprintf(err, err_size, "%s: %s", path, why);
    }
    decoder_close(&d);
    return ret;
}

/* ------------------------------------------------------------------ */
/* 16-bit gray PNG                                                     */

int nr_png16_encode(const nr_image *img, nr_bytes *out, char *err, size_t err_size)
{
    *out = (nr_bytes){0};
    const AVCodec *codec = avcodec_find_encoder(AV_CODEC_ID_PNG);
    if (!codec) {
        snprintf(err, err_size, "this libavcodec has no PNG encoder");
        return -1;
    }
    AVCodecContext *ctx = avcodec_alloc_context3(codec);
    AVFrame *frame = av_frame_alloc();
    AVPacket *pkt = av_packet_alloc();
    int ret = (ctx && frame && pkt) ? 0 : AVERROR(ENOMEM);
    if (ret >= 0) {
        ctx->width = img->width;
        ctx->height = img->height;
        ctx->pix_fmt = AV_PIX_FMT_GRAY16BE;
        ctx->time_base = (AVRational){1, 1};
        ctx->flags |= AV_CODEC_FLAG_BITEXACT;   /* no encoder version text */
        ret = avcodec_open2(ctx, codec, NULL);
    }
    if (ret >= 0) {
        frame->format = AV_PIX_FMT_GRAY16BE;
        frame->width = img->width;
        frame->height = img->height;
        ret = av_frame_get_buffer(frame, 0);
    }
    if (ret >= 0) {
        for (int y = 0; y < img->height; y++) {
            uint8_t *row = frame->data[0] + (size_t)y * (size_t)frame->linesize[0];
            const float *src = img->data + (size_t)y * (size_t)img->width;
            for (int x = 0; x < img->width; x++) {
                uint16_t v = nr_image_to_u16(src[x]);
                row[2 * x] = (uint8_t)(v >> 8);
                row[2 * x + 1] = (uint8_t)v;
            }
        }
        ret = avcodec_send_frame(ctx, frame);
    }
    if (ret >= 0)
        ret = avcodec_receive_packet(ctx, pkt);
    if (ret >= 0) {
        out->data = malloc((size_t)pkt->size);
        if (out->data) {
            memcpy(out->data, pkt->data, (size_t)pkt->size);
            out->size = (size_t)pkt->size;
        } else {
            ret = AVERROR(ENOMEM);
        }
    }
    if (ret < 0)
        av_reason(err, err_size, "PNG", "encoding failed", ret);
    av_packet_free(&pkt);
    av_frame_free(&frame);
    avcodec_free_context(&ctx);
    return ret < 0 ? -1 : 0;
}
