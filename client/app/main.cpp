// confab: the desktop chat client.
#include "desktopapp.h"
#include "theme.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QSettings>
#include <QStandardPaths>

using namespace Confab::Desktop;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Confab"));
    QApplication::setApplicationName(QStringLiteral("confab"));
    QApplication::setApplicationDisplayName(QStringLiteral("Confab"));
    QApplication::setApplicationVersion(QStringLiteral(CONFAB_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("org.confab.Confab"));
    QApplication::setWindowIcon(appIcon());
    // Closing the window may only hide it to the tray; quitting is explicit.
    QApplication::setQuitOnLastWindowClosed(false);

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Confab desktop chat client."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption server(QStringLiteral("server"), QApplication::translate("main", "Server URL."), QStringLiteral("url"));
    const QCommandLineOption user(QStringLiteral("user"), QApplication::translate("main", "Username."), QStringLiteral("name"));
    const QCommandLineOption passwordEnv(QStringLiteral("password-env"),
                                         QApplication::translate("main", "Sign in without the dialog, with the password in this variable."),
                                         QStringLiteral("var"));
    const QCommandLineOption registerAccount(QStringLiteral("register"),
                                             QApplication::translate("main", "With --password-env: create the account."));
    const QCommandLineOption profile(QStringLiteral("profile"),
                                     QApplication::translate("main", "Keep settings and messages in this folder (several users on one machine)."),
                                     QStringLiteral("dir"));
    const QCommandLineOption awayAfter(QStringLiteral("away-after"),
                                       QApplication::translate("main", "Seconds without input before you show as away (300)."),
                                       QStringLiteral("seconds"), QStringLiteral("300"));
    const QCommandLineOption noTray(QStringLiteral("no-tray"),
                                    QApplication::translate("main", "No tray icon: closing the window quits."));
    parser.addOptions({ server, user, passwordEnv, registerAccount, profile, awayAfter, noTray });
    parser.process(app);

    DesktopApp::Options options;
    std::unique_ptr<QSettings> settings;
    if (parser.isSet(profile)) {
        options.dataDir = QDir(parser.value(profile)).absolutePath();
        settings = std::make_unique<QSettings>(QDir(options.dataDir).filePath(QStringLiteral("confab.ini")), QSettings::IniFormat);
    } else {
        options.dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
        settings = std::make_unique<QSettings>();
    }
    options.serverUrl = QUrl::fromUserInput(parser.value(server));
    options.user = parser.value(user);
    if (parser.isSet(passwordEnv))
        options.password = qEnvironmentVariable(qPrintable(parser.value(passwordEnv)));
    options.createAccount = parser.isSet(registerAccount);
    options.window.useTray = !parser.isSet(noTray);
    options.window.awayAfterMs = std::max(1, parser.value(awayAfter).toInt()) * 1000;

    DesktopApp desktop(settings.get(), options);
    QObject::connect(&desktop, &DesktopApp::quitRequested, &app, &QApplication::quit, Qt::QueuedConnection);
    desktop.start();
    return app.exec();
}
