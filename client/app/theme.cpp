#include "theme.h"

#include <QApplication>
#include <QCoreApplication>
#include <QDateTime>
#include <QLocale>
#include <QPalette>
#include <QRegularExpression>
#include <QStyle>

namespace Confab::Desktop {

QIcon appIcon()
{
    return icon(QStringLiteral("confab"));
}

QIcon icon(const QString &name)
{
    return QIcon(QStringLiteral(":/icons/%1.svg").arg(name));
}

QIcon stateIcon(Client::MessageModel::State state)
{
    using State = Client::MessageModel::State;
    switch (state) {
    case State::Pending: return icon(QStringLiteral("state-pending"));
    case State::Sent: return icon(QStringLiteral("state-sent"));
    case State::Delivered: return icon(QStringLiteral("state-delivered"));
    case State::Read: return icon(QStringLiteral("state-read"));
    case State::Failed: return icon(QStringLiteral("state-failed"));
    }
    return {};
}

QColor presenceColor(const QString &status)
{
    if (status == QLatin1String("online"))
        return QColor(0x2e, 0xa0, 0x43);
    if (status == QLatin1String("away"))
        return QColor(0xe0, 0x9b, 0x1a);
    if (status == QLatin1String("busy"))
        return QColor(0xd6, 0x45, 0x45);
    return QColor(0x8a, 0x8f, 0x98);
}

QColor senderColor(const QString &user, bool darkPalette)
{
    // FNV-1a: stable across runs and machines (qHash is seeded per process).
    quint32 hash = 2166136261u;
    for (const QChar c : user)
        hash = (hash ^ c.unicode()) * 16777619u;
    const int hue = int(hash % 360);
    return QColor::fromHsl(hue, darkPalette ? 160 : 170, darkPalette ? 170 : 95);
}

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

QPalette darkPalette()
{
    QPalette palette;
    const QColor window(0x23, 0x26, 0x2b), base(0x1b, 0x1d, 0x21), text(0xe4, 0xe6, 0xea);
    palette.setColor(QPalette::Window, window);
    palette.setColor(QPalette::WindowText, text);
    palette.setColor(QPalette::Base, base);
    palette.setColor(QPalette::AlternateBase, window);
    palette.setColor(QPalette::Text, text);
    palette.setColor(QPalette::Button, window);
    palette.setColor(QPalette::ButtonText, text);
    palette.setColor(QPalette::ToolTipBase, base);
    palette.setColor(QPalette::ToolTipText, text);
    palette.setColor(QPalette::PlaceholderText, QColor(0x8a, 0x8f, 0x98));
    palette.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xde));
    palette.setColor(QPalette::HighlightedText, Qt::white);
    palette.setColor(QPalette::Link, QColor(0x6c, 0xa6, 0xff));
    // Greyed out, not as bright as what can be used (menus, buttons, fields).
    const QColor disabled(0x6b, 0x70, 0x78);
    for (const QPalette::ColorRole role : { QPalette::WindowText, QPalette::Text, QPalette::ButtonText })
        palette.setColor(QPalette::Disabled, role, disabled);
    // Fusion etches disabled text with the light colour first: unseen on a dark ground.
    palette.setColor(QPalette::Disabled, QPalette::Light, window);
    return palette;
}

QPalette lightPalette()
{
    return QApplication::style()->standardPalette();
}

void applyTheme(Theme theme)
{
    switch (theme) {
    // A palette with nothing set is the desktop's (the platform theme's) again.
    case Theme::System: QApplication::setPalette(QPalette()); break;
    case Theme::Light: QApplication::setPalette(lightPalette()); break;
    case Theme::Dark: QApplication::setPalette(darkPalette()); break;
    }
}

QString presenceText(const QString &status)
{
    if (status == QLatin1String("online"))
        return QCoreApplication::translate("Presence", "Online");
    if (status == QLatin1String("away"))
        return QCoreApplication::translate("Presence", "Away");
    if (status == QLatin1String("busy"))
        return QCoreApplication::translate("Presence", "Busy");
    return QCoreApplication::translate("Presence", "Offline");
}

QString lastSeenText(qint64 lastSeenMs)
{
    if (lastSeenMs <= 0)
        return QCoreApplication::translate("Presence", "Offline");
    const QDateTime seen = QDateTime::fromMSecsSinceEpoch(lastSeenMs);
    const qint64 minutes = seen.secsTo(QDateTime::currentDateTime()) / 60;
    if (minutes < 1)
        return QCoreApplication::translate("Presence", "Last seen just now");
    if (minutes < 60)
        return QCoreApplication::translate("Presence", "Last seen %n min ago", nullptr, int(minutes));
    const QString time = shortTime(seen.time());
    const qint64 days = seen.date().daysTo(QDate::currentDate());
    if (days == 0)
        return QCoreApplication::translate("Presence", "Last seen today at %1").arg(time);
    if (days == 1)
        return QCoreApplication::translate("Presence", "Last seen yesterday at %1").arg(time);
    return QCoreApplication::translate("Presence", "Last seen %1")
        .arg(QLocale().toString(seen.date(), QLocale::ShortFormat));
}

bool mentions(const QString &text, const QString &user)
{
    // Asked for every message painted: most have no "@" at all, and the expression is
    // compiled once per user, not per call.
    if (user.isEmpty() || !text.contains(QLatin1Char('@')))
        return false;
    static QString compiledFor;
    static QRegularExpression mention;
    if (compiledFor != user) {
        mention = QRegularExpression(QStringLiteral("(^|\\W)@%1\\b").arg(QRegularExpression::escape(user)),
                                     QRegularExpression::CaseInsensitiveOption);
        compiledFor = user;
    }
    return mention.match(text).hasMatch();
}

QString shortTime(const QTime &time)
{
    static const QString format = [] {
        QString pattern = QLocale().timeFormat(QLocale::ShortFormat);
        pattern.remove(QRegularExpression(QStringLiteral("[:.]ss")));
        return pattern;
    }();
    return QLocale().toString(time, format);
}

QString dayText(const QDate &day)
{
    const qint64 days = day.daysTo(QDate::currentDate());
    if (days == 0)
        return QCoreApplication::translate("Conversation", "Today");
    if (days == 1)
        return QCoreApplication::translate("Conversation", "Yesterday");
    return QLocale().toString(day, QLocale::LongFormat);
}

} // namespace Confab::Desktop
