#include "autostart.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <QStandardPaths>

namespace Confab::Desktop::Autostart {

namespace {

// An argument as the spec wants it: reserved characters in double quotes, with ", `, $
// and \ escaped by a backslash.
QString quoted(const QString &argument)
{
    static const QString reserved = QStringLiteral(" \t\n\"'\\><~|&;$*?#()`");
    if (!argument.isEmpty()
        && std::none_of(argument.cbegin(), argument.cend(), [](QChar c) { return reserved.contains(c); }))
        return argument;
    QString escaped;
    for (const QChar c : argument) {
        if (c == QLatin1Char('"') || c == QLatin1Char('`') || c == QLatin1Char('$') || c == QLatin1Char('\\'))
            escaped += QLatin1Char('\\');
        escaped += c;
    }
    // "%" is a field code everywhere in Exec: a literal one is doubled.
    escaped.replace(QLatin1Char('%'), QStringLiteral("%%"));
    return QLatin1Char('"') + escaped + QLatin1Char('"');
}

} // namespace

QString entryPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation)
        + QStringLiteral("/autostart/org.confab.Confab.desktop");
}

bool isEnabled()
{
    return QFile::exists(entryPath());
}

QString execLine(const QString &program, const QStringList &arguments)
{
    QStringList parts { quoted(program) };
    for (const QString &argument : arguments)
        parts.append(quoted(argument));
    return parts.join(QLatin1Char(' '));
}

bool setEnabled(bool enabled, const QStringList &arguments, QString *error)
{
    const QString path = entryPath();
    if (!enabled) {
        if (!QFile::exists(path) || QFile::remove(path))
            return true;
        *error = QCoreApplication::translate("Autostart", "Cannot remove %1.").arg(path);
        return false;
    }
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) {
        *error = file.errorString();
        return false;
    }
    const QString entry = QStringLiteral("[Desktop Entry]\n"
                                         "Type=Application\n"
                                         "Name=Confab\n"
                                         "Comment=Chat, started when you log in\n"
                                         "Exec=%1\n"
                                         "Icon=org.confab.Confab\n"
                                         "Terminal=false\n"
                                         "X-GNOME-Autostart-enabled=true\n")
                              .arg(execLine(QCoreApplication::applicationFilePath(), arguments));
    file.write(entry.toUtf8());
    if (!file.commit()) {
        *error = file.errorString();
        return false;
    }
    return true;
}

} // namespace Confab::Desktop::Autostart
