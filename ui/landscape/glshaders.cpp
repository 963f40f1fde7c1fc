#include "glshaders.h"

#include <QFile>
#include <QtGlobal>

namespace ebm::ui {

QByteArray shaderSource(const QStringList& files, QString* error) {
    QByteArray src;
    for (const QString& f : files) {
        QFile file(QStringLiteral(":/shaders/") + f);
        if (!file.open(QIODevice::ReadOnly)) {
            if (error) *error = QStringLiteral("shader file %1 is missing from the resources").arg(f);
            return {};
        }
        src += file.readAll();
        src += '\n';
    }
    return src;
}

std::unique_ptr<QOpenGLShaderProgram> buildProgram(const QString& name,
                                                   const std::vector<ShaderStage>& stages, QString* log) {
    auto program = std::make_unique<QOpenGLShaderProgram>();
    QString messages;
    for (const ShaderStage& st : stages) {
        QString err;
        const QByteArray src = shaderSource(st.files, &err);
        if (src.isEmpty()) {
            if (log) *log = err;
            qWarning("EBM Lab: %s: %s", qPrintable(name), qPrintable(err));
            return nullptr;
        }
        if (!program->addShaderFromSourceCode(st.type, src)) {
            const QString msg =
                QStringLiteral("%1: compiling %2 failed:\n%3").arg(name, st.files.join('+'), program->log());
            if (log) *log = msg;
            qWarning("EBM Lab: %s", qPrintable(msg));
            return nullptr;
        }
        if (!program->log().trimmed().isEmpty()) messages += program->log();
    }
    if (!program->link()) {
        const QString msg = QStringLiteral("%1: linking failed:\n%2").arg(name, program->log());
        if (log) *log = msg;
        qWarning("EBM Lab: %s", qPrintable(msg));
        return nullptr;
    }
    if (!program->log().trimmed().isEmpty()) messages += program->log();
    if (log) *log = messages.trimmed();
    return program;
}

} // namespace ebm::ui
