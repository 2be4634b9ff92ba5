#include "connectionbanner.h"

#include "chatsession.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTimerEvent>

namespace Confab::Desktop {

using Client::ChatSession;
using Status = Client::ReconnectController::Status;

ConnectionBanner::ConnectionBanner(ChatSession *session, QWidget *parent)
    : QFrame(parent)
    , m_session(session)
    , m_label(new QLabel(this))
    , m_retryButton(new QPushButton(tr("Retry now"), this))
    , m_signInButton(new QPushButton(tr("Sign in again"), this))
{
    setObjectName(QStringLiteral("connectionBanner"));
    setAutoFillBackground(true);
    setFrameShape(QFrame::NoFrame);
    QPalette warning = palette();
    warning.setColor(QPalette::Window, QColor(0xfd, 0xf0, 0xc8));
    warning.setColor(QPalette::WindowText, QColor(0x4a, 0x3b, 0x0c));
    setPalette(warning);
    m_label->setObjectName(QStringLiteral("connectionBannerText"));
    m_retryButton->setObjectName(QStringLiteral("retryNowButton"));
    m_label->setWordWrap(true);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(12, 6, 12, 6);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_retryButton);
    layout->addWidget(m_signInButton);
    connect(m_retryButton, &QPushButton::clicked, session->connection(), &Client::ReconnectController::retryNow);
    connect(m_signInButton, &QPushButton::clicked, this, &ConnectionBanner::signInRequested);
    connect(session->connection(), &Client::ReconnectController::statusChanged, this, &ConnectionBanner::refresh);
    connect(session, &ChatSession::pendingCountChanged, this, &ConnectionBanner::refresh);
    refresh();
}

QString ConnectionBanner::text() const
{
    return isVisible() ? m_label->text() : QString();
}

void ConnectionBanner::refresh()
{
    const Status status = m_session->connection()->status();
    const int pending = m_session->pendingCount();
    const QString queued = pending > 0 ? tr("%n message(s) will be sent when the connection returns.", nullptr, pending)
                                       : tr("What you write will be sent when the connection returns.");
    m_retryButton->setVisible(status == Status::Waiting || status == Status::Offline);
    m_signInButton->setVisible(status == Status::Refused);
    switch (status) {
    case Status::Connected:
    case Status::Idle:
        m_countdown.stop();
        hide();
        return;
    case Status::Connecting:
        // The first attempt is not worth a banner; a reconnect attempt is.
        if (m_session->connection()->attempt() <= 1 && isHidden())
            return;
        m_label->setText(tr("Connecting…") + QLatin1Char(' ') + queued);
        break;
    case Status::Waiting: {
        const int seconds = int((m_session->connection()->nextAttemptInMs() + 999) / 1000);
        m_label->setText(tr("Reconnecting in %1 s —").arg(seconds) + QLatin1Char(' ') + queued);
        m_countdown.start(250, this);
        break;
    }
    case Status::Offline: m_label->setText(tr("Offline —") + QLatin1Char(' ') + queued); break;
    case Status::Refused:
        m_label->setText(tr("The server no longer accepts this login.") + QLatin1Char(' ') + queued);
        break;
    }
    show();
}

void ConnectionBanner::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_countdown.timerId())
        return QFrame::timerEvent(event);
    if (m_session->connection()->status() == Status::Waiting)
        refresh();
    else
        m_countdown.stop();
}

} // namespace Confab::Desktop
