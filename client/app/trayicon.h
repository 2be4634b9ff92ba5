// The tray icon: the app icon with the unread count on it, a menu (Show, Quit), and
// desktop notifications. Where the desktop has no tray, it does nothing and says so
// (isAvailable), and the window closes instead of hiding.
#pragma once

#include <QObject>

class QSystemTrayIcon;

namespace Confab::Desktop {

class TrayIcon : public QObject
{
    Q_OBJECT
public:
    explicit TrayIcon(bool enabled = true, QObject *parent = nullptr);

    bool isAvailable() const { return m_tray != nullptr; }
    void setUnreadCount(int unread);
    int unreadCount() const { return m_unread; }
    void notify(const QString &title, const QString &text);

Q_SIGNALS:
    void showRequested();
    void quitRequested();
    void notified(const QString &title, const QString &text);

private:
    QSystemTrayIcon *m_tray = nullptr;
    int m_unread = 0;
};

} // namespace Confab::Desktop
