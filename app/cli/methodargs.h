#pragma once
// The training methods on the command line, all read from the objective registry (core/objective.h):
// `--method NAME`, repeatable `--set key=value` / `--set method.key=value` (parsed by the method's schema),
// the methods' part of --help, and `ebmlab-cli methods [--json]`. Nothing here names a method.
#include "args.h"

#include <ebm/core/objective.h>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace ebm::cli {

/// --method for a model kind: a registered objective that supports it; the message lists the valid names.
std::string methodArg(const Args& a, core::ModelKind kind, const std::optional<std::string>& fallback);
/// Applies every `--set` to params (for method unless the assignment names another one). Throws UsageError
/// "--set TEXT: <what is wrong>" naming the valid keys or the range.
void applySets(const Args& a, core::MethodParams& params, const std::string& method);
/// `--set` for every method at once (bench): METHOD.KEY=VALUE sets one method's value, KEY=VALUE that key
/// of every method of params' kind that has it. Throws UsageError if no method has the key.
void applySetsToAll(const Args& a, core::MethodParams& params);
/// Sets method's key from an older method-specific flag (e.g. --alpha) if it is given; the flag's value is
/// parsed by the schema, so the message names the range. Does nothing if method has no such key.
void applyAlias(const Args& a, const std::string& flag, core::MethodParams& params, const std::string& method,
                const std::string& key);
/// "name|name|..." of the objectives that support kind.
std::string methodChoices(core::ModelKind kind);
/// The methods' section of a --help text: each method with its label and its hyperparameters for kind
/// (key, default, range, unit, help).
std::string methodsHelp(core::ModelKind kind);
/// One method as JSON (the `methods --json` line; docs/cli.md).
nlohmann::ordered_json methodJson(const core::Objective& o);
/// The hyperparameters chosen for method (the schema's keys and their values, in schema order) as JSON.
nlohmann::ordered_json paramsJson(const core::MethodParams& params, const std::string& method);
/// "key=value, key=value" of the method's hyperparameters.
std::string paramsText(const core::MethodParams& params, const std::string& method);

} // namespace ebm::cli
