#pragma once
// Shared by the image window's GUI tests: a window without questions or remembered geometry, and a job
// run on its worker.
#include "imagewindow.h"
#include "imageworker.h"
#include <QString>
#include <QTest>
#include <functional>
#include <optional>

namespace ebm::ui::test {

// A window for a test: no question on close, no remembered geometry.
inline ImageStartOptions start(const ImageSettings& s, const QString& model = {}) {
    ImageStartOptions o;
    o.settings = s;
    o.modelFile = model;
    o.askToSave = false;
    o.restoreGeometry = false;
    return o;
}

// Runs a job on the window's worker and waits for its answer (tests only: the GUI itself never waits).
template <class T> T onWorker(ImageWindow& w, std::function<T(ImageSession&)> job) {
    std::optional<T> out;
    w.worker()->compute([&out, job](ImageSession& s) -> std::function<void()> {
        T v = job(s);
        return [&out, v] { out = v; };
    });
    if (!QTest::qWaitFor([&] { return out.has_value(); }, 60000)) qFatal("the worker did not answer");
    return *out;
}
} // namespace ebm::ui::test
