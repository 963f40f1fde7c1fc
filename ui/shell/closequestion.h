#pragma once
/// @file closequestion.h
/// The question both windows ask before closing with unsaved work: Save / Discard / Cancel. Saving is
/// asynchronous in both (the state is copied on the worker thread first), so on Save the close is
/// refused and repeated once the save has succeeded.
#include <QCloseEvent>
#include <QMessageBox>
#include <QPointer>
#include <QWidget>
#include <functional>

namespace ebm::ui {

/// Asks, when needed, and returns true if the close may go ahead now. save(after) starts a save and calls
/// after(ok) when it is done; closeAfterSave (the window's flag) lets the repeated close through.
inline bool confirmClose(QWidget* window, QCloseEvent* e, bool needed, const QString& title,
                         const QString& text, const std::function<void(std::function<void(bool)>)>& save,
                         bool& closeAfterSave) {
    if (!needed || closeAfterSave) return true;
    const auto answer = QMessageBox::question(window, title, text,
                                              QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel,
                                              QMessageBox::Save);
    if (answer == QMessageBox::Discard) return true;
    e->ignore();
    if (answer == QMessageBox::Save) {
        QPointer<QWidget> w(window);
        bool* flag = &closeAfterSave;
        save([w, flag](bool ok) {
            if (!ok || !w) return;
            *flag = true;
            w->close();
        });
    }
    return false;
}

} // namespace ebm::ui
