#include "desktopapp.h"

#include "chatsession.h"
#include "logindialog.h"
#include "preferences.h"
#include "translations.h"

#include <QDir>
#include <QSettings>

namespace Confab::Desktop {

using Client::ChatSession;

namespace {
const QString ServerKey = QStringLiteral("login/server");
const QString UserKey = QStringLiteral("login/user");
const QString RememberKey = QStringLiteral("login/remember");
}

DesktopApp::DesktopApp(QSettings *settings, const Options &options, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_options(options)
{
    installTranslations();
}

DesktopApp::~DesktopApp()
{
    delete m_window;
    delete m_login;
}

void DesktopApp::start()
{
    // The theme chosen in Settings, from the sign-in window on ("system" leaves the palette alone).
    if (const Theme theme = Preferences(m_settings).theme(); theme != Theme::System)
        applyTheme(theme);
    const QUrl server = m_options.serverUrl.isEmpty() ? m_settings->value(ServerKey).toUrl() : m_options.serverUrl;
    const QString user = m_options.user.isEmpty() ? m_settings->value(UserKey).toString() : m_options.user;
    if (!m_options.password.isEmpty() && !user.isEmpty() && server.isValid())
        return signIn(server, user, m_options.password, m_options.createAccount, false);
    if (!m_settings->value(RememberKey).toBool() || user.isEmpty() || !server.isValid())
        return showLogin();

    // Silent login: the token from the keychain, then straight to the window, which works
    // from the local cache even before (or without) a connection.
    newSession(server);
    connect(m_session.get(), &ChatSession::loginRestored, this, [this] {
        QString error;
        if (!openLocalStore(&error))
            return showLogin(error);
        openMainWindow();
    });
    connect(m_session.get(), &ChatSession::loginNotRestored, this, [this](const QString &error) {
        showLogin(tr("Your saved login could not be read from the keychain (%1). Please sign in.").arg(error));
    });
    m_session->restoreLogin(user);
}

void DesktopApp::newSession(const QUrl &server)
{
    delete m_window;
    m_session = std::make_unique<ChatSession>();
    m_session->setServerUrl(server);
}

bool DesktopApp::openLocalStore(QString *error)
{
    const QUrl server = m_session->serverUrl();
    const QString folder = QDir(m_options.dataDir)
                               .filePath(QStringLiteral("%1_%2")
                                             .arg(server.host())
                                             .arg(server.port(server.scheme() == QLatin1String("https") ? 443 : 80)));
    if (!QDir().mkpath(folder)) {
        *error = tr("cannot create %1").arg(folder);
        return false;
    }
    return m_session->openLocalStore(QDir(folder).filePath(m_session->user() + QLatin1String(".sqlite")), error);
}

void DesktopApp::showLogin(const QString &error)
{
    if (!m_login) {
        m_login = new LoginDialog;
        m_login->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_login, &LoginDialog::signInRequested, this, [this] {
            signIn(m_login->serverUrl(), m_login->user(), m_login->password(), m_login->createAccount(),
                   m_login->remember());
        });
        connect(m_login, &QDialog::rejected, this, [this] {
            if (!m_window)
                Q_EMIT quitRequested();
        });
        // Filled once: after a failed attempt the user's own input stays.
        m_login->setServerUrl(m_options.serverUrl.isEmpty()
                                  ? m_settings->value(ServerKey, QStringLiteral("http://localhost:7480")).toUrl()
                                  : m_options.serverUrl);
        m_login->setUser(m_options.user.isEmpty() ? m_settings->value(UserKey).toString() : m_options.user);
        m_login->setRemember(m_settings->value(RememberKey, true).toBool());
    }
    if (!error.isEmpty())
        m_login->showError(error);
    m_login->show();
    m_login->raise();
    m_login->activateWindow();
}

void DesktopApp::signIn(const QUrl &server, const QString &user, const QString &password, bool createAccount,
                        bool remember)
{
    newSession(server);
    if (m_login)
        m_login->setBusy(true);
    m_session->setRememberLogin(remember);
    connect(m_session.get(), &ChatSession::loggedIn, this, [this, server, remember] {
        m_settings->setValue(ServerKey, server);
        m_settings->setValue(UserKey, m_session->user());
        m_settings->setValue(RememberKey, remember);
        QString error;
        if (!openLocalStore(&error)) {
            if (m_login)
                m_login->setBusy(false);
            return showLogin(tr("Cannot open the local message store: %1").arg(error));
        }
        if (m_login) {
            m_login->setBusy(false);
            m_login->accept();
        }
        openMainWindow();
    });
    connect(m_session.get(), &ChatSession::authenticationFailed, this,
            [this, createAccount](int status, const QString &message) {
                if (m_login)
                    m_login->setBusy(false);
                showLogin(describeFailure(status, message, createAccount));
            });
    if (createAccount)
        m_session->registerAccount(user, password);
    else
        m_session->login(user, password);
}

QString DesktopApp::describeFailure(int httpStatus, const QString &message, bool creating) const
{
    switch (httpStatus) {
    case 0: return tr("Cannot reach the server: %1").arg(message);
    case 401: return tr("Wrong username or password.");
    case 403: return creating ? tr("This server does not allow creating accounts.") : message;
    case 409: return tr("That username is taken. Pick another, or sign in.");
    case 429: return tr("Too many attempts. Wait a minute, then try again.");
    case 503: return tr("The server is busy or restarting. Try again in a moment.");
    default: return message.isEmpty() ? tr("The server answered %1.").arg(httpStatus) : message;
    }
}

void DesktopApp::openMainWindow()
{
    m_window = new MainWindow(m_session.get(), m_settings, m_options.window);
    m_window->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_window, &MainWindow::quitRequested, this, &DesktopApp::quitRequested);
    connect(m_window, &MainWindow::signOutRequested, this, &DesktopApp::signOut);
    connect(m_window, &MainWindow::signInRequested, this,
            [this] { showLogin(tr("The server no longer accepts your saved login. Please sign in again.")); });
    m_window->show();
    m_session->connectToServer();
}

void DesktopApp::signOut()
{
    m_settings->setValue(RememberKey, false);
    m_session->forgetLogin();
    m_session->disconnectFromServer();
    if (m_window) {
        disconnect(m_window, &MainWindow::quitRequested, this, &DesktopApp::quitRequested);
        m_window->quit();
    }
    showLogin();
}

} // namespace Confab::Desktop
