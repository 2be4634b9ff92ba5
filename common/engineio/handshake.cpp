#include "engineio/handshake.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Confab::EngineIo {

QByteArray Handshake::toJson() const
{
    const QJsonObject object {
        { QStringLiteral("sid"), QString::fromLatin1(sid) },
        { QStringLiteral("upgrades"), QJsonArray::fromStringList(upgrades) },
        { QStringLiteral("pingInterval"), pingInterval },
        { QStringLiteral("pingTimeout"), pingTimeout },
        { QStringLiteral("maxPayload"), maxPayload },
    };
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

std::optional<Handshake> Handshake::fromJson(QByteArrayView json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    const QJsonObject object = document.object();
    const QJsonValue sid = object.value(QStringLiteral("sid"));
    const QJsonValue interval = object.value(QStringLiteral("pingInterval"));
    const QJsonValue timeout = object.value(QStringLiteral("pingTimeout"));
    if (!sid.isString() || sid.toString().isEmpty() || !interval.isDouble() || !timeout.isDouble())
        return std::nullopt;
    Handshake handshake;
    handshake.sid = sid.toString().toLatin1();
    for (const QJsonValue &upgrade : object.value(QStringLiteral("upgrades")).toArray())
        handshake.upgrades.append(upgrade.toString());
    handshake.pingInterval = interval.toInt();
    handshake.pingTimeout = timeout.toInt();
    handshake.maxPayload = qint64(object.value(QStringLiteral("maxPayload")).toDouble(1000000));
    if (handshake.pingInterval <= 0 || handshake.pingTimeout <= 0)
        return std::nullopt;
    return handshake;
}

} // namespace Confab::EngineIo
