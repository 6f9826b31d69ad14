/*
 * The `nativeres` subcommands. Each takes the arguments after its name
 * (argv[0] is the subcommand name) and returns the process exit code:
 * 0 success, 2 bad input or usage (message already printed on stderr).
 */
#ifndef NR_CLI_COMMANDS_H
#define NR_CLI_COMMANDS_H

int nr_cmd_descale(int argc, char **argv);
int nr_cmd_upscale(int argc, char **argv);
int nr_cmd_detect(int argc, char **argv);

#endif
