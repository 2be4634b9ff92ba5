#include "confabdprocess.h"

#include <QRegularExpression>

#include <csignal>

namespace Confab::Testing {

ConfabdProcess::ConfabdProcess() = default;

ConfabdProcess::~ConfabdProcess()
{
    kill();
}

bool ConfabdProcess::start(const QStringList &extraArguments)
{
    m_extraArguments = extraArguments;
    // CONFAB_CONFABD: another build of the server (the ThreadSanitizer pass, scripts/tsan.sh).
    const QString binary = qEnvironmentVariableIsSet("CONFAB_CONFABD")
        ? qEnvironmentVariable("CONFAB_CONFABD")
        : qEnvironmentVariable("CONFAB_BINARY_DIR") + QLatin1String("/server/confabd");
    const QString listen
        = m_url.isValid() ? QStringLiteral("127.0.0.1:%1").arg(m_url.port()) : QStringLiteral("127.0.0.1:0");
    m_process.setProgram(binary);
    m_process.setArguments(QStringList { QStringLiteral("--listen"), listen, QStringLiteral("--data-dir"),
                                         m_dataDir.path(), QStringLiteral("--scrypt-cost"), QStringLiteral("12") }
                           + extraArguments);
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_process.start();
    if (!m_process.waitForStarted()) {
        m_error = QStringLiteral("cannot start %1: %2").arg(binary, m_process.errorString());
        return false;
    }
    static const QRegularExpression listening(QStringLiteral("listening on (https?://[^ ]+)"));
    QByteArray output;
    while (m_process.state() == QProcess::Running) {
        if (!m_process.canReadLine() && !m_process.waitForReadyRead(10000))
            break;
        output += m_process.readLine();
        const auto match = listening.match(QString::fromUtf8(output));
        if (match.hasMatch()) {
            m_url = QUrl(match.captured(1));
            return true;
        }
    }
    m_error = QStringLiteral("confabd did not start listening: %1").arg(QString::fromUtf8(output));
    return false;
}

bool ConfabdProcess::restart()
{
    kill();
    return start(m_extraArguments);
}

void ConfabdProcess::suspend()
{
    ::kill(pid_t(m_process.processId()), SIGSTOP);
}

void ConfabdProcess::resume()
{
    ::kill(pid_t(m_process.processId()), SIGCONT);
}

void ConfabdProcess::kill()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    // SIGKILL: a crash or a power cut, with no drain and no goodbye to the clients.
    m_process.kill();
    m_process.waitForFinished();
}

} // namespace Confab::Testing
