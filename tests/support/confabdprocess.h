// Test support: a real confabd process on a free port with its own data dir.
#pragma once

#include <QProcess>
#include <QTemporaryDir>
#include <QUrl>

namespace Confab::Testing {

class ConfabdProcess
{
public:
    ConfabdProcess();
    ~ConfabdProcess();

    // Starts confabd and waits until it listens; false (with the reason in error()) otherwise.
    bool start(const QStringList &extraArguments = {});
    // Kills the process (SIGKILL), as a crash would.
    void kill();
    // Starts again on the same port and data dir (after kill()).
    bool restart();
    // SIGSTOP / SIGCONT: a server that stops answering without closing anything.
    void suspend();
    void resume();
    QUrl url() const { return m_url; }
    QString error() const { return m_error; }

private:
    QTemporaryDir m_dataDir;
    QProcess m_process;
    QUrl m_url;
    QStringList m_extraArguments;
    QString m_error;
};

} // namespace Confab::Testing
