/*
 * video_decode's sampling of `detect` on videos, in process: a sample that
 * falls on a B-frame takes the next I- or P-frame when one comes within
 * `prefer_ref` seconds, else the B-frame itself; a sample on a reference
 * frame, or with prefer_ref 0, takes the first frame at or after its time.
 * The clip is made by the ffmpeg CLI with a fixed I B B P B B P ... pattern
 * (x264 b-adapt=0); each frame's level says which frame came back.
 *
 * usage: test_video_decode FFMPEG WORKDIR     (exit 77: no ffmpeg / x264)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image_io.h"
#include "video_decode.h"

static int failures, checks;

#define CHECK(cond, ...) do { checks++; if (!(cond)) { failures++; printf("FAIL: " __VA_ARGS__); printf("\n"); } } while (0)

/* frame n of the clip is drawn at the gray level (16 + 8 n) / 255 */
static int frame_index(const nr_image *img)
{
    double sum = 0;
    for (int i = 0; i < img->width * img->height; i++)
        sum += img->data[i];
    return (int)lrint((sum / (img->width * img->height) * 255.0 - 16.0) / 8.0);
}

/* the frame decoded for a sample at `seconds`: its index from its level,
 * and from its time (must agree) */
static int sample(nr_video *v, double seconds, double prefer_ref)
{
    nr_image img;
    double pts = -1;
    char err[256];
    if (nr_video_frame_at(v, seconds, prefer_ref, &img, &pts, err, sizeof(err)) != 0) {
        CHECK(0, "no frame at %g s: %s", seconds, err);
        return -1;
    }
    int by_level = frame_index(&img);
    int by_time = (int)lrint(pts * 24);
    CHECK(by_level == by_time, "frame at %g s: level says %d, time %d", seconds, by_level,
          by_time);
    nr_image_free(&img);
    return by_level;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: test_video_decode FFMPEG WORKDIR\n");
        return 2;
    }
    char path[1024], cmd[4096];
    snprintf(path, sizeof(path), "%s/ibbp.mkv", argv[2]);
    snprintf(cmd, sizeof(cmd),
             "mkdir -p '%s' && '%s' -nostdin -v error -y -f lavfi -i "
             "\"nullsrc=s=64x64:r=24,format=gray,geq=lum='16+8*N'\" -frames 24 -pix_fmt yuv420p "
             "-c:v libx264 -x264-params bframes=2:b-adapt=0:scenecut=0:keyint=48 -crf 10 '%s'",
             argv[2], argv[1], path);
    if (system(cmd) != 0) {
        printf("SKIP: ffmpeg with libx264 could not make the clip\n");
        return 77;
    }
    nr_video *v = NULL;
    char err[256];
    if (nr_video_open(&v, path, err, sizeof(err)) != 0) {
        fprintf(stderr, "FAIL: open %s: %s\n", path, err);
        return 1;
    }
    /* display order: I0 B1 B2 P3 B4 B5 P6 ... */
    const double f = 1.0 / 24;
    CHECK(sample(v, 0, 0.2) == 0, "the I-frame at 0 (a fresh file: no seek)");
    CHECK(sample(v, 1 * f, 0) == 1, "prefer_ref 0: the B-frame at the sample time");
    CHECK(sample(v, 1 * f, 0.2) == 3, "a B-frame gives way to the P-frame 2 frames on");
    CHECK(sample(v, 2 * f, 0.2) == 3, "and the next B-frame too");
    CHECK(sample(v, 1 * f, 1.5 * f) == 1, "no reference frame within 1.5 frames: the B-frame");
    CHECK(sample(v, 3 * f, 0.2) == 3, "a P-frame at the sample time is taken");
    CHECK(sample(v, 13 * f, 0.2) == 15, "after a seek: B13 gives way to P15");
    CHECK(sample(v, 7 * f, 0.05) == 7, "B7 kept when the wait would pass prefer_ref");
    nr_video_close(v);
    printf("%d checks, %d failed\n", checks, failures);
    return failures ? 1 : 0;
}
