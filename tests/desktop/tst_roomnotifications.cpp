// Which messages notify: per room all, mentions only (rooms' default) or nothing (direct
// messages default to all), a mute for a while or until unmuted, and busy as do not
// disturb; kept across restarts in the settings file.
#include "roomnotifications.h"

#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using Confab::Desktop::RoomNotifications;
using Level = RoomNotifications::Level;

class tst_RoomNotifications : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void defaultsNotifyDirectMessagesAndMentions();
    void levelsDecide();
    void aMuteEndsByItselfOrWhenLifted();
    void busyMeansDoNotDisturb();
    void keptAcrossRestarts();

private:
    QTemporaryDir m_dir;
    QString file() const { return m_dir.filePath(QStringLiteral("confab.ini")); }
};

void tst_RoomNotifications::defaultsNotifyDirectMessagesAndMentions()
{
    QSettings settings(file(), QSettings::IniFormat);
    const RoomNotifications notifications(&settings);
    const QString online = QStringLiteral("online");
    QCOMPARE(notifications.level(QStringLiteral("lobby")), Level::Default);
    QVERIFY(notifications.shouldNotify(QStringLiteral("dm:alice:bob"), true, false, online));
    QVERIFY(notifications.shouldNotify(QStringLiteral("lobby"), false, true, online));
    QVERIFY(!notifications.shouldNotify(QStringLiteral("lobby"), false, false, online));
}

void tst_RoomNotifications::levelsDecide()
{
    QSettings settings(file(), QSettings::IniFormat);
    RoomNotifications notifications(&settings);
    const QString online = QStringLiteral("online"), room = QStringLiteral("levels");
    notifications.setLevel(room, Level::All);
    QVERIFY(notifications.shouldNotify(room, false, false, online));
    notifications.setLevel(room, Level::Nothing);
    QVERIFY(!notifications.shouldNotify(room, false, true, online));
    notifications.setLevel(QStringLiteral("dm:alice:carol"), Level::Mentions);
    QVERIFY(!notifications.shouldNotify(QStringLiteral("dm:alice:carol"), true, false, online));
    notifications.setLevel(room, Level::Default);
    QCOMPARE(notifications.level(room), Level::Default);
}

void tst_RoomNotifications::aMuteEndsByItselfOrWhenLifted()
{
    QSettings settings(file(), QSettings::IniFormat);
    RoomNotifications notifications(&settings);
    const QString online = QStringLiteral("online"), room = QStringLiteral("muted");
    notifications.setLevel(room, Level::All);
    notifications.muteFor(room, 3600);
    const QDateTime now = QDateTime::currentDateTime();
    QVERIFY(notifications.isMuted(room, now));
    QVERIFY(!notifications.shouldNotify(room, false, true, online, now));
    QVERIFY(notifications.shouldNotify(room, false, true, online, now.addSecs(3601))); // over by itself
    notifications.muteFor(room, 0);                                                    // until unmuted
    QVERIFY(notifications.isMuted(room, now.addYears(10)));
    notifications.unmute(room);
    QVERIFY(!notifications.isMuted(room, now));
    QVERIFY(notifications.shouldNotify(room, false, false, online, now));
}

void tst_RoomNotifications::busyMeansDoNotDisturb()
{
    QSettings settings(file(), QSettings::IniFormat);
    RoomNotifications notifications(&settings);
    notifications.setLevel(QStringLiteral("loud"), Level::All);
    QVERIFY(!notifications.shouldNotify(QStringLiteral("loud"), false, true, QStringLiteral("busy")));
    QVERIFY(!notifications.shouldNotify(QStringLiteral("dm:alice:bob"), true, true, QStringLiteral("busy")));
    QVERIFY(notifications.shouldNotify(QStringLiteral("loud"), false, false, QStringLiteral("away")));
}

void tst_RoomNotifications::keptAcrossRestarts()
{
    {
        QSettings settings(file(), QSettings::IniFormat);
        RoomNotifications(&settings).setLevel(QStringLiteral("dm:alice:dave"), Level::Nothing);
        RoomNotifications(&settings).muteFor(QStringLiteral("kept"), 0);
    }
    QSettings again(file(), QSettings::IniFormat);
    const RoomNotifications notifications(&again);
    QCOMPARE(notifications.level(QStringLiteral("dm:alice:dave")), Level::Nothing);
    QVERIFY(notifications.isMuted(QStringLiteral("kept")));
}

QTEST_GUILESS_MAIN(tst_RoomNotifications)
#include "tst_roomnotifications.moc"
