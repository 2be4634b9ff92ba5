#include "autostart.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <QStandardPaths>

namespace Confab::Desktop::Autostart {

namespace {

// An argument as the spec's quoting rule wants it: "%" doubled (a field code marker
// anywhere), and one with reserved characters in double quotes, with the double quote,
// backtick, dollar and backslash escaped by a backslash.
QString quoted(const QString &argument)
{
    static const QString reserved = QStringLiteral(" \t\n\"'\\><~|&;$*?#()`");
    QString text = argument;
    text.replace(QLatin1Char('%'), QStringLiteral("%%"));
    if (!text.isEmpty() && std::none_of(text.cbegin(), text.cend(), [](QChar c) { return reserved.contains(c); }))
        return text;
    QString escaped;
    for (const QChar c : std::as_const(text)) {
        if (c == QLatin1Char('"') || c == QLatin1Char('`') || c == QLatin1Char('$') || c == QLatin1Char('\\'))
            escaped += QLatin1Char('\\');
        escaped += c;
    }
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
    // Then the rule for every string value, which readers undo first: a backslash is
    // written twice (so an escaped "$" reads \\$), a line break as \n.
    QString line = parts.join(QLatin1Char(' '));
    line.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    line.replace(QLatin1Char('\n'), QStringLiteral("\\n"));
    return line;
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
