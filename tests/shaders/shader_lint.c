/*
 * shader_lint: compiles every pass of mpv user-shader files with
 * glslangValidator, behind a preamble that declares what mpv / libplacebo
 * inject (NAME_tex, NAME_pos, NAME_pt, ... per bound texture; a plain
 * sampler per //!TEXTURE), for each GLSL dialect the shaders may meet:
 *   glsl130  mpv vo=gpu on GL 3.0          (no packHalf2x16: fallback path)
 *   glsl330  mpv vo=gpu on GL 3.3 core     (no packHalf2x16: fallback path)
 *   glsl440  mpv vo=gpu on Mesa GL 4.5     (what mpv 0.35 picks on llvmpipe)
 *   glsl450  libplacebo / gpu-next Vulkan
 *   essl300  mpv vo=gpu on GLES 3.0
 * A compute pass (//!COMPUTE) is compiled as a compute shader for the
 * dialects that have them (glsl440, glsl450), with its workgroup size and
 * the out_image mpv and libplacebo give it.
 * Errors are reported at the shader file's own line numbers (#line).
 *
 * usage: shader_lint [--glslang PATH] FILE...   exit 0 ok, 1 errors, 2 usage
 */
#include "hookfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct profile {
    const char *name;
    const char *header;
    bool has_gather;   /* textureGather: GLSL 4.00+ */
    bool has_compute;  /* compute shaders: GLSL 4.30+ */
    int line_shift;    /* before GLSL 3.30, "#line N" numbers its own line N */
} profile;

static const profile profiles[] = {
    { "glsl130", "#version 130\n", false, false, -1 },
    { "glsl330", "#version 330 core\n", false, false, 0 },
    { "glsl440", "#version 440 core\n", true, true, 0 },
    { "glsl450", "#version 450 core\n", true, true, 0 },
    { "essl300", "#version 300 es\nprecision highp float;\nprecision highp int;\n", false, false, 0 },
};
#define N_PROFILES (int)(sizeof(profiles) / sizeof(profiles[0]))

/* Declarations mpv makes for a bound pass texture NAME (in a compute pass
 * NAME_pos is not an input but derived from the invocation). */
static void declare_pass_texture(FILE *out, const char *n, bool gather, bool compute)
{
    fprintf(out,
        "uniform sampler2D %s_raw;\n"
        "%s vec2 %s_pos;\n"
        "uniform vec2 %s_size;\n"
        "uniform vec2 %s_pt;\n"
        "uniform vec2 %s_off;\n"
        "uniform mat2 %s_rot;\n"
        "#define %s_mul 1.0\n"
        "#define %s_tex(pos) (%s_mul * vec4(texture(%s_raw, pos)))\n"
        "#define %s_texOff(off) (%s_tex(%s_pos + %s_pt * vec2(off)))\n",
        n, compute ? "" : "in", n, n, n, n, n, n, n, n, n, n, n, n, n);
    if (gather)
        fprintf(out, "#define %s_gather(pos, c) (%s_mul * vec4(textureGather(%s_raw, pos, c)))\n",
                n, n, n);
}

static int write_pass_source(const char *path, const hf_file *f, const hf_block *b,
                             const profile *p)
{
    FILE *out = fopen(path, "w");
    if (!out)
        return -1;
    fputs(p->header, out);
    fputs("uniform float random;\nuniform int frame;\n"
          "uniform vec2 input_size;\nuniform vec2 target_size;\nuniform vec2 tex_offset;\n", out);
    const char *compute = hf_get(b, "COMPUTE");
    int bw = 0, bh = 0, tw = 0, th = 0;
    if (compute) {
        int n = sscanf(compute, "%d %d %d %d", &bw, &bh, &tw, &th);
        if (n == 2) {
            tw = bw;
            th = bh;
        }
        fprintf(out, "layout(local_size_x = %d, local_size_y = %d) in;\n"
                     "layout(rgba16f) writeonly uniform image2D out_image;\n", tw, th);
    } else {
        fputs("out vec4 out_color;\n", out);
    }
    bool hooked_bound = false;
    for (int i = 0; i < b->n_dirs; i++) {
        if (strcmp(b->dirs[i].key, "BIND"))
            continue;
        const char *name = b->dirs[i].value;
        if (hf_find_texture(f, name)) {
            fprintf(out, "uniform sampler2D %s;\n", name);
        } else {
            declare_pass_texture(out, name, p->has_gather, compute);
            hooked_bound |= !strcmp(name, "HOOKED");
        }
    }
    if (!hooked_bound)   /* mpv defines HOOKED for every pass */
        declare_pass_texture(out, "HOOKED", p->has_gather, compute);
    fprintf(out, "#line %d\n%s\nvoid main()\n{\n    %s\n}\n", b->body_line + p->line_shift,
            b->body, compute ? "hook();" : "out_color = hook();");
    return fclose(out);
}

