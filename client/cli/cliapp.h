// confab-cli's run: reads the options, opens the local store, logs in (a saved token,
// else the password), runs the command once the session is synced, and leaves with the
// command's exit code.
#pragma once

#include "commands.h"

#include <QCommandLineParser>

#include <memory>

namespace Confab::Client {
class ChatSession;
}

namespace Confab::Cli {

class CliApp
{
public:
    CliApp();
    ~CliApp();

    // Runs the event loop; returns the exit code.
    int exec();

private:
    void parseOptions();
    void openSession();
    void startTimeout();
    void handleConnection();
    void handleLogin();
    void logIn();
    bool isQueued() const;
    void reportQueued(bool withOutbox);

    QCommandLineParser m_parser;
    const Command *m_command = nullptr;
    QString m_username;
    QString m_dataDir;
    QString m_password;
    bool m_usedSavedToken = false;
    std::unique_ptr<Client::ChatSession> m_session;
    std::unique_ptr<CommandContext> m_context;
    std::function<void()> m_run;
};

} // namespace Confab::Cli
