/*
 * Runs a program with its stdout and stderr in a file and a wall-clock
 * limit (the test drivers spawn nr-mpv-host and ffmpeg; a hung renderer
 * must fail the test, not stall the suite).
 */
#ifndef NR_RUN_PROCESS_H
#define NR_RUN_PROCESS_H

#include <stdbool.h>

typedef struct nr_process_result {
    int exit_code;     /* valid when exited */
    bool exited;       /* false: killed by a signal or by the time limit */
    bool timed_out;
    double seconds;
} nr_process_result;

/* argv[0] is looked up in PATH if it has no '/'. output_path gets stdout
 * and stderr (truncated first). Returns false only if it could not start. */
bool nr_run_process(char *const argv[], const char *output_path, double timeout_s,
                    nr_process_result *res);

#endif
