#pragma once
/// @file formulaevaluator.h
/// Evaluates typed formulas on the drawing's grid on a thread of its own, so that a slow formula never
/// freezes the window. One request at a time: a newer request replaces one not yet started, and the
/// caller tells results apart by their ticket. Requests and results pass through one std::mutex, so
/// the hand-over is visible to ThreadSanitizer (Qt's thread pool and queued functors synchronise with
/// futexes inside Qt, which it cannot see).
#include <QObject>
#include <QString>
#include <condition_variable>
#include <ebm/core/drawing.h>
#include <ebm/core/types.h>
#include <mutex>
#include <optional>
#include <thread>

namespace ebm::ui {

class FormulaEvaluator : public QObject {
    Q_OBJECT
public:
    struct Result {
        int ticket = 0;
        QString expr;
        int cells = 0;
        core::DensityDrawing::Raster raster;
        QString error; ///< empty on success
    };

    /// budgetMs: the longest one evaluation may take (rasterFromFormula's budget).
    explicit FormulaEvaluator(int budgetMs, QObject* parent = nullptr);
    /// Joins the thread; an evaluation in progress ends within its budget.
    ~FormulaEvaluator() override;

    /// GUI thread: evaluates expr on the box's cells × cells grid; ready() follows.
    void evaluate(int ticket, const QString& expr, const core::Box& box, int cells);
    /// GUI thread: the newest finished result, once (nothing if it was taken already).
    std::optional<Result> take();

signals:
    /// Emitted on the evaluator's thread when a result can be taken (delivered queued to the GUI).
    void ready();

private:
    struct Request {
        int ticket = 0;
        QString expr;
        core::Box box;
        int cells = 0;
    };
    void run();

    const int m_budgetMs;
    std::mutex m_mutex; // guards everything below
    std::condition_variable m_wake;
    std::optional<Request> m_request;
    std::optional<Result> m_result;
    bool m_quit = false;
    std::thread m_thread; // started by the first request
};

} // namespace ebm::ui
