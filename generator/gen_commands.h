/*
 * nativeres-gen subcommands. Each takes the arguments after its name and
 * returns the process exit status (0, or GEN_EXIT_USAGE on bad input).
 */
#ifndef GEN_COMMANDS_H
#define GEN_COMMANDS_H

#include <stdio.h>

int gen_cmd_descale(int argc, char **argv);
int gen_cmd_pack(int argc, char **argv);
int gen_cmd_chroma(int argc, char **argv);
int gen_cmd_rescale(int argc, char **argv);
int gen_cmd_dpid(int argc, char **argv);

void gen_descale_usage(FILE *f);
void gen_pack_usage(FILE *f);
void gen_chroma_usage(FILE *f);
void gen_rescale_usage(FILE *f);
void gen_dpid_usage(FILE *f);
int gen_cmd_upscale(int argc, char **argv);
void gen_upscale_usage(FILE *f);
int gen_cmd_lines(int argc, char **argv);
void gen_lines_usage(FILE *f);

#endif
