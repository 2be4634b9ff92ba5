// "Away after idle": no keyboard or mouse input to the app for a while turns an
// "online" user "away", and the next input turns them back. A status the user chose
// (away, busy) is left alone. Input to other apps is not seen: Qt has no portable
// system-idle API, so a user reading in another window counts as idle here.
#pragma once

#include <QBasicTimer>
#include <QElapsedTimer>
#include <QObject>

namespace Confab::Client {
class ChatSession;
}

namespace Confab::Desktop {

class IdleWatcher : public QObject
{
    Q_OBJECT
public:
    IdleWatcher(Client::ChatSession *session, int idleAfterMs, QObject *parent = nullptr);

    bool isAutoAway() const { return m_autoAway; }
    // 0: never away on its own.
    void setIdleAfterMs(int idleAfterMs);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void timerEvent(QTimerEvent *event) override;

private:
    Client::ChatSession *m_session;
    int m_idleAfterMs;
    QElapsedTimer m_sinceInput;
    QBasicTimer m_check;
    bool m_autoAway = false;
};

} // namespace Confab::Desktop
