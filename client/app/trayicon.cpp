#include "trayicon.h"

#include "theme.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusPendingCall>
#include <QMenu>
#include <QPainter>
#include <QSystemTrayIcon>

namespace Confab::Desktop {

namespace {

QIcon iconWithBadge(int unread)
{
    const QIcon base = appIcon();
    if (unread <= 0)
        return base;
    QIcon result;
    for (const int size : { 16, 22, 24, 32, 48, 64 }) {
        QPixmap pixmap = base.pixmap(size, size);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        const qreal diameter = size * 0.6;
        const QRectF badge(size - diameter, 0, diameter, diameter);
        painter.setPen(Qt::NoPen);
        painter.setBrush(QColor(0xd6, 0x45, 0x45));
        painter.drawEllipse(badge);
        QFont font = painter.font();
        font.setBold(true);
        font.setPixelSize(std::max(6, int(diameter * 0.62)));
        painter.setFont(font);
        painter.setPen(Qt::white);
        painter.drawText(badge, Qt::AlignCenter, unread > 9 ? QStringLiteral("9+") : QString::number(unread));
        result.addPixmap(pixmap);
    }
    return result;
}

} // namespace

TrayIcon::TrayIcon(bool enabled, QObject *parent)
    : QObject(parent)
{
    if (!enabled || !QSystemTrayIcon::isSystemTrayAvailable())
        return;
    m_tray = new QSystemTrayIcon(appIcon(), this);
    auto *menu = new QMenu;
    connect(this, &QObject::destroyed, menu, &QObject::deleteLater);
    menu->addAction(tr("Show Confab"), this, &TrayIcon::showRequested);
    menu->addSeparator();
    menu->addAction(tr("Quit"), this, &TrayIcon::quitRequested);
    m_tray->setContextMenu(menu);
    m_tray->setToolTip(tr("Confab"));
    connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
            Q_EMIT showRequested();
    });
    connect(m_tray, &QSystemTrayIcon::messageClicked, this, &TrayIcon::showRequested);
    m_tray->show();
}

void TrayIcon::setUnreadCount(int unread)
{
    if (unread == m_unread)
        return;
    m_unread = unread;
    if (!m_tray)
        return;
    m_tray->setIcon(iconWithBadge(unread));
    m_tray->setToolTip(unread > 0 ? tr("Confab — %n unread message(s)", nullptr, unread) : tr("Confab"));
}

void TrayIcon::notify(const QString &title, const QString &text)
{
    if (m_tray && QSystemTrayIcon::supportsMessages()) {
        m_tray->showMessage(title, text, appIcon(), 8000);
    } else {
        // No tray (GNOME without extensions): the desktop's notification service directly.
        QDBusMessage call
            = QDBusMessage::createMethodCall(QStringLiteral("org.freedesktop.Notifications"),
                                             QStringLiteral("/org/freedesktop/Notifications"),
                                             QStringLiteral("org.freedesktop.Notifications"), QStringLiteral("Notify"));
        call << QStringLiteral("Confab") << 0u << QStringLiteral("org.confab.Confab") << title << text << QStringList()
             << QVariantMap { { QStringLiteral("desktop-entry"), QStringLiteral("org.confab.Confab") } } << 8000;
        QDBusConnection::sessionBus().asyncCall(call);
    }
    Q_EMIT notified(title, text);
}

} // namespace Confab::Desktop