/* Runs argv, returns its exit status and its stdout+stderr in *output. */
static int run_capture(char *const argv[], char **output)
{
    int fd[2];
    if (pipe(fd) < 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        dup2(fd[1], 1);
        dup2(fd[1], 2);
        close(fd[0]);
        close(fd[1]);
        execvp(argv[0], argv);
        fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(fd[1]);
    size_t len = 0, cap = 4096;
    char *buf = malloc(cap);
    ssize_t n;
    while (buf && (n = read(fd[0], buf + len, cap - len - 1)) > 0) {
        len += (size_t)n;
        if (cap - len - 1 == 0) {
            char *b2 = realloc(buf, cap * 2);
            if (!b2) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = b2;
            cap *= 2;
        }
    }
    close(fd[0]);
    int status;
    waitpid(pid, &status, 0);
    if (!buf)
        return -1;
    buf[len] = '\0';
    *output = buf;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

typedef struct unit {
    char path[512];
    const hf_block *block;
    const profile *prof;
} unit;

/* glslang prints each input's name on a line of its own, then its errors
 * as "ERROR: 0:LINE: message". Maps them back to the shader file. */
static int report(const hf_file *f, const unit *units, int n_units, char *output)
{
    const unit *cur = NULL;
    int errors = 0;
    for (char *save = NULL, *line = strtok_r(output, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        for (int i = 0; i < n_units; i++)
            if (!strcmp(line, units[i].path))
                cur = &units[i];
        int lineno;
        char msg[512];
        if (strncmp(line, "ERROR: ", 7) != 0 || !cur)
            continue;
        if (strstr(line, "compilation terminated") || strstr(line, "compilation errors"))
            continue;
        const char *desc = hf_get(cur->block, "DESC");
        if (sscanf(line, "ERROR: %*[^:]:%d: %511[^\n]", &lineno, msg) == 2)
            fprintf(stderr, "%s:%d: error [%s, pass '%s']: %s\n", f->path, lineno,
                    cur->prof->name, desc ? desc : "?", msg);
        else
            fprintf(stderr, "%s: error [%s, pass '%s']: %s\n", f->path, cur->prof->name,
                    desc ? desc : "?", line + 7);
        errors++;
    }
    return errors;
}

static int lint_file(const char *glslang, const char *tmpdir, const char *path)
{
    hf_file f;
    char err[256];
    if (hf_load(path, &f, err, sizeof(err)) < 0) {
        fprintf(stderr, "%s: %s\n", path, err);
        return 1;
    }
    int n_hooks = 0;
    for (int i = 0; i < f.n_blocks; i++)
        n_hooks += !f.blocks[i].is_texture;
    if (n_hooks == 0) {
        fprintf(stderr, "%s: no hook passes\n", path);
        hf_free(&f);
        return 1;
    }
    int n_units = n_hooks * N_PROFILES, k = 0;   /* at most: compute passes skip some */
    unit *units = calloc((size_t)n_units, sizeof(*units));
    char **argv = calloc((size_t)n_units + 2, sizeof(*argv));
    int failed = 0;
    if (!units || !argv) {
        fprintf(stderr, "out of memory\n");
        failed = 1;
        goto done;
    }
    argv[0] = (char *)glslang;
    for (int i = 0; i < f.n_blocks; i++) {
        if (f.blocks[i].is_texture)
            continue;
        bool compute = hf_get(&f.blocks[i], "COMPUTE") != NULL;
        for (int p = 0; p < N_PROFILES; p++) {
            if (compute && !profiles[p].has_compute)
                continue;
            unit *u = &units[k++];
            u->block = &f.blocks[i];
            u->prof = &profiles[p];
            snprintf(u->path, sizeof(u->path), "%s/pass%d_%s.%s", tmpdir, i, profiles[p].name,
                     compute ? "comp" : "frag");
            if (write_pass_source(u->path, &f, u->block, u->prof) < 0) {
                fprintf(stderr, "cannot write %s: %s\n", u->path, strerror(errno));
                failed = 1;
                goto done;
            }
            argv[k] = u->path;
        }
    }
    char *output = NULL;
    int rc = run_capture(argv, &output);
    if (rc < 0 || rc == 127) {
        fprintf(stderr, "cannot run %s\n", glslang);
        failed = 1;
    } else {
        int errors = report(&f, units, k, output);
        if (rc != 0 && errors == 0)   /* failed without a parsable error */
            fprintf(stderr, "%s: glslang failed:\n%s\n", path, output);
        failed = rc != 0 || errors > 0;
    }
    free(output);
    for (int i = 0; i < k; i++)
        unlink(units[i].path);
done:
    free(units);
    free(argv);
    hf_free(&f);
    return failed;
}

int main(int argc, char **argv)
{
    const char *glslang = "glslangValidator";
    int first = 1;
    if (argc > 2 && !strcmp(argv[1], "--glslang")) {
        glslang = argv[2];
        first = 3;
    }
    if (first >= argc) {
        fprintf(stderr, "usage: shader_lint [--glslang PATH] FILE...\n");
        return 2;
    }
    char tmpdir[] = "/tmp/shader_lint.XXXXXX";
    if (!mkdtemp(tmpdir)) {
        fprintf(stderr, "mkdtemp: %s\n", strerror(errno));
        return 2;
    }
    int bad = 0;
    for (int i = first; i < argc; i++)
        bad += lint_file(glslang, tmpdir, argv[i]);
    rmdir(tmpdir);
    printf("shader_lint: %d file(s), %d with errors (%d GLSL dialects each)\n",
           argc - first, bad, N_PROFILES);
    return bad ? 1 : 0;
}
