// ebmlab-cli: the headless front end of EBM Lab (train, eval, sample, targets, bench, demo).
// Thin: the commands live in cli/, the engine in ebm::core, files in ebm::io, timing in ebm::bench.
#include "cli/commands.h"
#include <ebm/core/parallel.h>

int main(int argc, char** argv) {
    ebm::core::keepFreedMemory();
    return ebm::cli::runCli(argc, argv);
}
