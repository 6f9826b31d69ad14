#include "grab.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct np_grabber {
    mpv_handle *h;        /* our own client: only our replies arrive here */
    uint64_t seq;         /* request ids of the current grab: 5*seq + 0..4 */
};

np_grabber *np_grabber_new(mpv_handle *main_handle)
{
    np_grabber *g = calloc(1, sizeof(*g));
    if (!g)
        return NULL;
    g->h = mpv_create_client(main_handle, "nativeres-grab");
    if (!g->h) {
        free(g);
        return NULL;
    }
    /* replies only: no broadcast events pile up on this handle */
    for (int id = 1; id < 64; id++) {
        if (id != MPV_EVENT_SHUTDOWN && id != MPV_EVENT_COMMAND_REPLY &&
            id != MPV_EVENT_SET_PROPERTY_REPLY && id != MPV_EVENT_GET_PROPERTY_REPLY)
            mpv_request_event(g->h, (mpv_event_id)id, 0);
    }
    return g;
}

void np_grabber_free(np_grabber *g)
{
    if (!g)
        return;
    mpv_destroy(g->h);
    free(g);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

const mpv_node *np_grab_frame(np_grabber *g, double timeout_s)
{
    int user_sw = 0;
    bool toggle = mpv_get_property(g->h, "screenshot-sw", MPV_FORMAT_FLAG, &user_sw) >= 0 &&
                  !user_sw;
    /* The software conversion to bgr0 dithers by default (zimg-dither=
     * random): noise of 0.38 code values (std) on the luma we measure,
     * which hid a 955.75 upscale from a compressed frame whose decoded
     * plane shows it (`plugin_replay`'s clips). Plain rounding gives the
     * coded luma back exactly where the picture is grey. */
    char *user_dither = mpv_get_property_string(g->h, "zimg-dither");
    bool undither = user_dither && strcmp(user_dither, "no") != 0;
    uint64_t base = 5 * ++g->seq;
    int yes = 1;
    const char *no = "no";
    const char *cmd[] = {"screenshot-raw", "video", NULL};
    /* queued together, run together; the restores are queued before we
     * wait, so they happen even when we give up waiting */
    int sent = -1;
    if ((!toggle || mpv_set_property_async(g->h, base, "screenshot-sw", MPV_FORMAT_FLAG,
                                           &yes) >= 0) &&
        (!undither || mpv_set_property_async(g->h, base + 1, "zimg-dither", MPV_FORMAT_STRING,
                                             &no) >= 0))
        sent = mpv_command_async(g->h, base + 2, cmd);
    if (toggle)
        mpv_set_property_async(g->h, base + 3, "screenshot-sw", MPV_FORMAT_FLAG, &user_sw);
    if (undither)
        mpv_set_property_async(g->h, base + 4, "zimg-dither", MPV_FORMAT_STRING, &user_dither);
    mpv_free(user_dither);
    if (sent < 0)
        return NULL;
    double until = now_s() + timeout_s;
    for (;;) {
        double left = until - now_s();
        if (left <= 0)
            return NULL;
        mpv_event *ev = mpv_wait_event(g->h, left);
        if (ev->event_id == MPV_EVENT_SHUTDOWN)
            return NULL;
        /* replies of a grab given up earlier carry older ids */
        if (ev->event_id != MPV_EVENT_COMMAND_REPLY || ev->reply_userdata != base + 2)
            continue;
        if (ev->error < 0)
            return NULL;
        mpv_event_command *reply = ev->data;
        return &reply->result;
    }
}
