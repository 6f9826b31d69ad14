/*
 * nativeres: command-line front end of libnativeres.
 *   nativeres descale|upscale|detect ...   (see `nativeres CMD --help`)
 * Exit codes: 0 success, 2 bad input or usage (one line on stderr).
 */
#include <stdio.h>
#include <string.h>

#include <libavutil/log.h>

#include "cli_options.h"
#include "commands.h"
#include "nativeres.h"

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} commands[] = {
    {"descale", nr_cmd_descale, "undo a studio upscale of an image (least squares)"},
    {"upscale", nr_cmd_upscale, "upscale an image with a studio kernel (forward model)"},
    {"detect", nr_cmd_detect, "estimate the native resolution of an image or video"},
};

static void print_usage(FILE *f)
{
    fprintf(f, "Usage: nativeres COMMAND [ARGS...]\n"
               "       nativeres --help | --version\n\nCommands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n`nativeres COMMAND --help` describes each command.\n");
}

int main(int argc, char **argv)
{
    /* FFmpeg's own log lines would bury our one-line errors */
    av_log_set_level(AV_LOG_QUIET);

    if (argc < 2)
        return nr_cli_fail("missing command (try --help)");
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        print_usage(stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version")) {
        printf("nativeres %s\n", NR_VERSION_STRING);
        return 0;
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (!strcmp(cmd, commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    return nr_cli_fail("unknown command '%s' (try --help)", cmd);
}
