// What the user chose in the Settings dialog, kept in the app's QSettings: the theme,
// notifications, spell checking, when to show as away. Each change is saved at once and
// announced, so the window applies it while the dialog is still open.
#pragma once

#include "theme.h"

#include <QObject>

class QSettings;
class QVariant;

namespace Confab::Desktop {

class Preferences : public QObject
{
    Q_OBJECT
public:
    static constexpr int DefaultAwayAfterMinutes = 5;

    explicit Preferences(QSettings *settings, QObject *parent = nullptr);

    Theme theme() const;
    void setTheme(Theme theme);

    // Desktop notifications at all; with the message's text or only who wrote where.
    bool notificationsEnabled() const;
    void setNotificationsEnabled(bool enabled);
    bool notificationPreviews() const;
    void setNotificationPreviews(bool previews);

    bool isSpellCheckEnabled() const;
    void setSpellCheckEnabled(bool check);
    // A dictionary name ("en_US"); the system's default while none was chosen.
    QString spellLanguage() const;
    void setSpellLanguage(const QString &language);

    // 0: never away on its own.
    int awayAfterMinutes() const;
    void setAwayAfterMinutes(int minutes);

Q_SIGNALS:
    void themeChanged(Theme theme);
    void notificationsChanged();
    void spellingChanged();
    void awayAfterChanged(int minutes);

private:
    // Saves value under key unless it is the current one; whether it changed.
    bool store(const QString &key, const QVariant &value, const QVariant &current);

    QSettings *m_settings;
};

} // namespace Confab::Desktop
