/*
 * video_decode — frames of a video file for `nativeres detect`, decoded
 * with libavformat / libavcodec and turned into luma planes by
 * nr_image_from_avframe (bit depth and limited / full range respected).
 */
#ifndef NR_CLI_VIDEO_DECODE_H
#define NR_CLI_VIDEO_DECODE_H

#include <stdbool.h>
#include <stddef.h>

#include "image_io.h"

typedef struct nr_video nr_video;

/* Opens the best video stream of a file. -1 with a reason on failure
 * (unreadable, not a media file, no video stream, no decoder). */
int nr_video_open(nr_video **out, const char *path, char *err, size_t err_size);
void nr_video_close(nr_video *v);

/* True for a still image container (PNG, JPEG, PGM, ... read by libav's
 * image demuxers): one frame, no timeline. */
bool nr_video_is_still(const nr_video *v);

/* Duration in seconds; 0 when unknown. */
double nr_video_duration(const nr_video *v);

/* Decodes the first frame at or after `seconds` (seeking to the keyframe
 * before it) into *out; *pts gets its time in seconds. A B-frame there
 * gives way to the first I- or P-frame less than `prefer_ref` seconds
 * after it (encoders code B-frames about 2 QP coarser: the scaling trace
 * is half as deep), if one comes; 0 takes the first frame. Returns 0, 1 at
 * the end of the stream (no frame), -1 with a reason on a decoding error. */
int nr_video_frame_at(nr_video *v, double seconds, double prefer_ref, nr_image *out,
                      double *pts, char *err, size_t err_size);

#endif
