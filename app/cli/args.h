#pragma once
// Command-line options of one ebmlab-cli command: `--flag value`, `--flag=value` and boolean `--flag`.
// Every problem is a UsageError whose message is one line naming the flag and the bad text; main()
// prints it on stderr and exits with code 2.
#include <ebm/core/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace ebm::cli {

/// Bad command-line input (exit code 2).
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Args {
public:
    /// Parses tokens (the words after the command). valueFlags take a value (the next word, even if it
    /// starts with '-', or the text after '='); boolFlags take none. Throws UsageError on unknown or
    /// repeated flags, missing values and stray words. `--help` is always accepted. repeatFlags take a
    /// value and may be given any number of times (e.g. `--set key=value`), read with values().
    Args(std::string command, const std::vector<std::string>& tokens,
         const std::vector<std::string>& valueFlags, const std::vector<std::string>& boolFlags,
         const std::vector<std::string>& repeatFlags = {});

    const std::string& command() const { return m_command; }
    bool help() const { return m_bools.count("help") > 0; }
    bool flag(const std::string& name) const { return m_bools.count(name) > 0; }
    bool has(const std::string& name) const { return m_values.count(name) > 0; }
    std::optional<std::string> value(const std::string& name) const;
    /// Every value of a repeatable flag, in the order given.
    std::vector<std::string> values(const std::string& name) const;
    /// The value of a required flag; throws UsageError "missing required flag --name".
    std::string required(const std::string& name) const;

    /// Integer in [lo, hi] (whole text, decimal). Messages: "--steps must be a positive integer, got "-3"".
    std::int64_t integer(const std::string& name, std::int64_t lo, std::int64_t hi,
                         std::int64_t fallback) const;
    std::int64_t requiredInteger(const std::string& name, std::int64_t lo, std::int64_t hi) const;
    /// Seed: any integer in [0, 2^64).
    std::uint64_t seed(const std::string& name, std::uint64_t fallback) const;
    /// Finite number in (0, hi].
    double positive(const std::string& name, double hi, double fallback) const;
    /// Finite number in [0, 1].
    double fraction(const std::string& name, double fallback) const;
    /// "x0,x1,y0,y1" with x1 > x0 and y1 > y0, all finite.
    core::Box box(const std::string& name, const core::Box& fallback) const;
    /// One of the names; the message lists them.
    std::string choice(const std::string& name, const std::vector<std::string>& names,
                       const std::string& what, const std::optional<std::string>& fallback) const;

private:
    std::string m_command;
    std::map<std::string, std::string> m_values;
    std::map<std::string, bool> m_bools;
    std::map<std::string, std::vector<std::string>> m_repeated;
    std::int64_t parseInteger(const std::string& name, const std::string& text, std::int64_t lo,
                              std::int64_t hi) const;
};

/// "a,b,,c" -> {"a", "b", "", "c"}: the pieces between commas, empty ones kept (so callers can refuse them).
std::vector<std::string> splitCommas(const std::string& text);

/// "20,200,1000": 1 to maxCount integers in lo..hi separated by commas, each above the one before if
/// increasing. Anything else throws UsageError(usage + "; got \"text\"").
std::vector<int> integerList(const std::string& text, int lo, int hi, std::size_t maxCount, bool increasing,
                             const std::string& usage);

/// "a, b or c"
std::string joinNames(const std::vector<std::string>& names);

} // namespace ebm::cli
