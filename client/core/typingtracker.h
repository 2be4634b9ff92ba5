// Who is typing where, from others' `typing` events. An entry expires on its own
// (a lost "stopped typing" must not leave "bob is typing…" up forever), and a message
// from that user ends it at once.
#pragma once

#include <QBasicTimer>
#include <QDeadlineTimer>
#include <QHash>
#include <QObject>
#include <QStringList>

namespace Confab::Client {

class ChatSession;

class TypingTracker : public QObject
{
    Q_OBJECT
public:
    // How long "typing" lasts without a renewal; senders renew every few seconds.
    static constexpr int ExpiryMs = 6000;

    explicit TypingTracker(ChatSession *session, QObject *parent = nullptr);

    // The users typing in the room, in the order they started.
    QStringList typingIn(const QString &room) const;

Q_SIGNALS:
    void typingChanged(const QString &room);

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    struct Typist
    {
        QString user;
        QDeadlineTimer expires;
    };
    void set(const QString &room, const QString &user, bool active);

    QHash<QString, QList<Typist>> m_rooms;
    QBasicTimer m_expiryTimer;
};

} // namespace Confab::Client
