// The Engine.IO v4 open packet's JSON body.
#pragma once

#include <QByteArray>
#include <QStringList>

#include <optional>

namespace Confab::EngineIo {

struct Handshake
{
    QByteArray sid;
    QStringList upgrades;
    int pingInterval = 25000;
    int pingTimeout = 20000;
    qint64 maxPayload = 1000000;

    QByteArray toJson() const;
    static std::optional<Handshake> fromJson(QByteArrayView json);
};

} // namespace Confab::EngineIo
