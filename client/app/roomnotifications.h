// Per room, what reaches the desktop as a notification: every message, only mentions
// (the default for rooms; direct messages default to every message), or nothing; and a
// mute for a while. Busy means do not disturb: nothing notifies. Kept in QSettings.
#pragma once

#include <QDateTime>
#include <QString>

class QSettings;

namespace Confab::Desktop {

class RoomNotifications
{
public:
    enum class Level { Default, All, Mentions, Nothing };

    explicit RoomNotifications(QSettings *settings);

    Level level(const QString &room) const;
    void setLevel(const QString &room, Level level);
    // Until when the room is muted; invalid when it is not. A far future: until unmuted.
    QDateTime mutedUntil(const QString &room) const;
    void muteFor(const QString &room, qint64 seconds); // <= 0: until unmuted
    void unmute(const QString &room);
    bool isMuted(const QString &room, const QDateTime &now = QDateTime::currentDateTime()) const;

    // Whether a message in the room should notify: its level (Default: everything in a
    // direct-message room, mentions elsewhere), the mute, and the user's own status.
    bool shouldNotify(const QString &room, bool isDirect, bool mentionsMe, const QString &ownStatus,
                      const QDateTime &now = QDateTime::currentDateTime()) const;

private:
    static QString key(const QString &room, const char *what);

    QSettings *m_settings;
};

} // namespace Confab::Desktop
