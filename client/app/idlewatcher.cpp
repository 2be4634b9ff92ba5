#include "idlewatcher.h"

#include "chatsession.h"

#include <QCoreApplication>
#include <QTimerEvent>

namespace Confab::Desktop {

IdleWatcher::IdleWatcher(Client::ChatSession *session, int idleAfterMs, QObject *parent)
    : QObject(parent)
    , m_session(session)
{
    m_sinceInput.start();
    qApp->installEventFilter(this);
    setIdleAfterMs(idleAfterMs);
}

void IdleWatcher::setIdleAfterMs(int idleAfterMs)
{
    m_idleAfterMs = idleAfterMs;
    if (idleAfterMs <= 0)
        m_check.stop();
    else
        m_check.start(std::clamp(idleAfterMs / 4, 250, 15000), this);
}

bool IdleWatcher::eventFilter(QObject *watched, QEvent *event)
{
    switch (event->type()) {
    case QEvent::KeyPress:
    case QEvent::MouseButtonPress:
    case QEvent::MouseMove:
    case QEvent::Wheel:
        m_sinceInput.restart();
        if (m_autoAway) {
            m_autoAway = false;
            m_session->setPresence(QStringLiteral("online"));
        }
        break;
    default: break;
    }
    return QObject::eventFilter(watched, event);
}

void IdleWatcher::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_check.timerId())
        return QObject::timerEvent(event);
    if (!m_autoAway && m_sinceInput.hasExpired(m_idleAfterMs) && m_session->presence() == QLatin1String("online")) {
        m_autoAway = true;
        m_session->setPresence(QStringLiteral("away"));
    }
}

} // namespace Confab::Desktop
