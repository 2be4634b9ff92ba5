// The desktop client's flow from start to quit: a silent login from the keychain when
// the user chose "Remember me", the login dialog otherwise (or when the server refuses
// the saved login), then the main window; "Sign out" goes back to the dialog.
// One ChatSession per signed-in user, with its local store under the data folder.
#pragma once

#include "logindialog.h"
#include "mainwindow.h"

#include <QObject>
#include <QPointer>
#include <QUrl>

#include <memory>

class QSettings;

namespace Confab::Client {
class ChatSession;
}

namespace Confab::Desktop {

class DesktopApp : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QString dataDir;  // local stores (outbox, cache) live here
        QUrl serverUrl;   // preset (--server), else the last one used
        QString user;     // preset (--user)
        QString password; // preset for scripts: sign in without the dialog
        bool createAccount = false;
        MainWindow::Options window;
    };

    DesktopApp(QSettings *settings, const Options &options, QObject *parent = nullptr);
    ~DesktopApp() override;

    void start();

    Client::ChatSession *session() const { return m_session.get(); }
    LoginDialog *loginDialog() const { return m_login; }
    MainWindow *mainWindow() const { return m_window; }

Q_SIGNALS:
    void quitRequested();

private:
    void showLogin(const QString &error = {});
    void signIn(const QUrl &server, const QString &user, const QString &password, bool createAccount, bool remember);
    void openMainWindow();
    void signOut();
    void newSession(const QUrl &server);
    bool openLocalStore(QString *error);
    QString describeFailure(int httpStatus, const QString &message, bool creating) const;

    QSettings *m_settings;
    Options m_options;
    std::unique_ptr<Client::ChatSession> m_session;
    QPointer<LoginDialog> m_login;
    QPointer<MainWindow> m_window;
};

} // namespace Confab::Desktop
