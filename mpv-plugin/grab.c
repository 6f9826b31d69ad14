#include "grab.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

struct np_grabber {
    mpv_handle *h;        /* our own client: only our replies arrive here */
    uint64_t seq;         /* request ids of the current grab: 3*seq + 0..2 */
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
    uint64_t base = 3 * ++g->seq;
    int yes = 1;
    const char *cmd[] = {"screenshot-raw", "video", NULL};
    /* queued together, run together; the restore is queued before we wait,
     * so it happens even when we give up waiting */
    if (toggle && mpv_set_property_async(g->h, base, "screenshot-sw", MPV_FORMAT_FLAG, &yes) < 0)
        return NULL;
    int sent = mpv_command_async(g->h, base + 1, cmd);
    if (toggle)
        mpv_set_property_async(g->h, base + 2, "screenshot-sw", MPV_FORMAT_FLAG, &user_sw);
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
        if (ev->event_id != MPV_EVENT_COMMAND_REPLY || ev->reply_userdata != base + 1)
            continue;
        if (ev->error < 0)
            return NULL;
        mpv_event_command *reply = ev->data;
        return &reply->result;
    }
}
