#include "roomnotificationsmenu.h"

#include "roomnotifications.h"

#include <QActionGroup>
#include <QLocale>
#include <QMenu>

namespace Confab::Desktop {

using Level = RoomNotifications::Level;

void addNotificationActions(QMenu *menu, QSettings *settings, const QString &room, bool isDirect)
{
    RoomNotifications notifications(settings);
    QMenu *notify = menu->addMenu(QMenu::tr("&Notifications"));
    notify->setObjectName(QStringLiteral("notificationsMenu"));
    auto *levels = new QActionGroup(notify);
    Level current = notifications.level(room);
    if (current == Level::Default)
        current = isDirect ? Level::All : Level::Mentions;
    const std::pair<Level, QString> choices[] = {
        { Level::All, QMenu::tr("&All Messages") },
        { Level::Mentions, QMenu::tr("&Mentions Only") },
        { Level::Nothing, QMenu::tr("&Nothing") },
    };
    for (const auto &[level, text] : choices) {
        QAction *action = notify->addAction(text, notify, [settings, room, level] {
            RoomNotifications(settings).setLevel(room, level);
        });
        action->setCheckable(true);
        action->setChecked(level == current);
        levels->addAction(action);
    }
    notify->addSeparator();
    if (notifications.isMuted(room)) {
        const QDateTime until = notifications.mutedUntil(room);
        const bool forever = until.date().year() > QDate::currentDate().year() + 50;
        notify->addAction(forever ? QMenu::tr("&Unmute (muted until you unmute)")
                                  : QMenu::tr("&Unmute (muted until %1)")
                                        .arg(QLocale().toString(until, QLocale::ShortFormat)),
                          notify, [settings, room] { RoomNotifications(settings).unmute(room); });
        return;
    }
    const std::pair<qint64, QString> mutes[] = {
        { 3600, QMenu::tr("Mute for 1 &Hour") },
        { 8 * 3600, QMenu::tr("Mute for &8 Hours") },
        { 24 * 3600, QMenu::tr("Mute for &24 Hours") },
        { 0, QMenu::tr("Mute &Until I Unmute") },
    };
    for (const auto &[seconds, text] : mutes)
        notify->addAction(text, notify,
                          [settings, room, seconds] { RoomNotifications(settings).muteFor(room, seconds); });
}

} // namespace Confab::Desktop
