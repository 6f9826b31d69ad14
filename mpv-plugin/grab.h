/*
 * Grabbing the decoded frame without touching what the user sees.
 *
 * vo_gpu renders `screenshot-raw video` through the whole pipeline, our own
 * shader included (a feedback loop), so the grab needs screenshot-sw=yes.
 * Setting that global property, grabbing and restoring it as three separate
 * requests let a user's `screenshot window` land in between and fail. The
 * grabber sends the three as asynchronous requests on a client handle of
 * its own, back to back: mpv's core drains its queue of client requests
 * before it looks at key bindings again, so a key-bound screenshot runs
 * before or after the whole sequence, and the user's setting is always
 * restored. Another client's synchronous command (a script's) locks the
 * core between two queued requests, and can still land inside.
 */
#ifndef NP_GRAB_H
#define NP_GRAB_H

#include <mpv/client.h>

typedef struct np_grabber np_grabber;

/* NULL when mpv refuses another client handle. */
np_grabber *np_grabber_new(mpv_handle *main_handle);
void np_grabber_free(np_grabber *g);

/* `screenshot-raw video` of the decoded frame. The result belongs to the
 * grabber and stays valid until the next call or np_grabber_free; NULL on
 * failure (no frame yet, mpv quitting, or no reply within timeout_s). */
const mpv_node *np_grab_frame(np_grabber *g, double timeout_s);

#endif
