#include "ops/logging.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

namespace Confab::Ops {

Q_LOGGING_CATEGORY(lcNode, "confab.node")
Q_LOGGING_CATEGORY(lcLoad, "confab.load")
Q_LOGGING_CATEGORY(lcStore, "confab.store")

namespace {

LogFormat g_format = LogFormat::Text;

const char *levelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg: return "debug";
    case QtInfoMsg: return "info";
    case QtWarningMsg: return "warning";
    case QtCriticalMsg: return "error";
    case QtFatalMsg: return "fatal";
    }
    return "info";
}

// syslog priorities, as sd-daemon(3) prefixes them
int journalPriority(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg: return 7;
    case QtInfoMsg: return 6;
    case QtWarningMsg: return 4;
    case QtCriticalMsg: return 3;
    case QtFatalMsg: return 2;
    }
    return 6;
}

void handleMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const char *category = context.category ? context.category : "default";
    QByteArray line;
    switch (g_format) {
    case LogFormat::Json: {
        const QJsonObject entry { { QStringLiteral("ts"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs) },
                                  { QStringLiteral("level"), QLatin1String(levelName(type)) },
                                  { QStringLiteral("category"), QLatin1String(category) },
                                  { QStringLiteral("msg"), message } };
        line = QJsonDocument(entry).toJson(QJsonDocument::Compact);
        break;
    }
    case LogFormat::Journal:
        line = '<' + QByteArray::number(journalPriority(type)) + '>' + category + ": " + message.toUtf8();
        break;
    case LogFormat::Text:
        line = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toUtf8() + ' '
            + QByteArray(levelName(type)).leftJustified(8, ' ') + category + ": " + message.toUtf8();
        break;
    }
    line += '\n';
    fwrite(line.constData(), 1, size_t(line.size()), stderr);
    fflush(stderr);
    if (type == QtFatalMsg)
        abort();
}

} // namespace

std::optional<LogFormat> parseLogFormat(const QString &name)
{
    if (name == QLatin1String("text"))
        return LogFormat::Text;
    if (name == QLatin1String("json"))
        return LogFormat::Json;
    if (name == QLatin1String("journal"))
        return LogFormat::Journal;
    return std::nullopt;
}

LogFormat defaultLogFormat()
{
    return qEnvironmentVariableIsEmpty("JOURNAL_STREAM") ? LogFormat::Text : LogFormat::Journal;
}

void installLogHandler(LogFormat format)
{
    g_format = format;
    qInstallMessageHandler(handleMessage);
}

} // namespace Confab::Ops
