#include <stdio.h>
#include <string.h>

#include "shim.h"

int main(int argc, char **argv) {
  if (argc >= 2 && strcmp(argv[1], "run") == 0) return run_main(argc - 1, argv + 1);
  if (argc >= 2 && strcmp(argv[1], "exec-tty") == 0) return tty_main(argc - 1, argv + 1);
  fprintf(stderr, "usage: cistern-shim run|exec-tty [options]\n");
  return 2;
}
