// "Start Confab when I log in": an XDG autostart entry, the desktop's standard way
// (~/.config/autostart/org.confab.Confab.desktop, honoured by GNOME, KDE, Xfce, …),
// that runs this same program with the same profile.
#pragma once

#include <QString>
#include <QStringList>

namespace Confab::Desktop::Autostart {

QString entryPath();
bool isEnabled();
// Writes or removes the entry; false with a reason in *error when that fails.
bool setEnabled(bool enabled, const QStringList &arguments, QString *error);
// The Exec= line for program and arguments, quoted as the Desktop Entry spec says.
QString execLine(const QString &program, const QStringList &arguments);

} // namespace Confab::Desktop::Autostart
