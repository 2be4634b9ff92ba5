#include "preferences.h"

#include "spellchecker.h"

#include <QSettings>
#include <QVariant>

namespace Confab::Desktop {

namespace {

const QString ThemeKey = QStringLiteral("appearance/theme");
const QString NotificationsKey = QStringLiteral("notifications/enabled");
const QString PreviewsKey = QStringLiteral("notifications/previews");
const QString SpellCheckKey = QStringLiteral("spelling/enabled");
const QString SpellLanguageKey = QStringLiteral("spelling/language");
const QString AwayAfterKey = QStringLiteral("presence/awayAfterMinutes");

const QString ThemeNames[] = { QStringLiteral("system"), QStringLiteral("light"), QStringLiteral("dark") };

} // namespace

Preferences::Preferences(QSettings *settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
{
}

bool Preferences::store(const QString &key, const QVariant &value, const QVariant &current)
{
    if (value == current)
        return false;
    m_settings->setValue(key, value);
    return true;
}

Theme Preferences::theme() const
{
    const QString name = m_settings->value(ThemeKey).toString();
    for (int i = 0; i < 3; ++i) {
        if (name == ThemeNames[i])
            return Theme(i);
    }
    return Theme::System;
}

void Preferences::setTheme(Theme theme)
{
    if (theme == this->theme())
        return;
    m_settings->setValue(ThemeKey, ThemeNames[int(theme)]);
    Q_EMIT themeChanged(theme);
}

bool Preferences::notificationsEnabled() const
{
    return m_settings->value(NotificationsKey, true).toBool();
}

void Preferences::setNotificationsEnabled(bool enabled)
{
    if (store(NotificationsKey, enabled, notificationsEnabled()))
        Q_EMIT notificationsChanged();
}

bool Preferences::notificationPreviews() const
{
    return m_settings->value(PreviewsKey, true).toBool();
}

void Preferences::setNotificationPreviews(bool previews)
{
    if (store(PreviewsKey, previews, notificationPreviews()))
        Q_EMIT notificationsChanged();
}

bool Preferences::isSpellCheckEnabled() const
{
    return m_settings->value(SpellCheckKey, true).toBool();
}

void Preferences::setSpellCheckEnabled(bool check)
{
    if (store(SpellCheckKey, check, isSpellCheckEnabled()))
        Q_EMIT spellingChanged();
}

QString Preferences::spellLanguage() const
{
    const QString chosen = m_settings->value(SpellLanguageKey).toString();
    return chosen.isEmpty() ? SpellChecker::defaultLanguage() : chosen;
}

void Preferences::setSpellLanguage(const QString &language)
{
    if (store(SpellLanguageKey, language, spellLanguage()))
        Q_EMIT spellingChanged();
}

int Preferences::awayAfterMinutes() const
{
    return std::max(0, m_settings->value(AwayAfterKey, DefaultAwayAfterMinutes).toInt());
}

void Preferences::setAwayAfterMinutes(int minutes)
{
    minutes = std::max(0, minutes);
    if (minutes == awayAfterMinutes())
        return;
    m_settings->setValue(AwayAfterKey, minutes);
    Q_EMIT awayAfterChanged(minutes);
}

} // namespace Confab::Desktop
