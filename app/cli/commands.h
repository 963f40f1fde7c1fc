#pragma once
// The ebmlab-cli commands. Each takes the words after the command name, writes its normal output to
// stdout and returns the exit code; bad input throws UsageError / core::InvalidArgument (exit 2).
#include <ebm/core/objective.h>

#include <string>
#include <vector>

namespace ebm::cli {

using Tokens = std::vector<std::string>;

int runCli(int argc, char** argv); ///< the whole program: dispatch, error reporting, exit codes

int cmdTrain(const Tokens& t);
int cmdTrainImages(const Tokens& t); ///< `train --images ...` (trainimages.cpp)
int cmdDemo(const Tokens& t);
int cmdEval(const Tokens& t);
int cmdEvalImages(const Tokens& t); ///< `eval --image-model ...` (evalimages.cpp)
int cmdSample(const Tokens& t);
int cmdTargets(const Tokens& t);
int cmdMethods(const Tokens& t); ///< methodargs.cpp: the objective registry
int cmdBench(const Tokens& t);
/// `bench --images` (benchimages.cpp), with every image method's hyperparameters.
int benchImages(int reps, bool json, const core::MethodParams& params);
int cmdRender(const Tokens& t); ///< render.cpp: scripted run -> GIF / MP4 / WebM / PNG frames

} // namespace ebm::cli
