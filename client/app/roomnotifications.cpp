#include "roomnotifications.h"

#include <QSettings>

namespace Confab::Desktop {

namespace {
constexpr qint64 ForeverSeconds = 100LL * 365 * 24 * 3600;
} // namespace

RoomNotifications::RoomNotifications(QSettings *settings)
    : m_settings(settings)
{
}

QString RoomNotifications::key(const QString &room, const char *what)
{
    // Room names may hold ':' (direct-message rooms) which QSettings keys take as is;
    // '/' never occurs in them.
    return QStringLiteral("notifications/%1/%2").arg(room, QLatin1String(what));
}

RoomNotifications::Level RoomNotifications::level(const QString &room) const
{
    const int value = m_settings->value(key(room, "level"), int(Level::Default)).toInt();
    return value >= int(Level::Default) && value <= int(Level::Nothing) ? Level(value) : Level::Default;
}

void RoomNotifications::setLevel(const QString &room, Level level)
{
    if (level == Level::Default)
        m_settings->remove(key(room, "level"));
    else
        m_settings->setValue(key(room, "level"), int(level));
}

QDateTime RoomNotifications::mutedUntil(const QString &room) const
{
    const qint64 until = m_settings->value(key(room, "mutedUntil"), 0).toLongLong();
    return until > 0 ? QDateTime::fromSecsSinceEpoch(until) : QDateTime();
}

void RoomNotifications::muteFor(const QString &room, qint64 seconds)
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    m_settings->setValue(key(room, "mutedUntil"), now + (seconds > 0 ? seconds : ForeverSeconds));
}

void RoomNotifications::unmute(const QString &room)
{
    m_settings->remove(key(room, "mutedUntil"));
}

bool RoomNotifications::isMuted(const QString &room, const QDateTime &now) const
{
    const QDateTime until = mutedUntil(room);
    return until.isValid() && until > now;
}

bool RoomNotifications::shouldNotify(const QString &room, bool isDirect, bool mentionsMe, const QString &ownStatus,
                                     const QDateTime &now) const
{
    if (ownStatus == QLatin1String("busy") || isMuted(room, now))
        return false;
    switch (level(room)) {
    case Level::All: return true;
    case Level::Mentions: return mentionsMe;
    case Level::Nothing: return false;
    case Level::Default: break;
    }
    return isDirect || mentionsMe;
}

} // namespace Confab::Desktop
