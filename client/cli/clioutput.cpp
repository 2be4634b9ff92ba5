#include "clioutput.h"

#include <QCoreApplication>
#include <QJsonDocument>

#include <cstdio>
#include <cstdlib>

namespace Confab::Cli {

void printLine(const QJsonObject &object)
{
    fprintf(stdout, "%s\n", QJsonDocument(object).toJson(QJsonDocument::Compact).constData());
    fflush(stdout);
}

void fail(int code, const QString &message)
{
    fprintf(stderr, "confab-cli: %s\n", qPrintable(message));
    ::exit(code);
}

void quitWith(int code, const QString &message)
{
    fprintf(stderr, "confab-cli: %s\n", qPrintable(message));
    QCoreApplication::exit(code);
}

void finishWith(int code)
{
    QCoreApplication::exit(code);
}

QString refusal(const Chat::Error &error)
{
    return QStringLiteral("%1: %2").arg(Chat::errorCodeName(error.code), error.message);
}

} // namespace Confab::Cli
