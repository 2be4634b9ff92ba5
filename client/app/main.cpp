// confab: the desktop chat client.
#include "desktopapp.h"
#include "theme.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QSettings>
#include <QStandardPaths>

using namespace Confab::Desktop;

namespace {

struct CommandLine
{
    QCommandLineParser parser;
    const QCommandLineOption server { QStringLiteral("server"), QCoreApplication::translate("main", "Server URL."),
                                      QStringLiteral("url") };
    const QCommandLineOption user { QStringLiteral("user"), QCoreApplication::translate("main", "Username."),
                                    QStringLiteral("name") };
    const QCommandLineOption passwordEnv {
        QStringLiteral("password-env"),
        QCoreApplication::translate("main", "Sign in without the dialog, with the password in this variable."),
        QStringLiteral("var")
    };
    const QCommandLineOption registerAccount {
        QStringLiteral("register"), QCoreApplication::translate("main", "With --password-env: create the account.")
    };
    const QCommandLineOption profile {
        QStringLiteral("profile"),
        QCoreApplication::translate("main",
                                    "Keep settings and messages in this folder (several users on one machine)."),
        QStringLiteral("dir")
    };
    const QCommandLineOption awayAfter {
        QStringLiteral("away-after"),
        QCoreApplication::translate("main",
                                    "Seconds without input before you show as away (default: as in Settings, 5 min)."),
        QStringLiteral("seconds")
    };
    const QCommandLineOption noTray { QStringLiteral("no-tray"),
                                      QCoreApplication::translate("main", "No tray icon: closing the window quits.") };

    CommandLine()
    {
        parser.setApplicationDescription(QCoreApplication::translate("main", "Confab desktop chat client."));
        parser.addHelpOption();
        parser.addVersionOption();
        parser.addOptions({ server, user, passwordEnv, registerAccount, profile, awayAfter, noTray });
    }
};

void describeApplication()
{
    QCoreApplication::setOrganizationName(QStringLiteral("Confab"));
    QCoreApplication::setApplicationName(QStringLiteral("confab"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CONFAB_VERSION));
}

// --help and --version need no display: they are answered before QApplication, which
// aborts without one.
bool onlyAsksForHelpOrVersion(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        const QByteArray argument(argv[i]);
        if (argument == "--")
            break;
        if (argument == "-h" || argument == "--help" || argument == "--help-all" || argument == "-?" || argument == "-v"
            || argument == "--version")
            return true;
    }
    return false;
}

} // namespace

int main(int argc, char *argv[])
{
    if (onlyAsksForHelpOrVersion(argc, argv)) {
        QCoreApplication core(argc, argv);
        describeApplication();
        CommandLine commandLine;
        commandLine.parser.process(core); // prints and exits
        return 0;
    }

    QApplication app(argc, argv);
    describeApplication();
    QApplication::setApplicationDisplayName(QStringLiteral("Confab"));
    QApplication::setDesktopFileName(QStringLiteral("org.confab.Confab"));
    QApplication::setWindowIcon(appIcon());
    // Closing the window may only hide it to the tray; quitting is explicit.
    QApplication::setQuitOnLastWindowClosed(false);

    CommandLine commandLine;
    const QCommandLineParser &parser = commandLine.parser;
    commandLine.parser.process(app);

    DesktopApp::Options options;
    std::unique_ptr<QSettings> settings;
    if (parser.isSet(commandLine.profile)) {
        options.dataDir = QDir(parser.value(commandLine.profile)).absolutePath();
        settings = std::make_unique<QSettings>(QDir(options.dataDir).filePath(QStringLiteral("confab.ini")),
                                               QSettings::IniFormat);
    } else {
        options.dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
        settings = std::make_unique<QSettings>();
    }
    options.serverUrl = QUrl::fromUserInput(parser.value(commandLine.server));
    options.user = parser.value(commandLine.user);
    if (parser.isSet(commandLine.passwordEnv))
        options.password = qEnvironmentVariable(qPrintable(parser.value(commandLine.passwordEnv)));
    options.createAccount = parser.isSet(commandLine.registerAccount);
    options.window.useTray = !parser.isSet(commandLine.noTray);
    if (parser.isSet(commandLine.awayAfter))
        options.window.awayAfterMs = std::max(1, parser.value(commandLine.awayAfter).toInt()) * 1000;
    // Started with the desktop session: the same profile, and no tray if there was none.
    if (parser.isSet(commandLine.profile))
        options.window.autostartArguments << QStringLiteral("--profile") << options.dataDir;
    if (parser.isSet(commandLine.noTray))
        options.window.autostartArguments << QStringLiteral("--no-tray");

    DesktopApp desktop(settings.get(), options);
    QObject::connect(&desktop, &DesktopApp::quitRequested, &app, &QApplication::quit, Qt::QueuedConnection);
    desktop.start();
    return app.exec();
}
