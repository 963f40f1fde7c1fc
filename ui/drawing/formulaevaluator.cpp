#include "formulaevaluator.h"
#include "drawingsources.h"
#include <exception>

namespace ebm::ui {

FormulaEvaluator::FormulaEvaluator(int budgetMs, QObject* parent) : QObject(parent), m_budgetMs(budgetMs) {}

FormulaEvaluator::~FormulaEvaluator() {
    {
        std::lock_guard lock(m_mutex);
        m_quit = true;
        m_wake.notify_all();
    }
    if (m_thread.joinable()) m_thread.join();
}

void FormulaEvaluator::evaluate(int ticket, const QString& expr, const core::Box& box, int cells) {
    std::lock_guard lock(m_mutex);
    m_request = Request{ticket, expr, box, cells};
    m_wake.notify_all();
    if (!m_thread.joinable()) m_thread = std::thread([this] { run(); });
}

std::optional<FormulaEvaluator::Result> FormulaEvaluator::take() {
    std::lock_guard lock(m_mutex);
    std::optional<Result> r = std::move(m_result);
    m_result.reset();
    return r;
}

void FormulaEvaluator::run() {
    for (;;) {
        Request request;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return m_quit || m_request; });
            if (m_quit) return;
            request = std::move(*m_request);
            m_request.reset();
        }
        Result result{request.ticket, request.expr, request.cells, {}, {}};
        try {
            result.raster = rasterFromFormula(request.expr, request.box, request.cells, m_budgetMs);
        } catch (const std::exception& e) {
            result.error = QString::fromStdString(e.what());
        }
        {
            std::lock_guard lock(m_mutex);
            if (m_quit) return;
            m_result = std::move(result);
        }
        emit ready();
    }
}

} // namespace ebm::ui
