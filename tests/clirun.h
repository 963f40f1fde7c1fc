#pragma once
// Shared by the tests that drive ebmlab-cli through QProcess (EBMLAB_CLI is the binary's path, set by
// CMake): run it, collect exit code and both streams, describe a result for a failure message.
#include "testtime.h"
#include <QProcess>
#include <QString>
#include <QStringList>

namespace ebm::test {

struct Result {
    int exitCode = -1; ///< -1 when it crashed or timed out
    QString out, err;
};

/// timeoutMs is scaled in sanitizer builds (testtime.h).
inline Result runCli(const QStringList& args, int timeoutMs = 90000) {
    QProcess p;
    p.start(QStringLiteral(EBMLAB_CLI), args);
    Result r;
    if (!p.waitForFinished(testtime::scaledMs(timeoutMs))) {
        p.kill();
        p.waitForFinished();
        r.err = QStringLiteral("timed out");
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

inline QString describe(const Result& r) {
    return QStringLiteral("exit %1\nstdout: %2\nstderr: %3")
        .arg(r.exitCode)
        .arg(r.out.left(2000), r.err.left(2000));
}

} // namespace ebm::test
