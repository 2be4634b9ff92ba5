// The room list's context menu entries for a room's notifications (RoomNotifications).
#pragma once

#include <QString>

class QMenu;
class QSettings;

namespace Confab::Desktop {

// Adds "Notify: all messages / mentions only / nothing" (exclusive) and the mute entries.
void addNotificationActions(QMenu *menu, QSettings *settings, const QString &room, bool isDirect);

} // namespace Confab::Desktop
