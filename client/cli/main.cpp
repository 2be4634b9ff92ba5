// confab-cli: a headless Confab client for scripts and bots. One JSON object per line on
// stdout; errors on stderr with a non-zero exit code.
#include "cliapp.h"

#include <QCoreApplication>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("confab"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CONFAB_VERSION));
    return Confab::Cli::CliApp().exec();
}
