#pragma once
// Time limits inside the tests, scaled for sanitizer builds: scripts/asan-test and scripts/tsan-test
// configure with EBM_TEST_TIMEOUT_SCALE (code runs several times slower there), which ctest passes to
// every test as EBM_TEST_TIME_SCALE. The limits bound waits for the window to train or show something;
// they are never speed measurements.
#include <cstdlib>

namespace ebm::testtime {

inline double timeScale() {
    static const double scale = [] {
        const char* v = std::getenv("EBM_TEST_TIME_SCALE");
        const double s = v ? std::atof(v) : 1.0;
        return s >= 1.0 ? s : 1.0;
    }();
    return scale;
}

/// A time limit of ms in this build.
inline int scaledMs(int ms) {
    return int(ms * timeScale());
}

} // namespace ebm::testtime
