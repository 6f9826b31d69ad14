/*
 * nativeres-gen: turns kernel parameters (flags, or a pack table) into mpv
 * user shaders. All the math and GLSL comes from libnativeres; this file
 * only dispatches subcommands.
 */
#include "gen_cli.h"
#include "gen_commands.h"
#include "gen_kernel.h"
#include "nativeres.h"

#include <stdio.h>
#include <string.h>

static void usage(FILE *f)
{
    fputs(
        "usage: nativeres-gen descale --height H --kernel NAME -o FILE.glsl [options]\n"
        "       nativeres-gen rescale --height H --kernel NAME -o FILE.glsl [--preset P]\n"
        "       nativeres-gen pack TABLE -o DIR\n"
        "       nativeres-gen chroma -o FILE.glsl [options]\n"
        "       nativeres-gen dpid (--height H | --scale F) -o FILE.glsl [options]\n"
        "       nativeres-gen upscale -o FILE.glsl [--width W --height H] [options]\n"
        "       nativeres-gen lines --strength S -o FILE.glsl\n"
        "       nativeres-gen --list-kernels | --help | --version\n"
        "\n"
        "Generates mpv user shaders that undo studio upscales (descaling, rescaling).\n"
        "`nativeres-gen descale|rescale|pack --help` list the\n"
        "options. Bad input: one message on stderr, exit status 2, no file written.\n"
        "\n", f);
    gen_descale_usage(f);
    fputc('\n', f);
    gen_rescale_usage(f);
    fputc('\n', f);
    gen_pack_usage(f);
    fputc('\n', f);
    gen_chroma_usage(f);
    fputc('\n', f);
    gen_dpid_usage(f);
    fputc('\n', f);
    gen_upscale_usage(f);
    fputc('\n', f);
    gen_lines_usage(f);
}

static int list_kernels(void)
{
    for (const char *const *name = nr_kernel_names(); *name; name++) {
        nr_kernel k;
        char desc[128];
        if (!nr_kernel_parse(*name, &k))
            continue;
        gen_kernel_describe(&k, desc, sizeof(desc));
        printf("%-15s %s\n", *name, desc);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return GEN_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version")) {
        printf("nativeres-gen %s\n", NR_VERSION_STRING);
        return 0;
    }
    if (!strcmp(cmd, "--list-kernels"))
        return list_kernels();
    if (!strcmp(cmd, "descale"))
        return gen_cmd_descale(argc - 2, argv + 2);
    if (!strcmp(cmd, "rescale"))
        return gen_cmd_rescale(argc - 2, argv + 2);
    if (!strcmp(cmd, "pack"))
        return gen_cmd_pack(argc - 2, argv + 2);
    if (!strcmp(cmd, "chroma"))
        return gen_cmd_chroma(argc - 2, argv + 2);
    if (!strcmp(cmd, "dpid"))
        return gen_cmd_dpid(argc - 2, argv + 2);
    if (!strcmp(cmd, "upscale"))
        return gen_cmd_upscale(argc - 2, argv + 2);
    if (!strcmp(cmd, "lines"))
        return gen_cmd_lines(argc - 2, argv + 2);
    /* `nativeres-gen --height 873 --kernel mitchell -o x.glsl`: descale */
    if (!strncmp(cmd, "--", 2))
        return gen_cmd_descale(argc - 1, argv + 1);
    return gen_error("unknown command '%s' (descale, rescale, pack, chroma, dpid, upscale, lines; see --help)", cmd);
}
