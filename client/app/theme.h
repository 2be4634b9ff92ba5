// The few visual constants shared by the views: icons from resources/, presence colours,
// a stable colour per sender, and how times are written.
#pragma once

#include "messagemodel.h"

#include <QColor>
#include <QIcon>
#include <QString>

namespace Confab::Desktop {

QIcon appIcon();
QIcon stateIcon(Client::MessageModel::State state);
QIcon icon(const QString &name);
QColor presenceColor(const QString &status);
// Readable on both light and dark palettes, the same for a user everywhere.
QColor senderColor(const QString &user, bool darkPalette);
bool isDark(const QPalette &palette);

// The Settings dialog's theme: the desktop's palette, or one of the app's own.
enum class Theme { System, Light, Dark };
// The app's dark palette (also the dark screenshots'); the style's light one.
QPalette darkPalette();
QPalette lightPalette();
void applyTheme(Theme theme);
// "last seen 5 min ago", "last seen yesterday at 18:02", …
QString lastSeenText(qint64 lastSeenMs);
QString presenceText(const QString &status);
// "Today", "Yesterday", or the date in the locale's long form.
QString dayText(const QDate &day);
// Whether text mentions @user (a whole word, any case): highlighted and notified.
bool mentions(const QString &text, const QString &user);
// The locale's short time without seconds ("14:05", "2:05 PM").
QString shortTime(const QTime &time);

} // namespace Confab::Desktop
