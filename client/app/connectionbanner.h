// Says how the connection is, honestly and only when it matters: "Reconnecting in 4 s —
// Retry now", "Offline — 2 messages will be sent when the connection returns". Hidden
// while all is well.
#pragma once

#include "reconnectcontroller.h"

#include <QBasicTimer>
#include <QFrame>

class QLabel;
class QPushButton;

namespace Confab::Client {
class ChatSession;
}

namespace Confab::Desktop {

class ConnectionBanner : public QFrame
{
    Q_OBJECT
public:
    explicit ConnectionBanner(Client::ChatSession *session, QWidget *parent = nullptr);

    QString text() const;

Q_SIGNALS:
    // The server refused the login: the user has to sign in again.
    void signInRequested();

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    void refresh();

    Client::ChatSession *m_session;
    QLabel *m_label;
    QPushButton *m_retryButton;
    QPushButton *m_signInButton;
    QBasicTimer m_countdown;
};

} // namespace Confab::Desktop
