/* video_decode: seek + decode one frame at a time (see video_decode.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>

#include "video_decode.h"

struct nr_video {
    AVFormatContext *fmt;
    AVCodecContext *dec;
    AVPacket *pkt;
    AVFrame *frame;
    AVFrame *first_b;     /* a B-frame held while the next reference frame is decoded */
    int stream;
    bool still;
};

static void averr(char *err, size_t n, const char *path, const char *what, int code)
{
    char buf[AV_ERROR_MAX_STRING_SIZE] = "";
    av_strerror(code, buf, sizeof(buf));
    snprintf(err, n, "%s: %s (%s)", path, what, buf);
}

void nr_video_close(nr_video *v)
{
    if (!v)
        return;
    av_frame_free(&v->frame);
    av_frame_free(&v->first_b);
    av_packet_free(&v->pkt);
    avcodec_free_context(&v->dec);
    avformat_close_input(&v->fmt);
    av_free(v);
}

int nr_video_open(nr_video **out, const char *path, char *err, size_t err_size)
{
    *out = NULL;
    nr_video *v = av_mallocz(sizeof(*v));
    if (!v) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    int ret = avformat_open_input(&v->fmt, path, NULL, NULL);
    if (ret < 0) {
        averr(err, err_size, path, "cannot open", ret);
        av_free(v);
        return -1;
    }
    ret = avformat_find_stream_info(v->fmt, NULL);
    if (ret < 0) {
        averr(err, err_size, path, "cannot read stream info", ret);
        nr_video_close(v);
        return -1;
    }
    const AVCodec *codec = NULL;
    v->stream = av_find_best_stream(v->fmt, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
    if (v->stream < 0 || !codec) {
        snprintf(err, err_size, "%s: %s", path,
                 v->stream == AVERROR_DECODER_NOT_FOUND ? "no decoder for the video stream"
                                                        : "no video stream");
        nr_video_close(v);
        return -1;
    }
    AVStream *st = v->fmt->streams[v->stream];
    v->dec = avcodec_alloc_context3(codec);
    v->pkt = av_packet_alloc();
    v->frame = av_frame_alloc();
    v->first_b = av_frame_alloc();
    if (!v->dec || !v->pkt || !v->frame || !v->first_b) {
        snprintf(err, err_size, "out of memory");
        nr_video_close(v);
        return -1;
    }
    avcodec_parameters_to_context(v->dec, st->codecpar);
    v->dec->thread_count = 0;
    ret = avcodec_open2(v->dec, codec, NULL);
    if (ret < 0) {
        averr(err, err_size, path, "cannot open the decoder", ret);
        nr_video_close(v);
        return -1;
    }
    const char *name = v->fmt->iformat->name;
    v->still = strstr(name, "image2") || strstr(name, "_pipe") ||
               (st->disposition & AV_DISPOSITION_ATTACHED_PIC) || st->nb_frames == 1;
    *out = v;
    return 0;
}

bool nr_video_is_still(const nr_video *v)
{
    return v->still;
}

double nr_video_duration(const nr_video *v)
{
    AVStream *st = v->fmt->streams[v->stream];
    if (st->duration > 0 && st->time_base.den)
        return st->duration * av_q2d(st->time_base);
    if (v->fmt->duration > 0)
        return v->fmt->duration / (double)AV_TIME_BASE;
    return 0;
}

static double frame_seconds(const nr_video *v, const AVFrame *f)
{
    AVStream *st = v->fmt->streams[v->stream];
    int64_t ts = f->best_effort_timestamp != AV_NOPTS_VALUE ? f->best_effort_timestamp : f->pts;
    if (ts == AV_NOPTS_VALUE)
        return NAN;
    double t = ts * av_q2d(st->time_base);
    if (st->start_time != AV_NOPTS_VALUE)
        t -= st->start_time * av_q2d(st->time_base);
    return t;
}

/* the decoded frame f as the answer (f is unreferenced) */
static int take_frame(nr_video *v, AVFrame *f, double seconds, nr_image *out, double *pts,
                      char *err, size_t err_size)
{
    double t = frame_seconds(v, f);
    *pts = isfinite(t) ? t : seconds;
    char why[200];
    int ret = nr_image_from_avframe(f, out, why, sizeof(why));
    av_frame_unref(f);
    if (ret < 0) {
        snprintf(err, err_size, "%s", why);
        return -1;
    }
    return 0;
}

int nr_video_frame_at(nr_video *v, double seconds, double prefer_ref, nr_image *out,
                      double *pts, char *err, size_t err_size)
{
    *out = (nr_image){0};
    AVStream *st = v->fmt->streams[v->stream];
    if (!v->still && seconds > 0) {
        int64_t ts = (int64_t)(seconds / av_q2d(st->time_base));
        if (st->start_time != AV_NOPTS_VALUE)
            ts += st->start_time;
        if (av_seek_frame(v->fmt, v->stream, ts, AVSEEK_FLAG_BACKWARD) >= 0)
            avcodec_flush_buffers(v->dec);
    }
    av_frame_unref(v->first_b);
    bool have_b = false;   /* the B-frame at `seconds`, kept while a reference frame may come */
    bool draining = false;
    int guard = 0;
    for (;;) {
        int ret = avcodec_receive_frame(v->dec, v->frame);
        if (ret == 0) {
            double t = frame_seconds(v, v->frame);
            /* frames before the target (from the keyframe on) are skipped;
             * a bounded number, in case timestamps are broken */
            if (!v->still && isfinite(t) && t + 1e-3 < seconds && guard++ < 2000) {
                av_frame_unref(v->frame);
                continue;
            }
            bool b = v->frame->pict_type == AV_PICTURE_TYPE_B;
            if (have_b && (!isfinite(t) || t >= seconds + prefer_ref - 1e-3)) {
                av_frame_unref(v->frame);   /* none came in time: the B-frame */
                return take_frame(v, v->first_b, seconds, out, pts, err, err_size);
            }
            if (b && prefer_ref > 0 && !v->still && guard++ < 2000) {
                if (!have_b)
                    av_frame_move_ref(v->first_b, v->frame);
                else
                    av_frame_unref(v->frame);
                have_b = true;
                continue;
            }
            av_frame_unref(v->first_b);
            return take_frame(v, v->frame, seconds, out, pts, err, err_size);
        }
        if (ret == AVERROR_EOF)
            return have_b ? take_frame(v, v->first_b, seconds, out, pts, err, err_size) : 1;
        if (ret != AVERROR(EAGAIN)) {
            averr(err, err_size, v->fmt->url, "decoding failed", ret);
            return -1;
        }
        if (draining)
            return have_b ? take_frame(v, v->first_b, seconds, out, pts, err, err_size) : 1;
        ret = av_read_frame(v->fmt, v->pkt);
        if (ret < 0) {
            draining = true;
            avcodec_send_packet(v->dec, NULL);
            continue;
        }
        if (v->pkt->stream_index == v->stream) {
            ret = avcodec_send_packet(v->dec, v->pkt);
            av_packet_unref(v->pkt);
            if (ret < 0 && ret != AVERROR(EAGAIN) && ret != AVERROR_EOF) {
                averr(err, err_size, v->fmt->url, "corrupt video data", ret);
                return -1;
            }
        } else {
            av_packet_unref(v->pkt);
        }
    }
}
