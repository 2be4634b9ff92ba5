// Chat protocol v1 on a Socket.IO namespace: authenticates sockets by token, validates
// every payload, and answers each event through the Store, Bus and PresenceRegistry it
// is given. It never sees SQLite, Redis or WebSockets. See docs/PROTOCOL.md.
#pragma once

#include "auth/tokens.h"
#include "chat/bus.h"
#include "chat/presenceregistry.h"
#include "chat/store.h"
#include "util/tokenbucket.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QTimer>

namespace Confab::Realtime {
class Ack;
class Namespace;
class Socket;
}

namespace Confab::Ops {
class Metrics;
}

namespace Confab::Chat {

struct ChatOptions
{
    double eventsPerSecond = 50;  // per connection
    double eventBurst = 200;
    int maxRoomsPerUser = 1000;
    int maxMembersPerRoom = 10000;
    int maxPresenceQuery = 200;
    // Appends waiting for the store above which the node stops reading from clients
    // until half of them are done (0: never). Pauses are bounded by maxReadPauseMs so
    // heartbeats are not missed.
    int pauseReadsAt = 10000;
    int maxReadPauseMs = 5000;
};

class ChatService : public QObject
{
    Q_OBJECT
public:
    ChatService(Realtime::Namespace *nsp, Store *store, Bus *bus, PresenceRegistry *presence,
                const Auth::TokenSigner *tokens, const ChatOptions &options = {}, QObject *parent = nullptr);

    // Sends `announcement {text, ts}` to every connected user.
    void announce(const QString &text);
    qint64 messagesAccepted() const { return m_messagesAccepted; }
    // Store latency, delivery latency and deliveries (histograms and a counter).
    void setMetrics(Ops::Metrics *metrics);
    qint64 connectedUsers() const { return m_connectionsByUser.size(); }
    // Tells the rooms of these users their presence (it changed somewhere else: a dead
    // node was swept, or this node registered again after Redis came back).
    void announcePresence(const QStringList &users);
    // The store is reachable again: presence changes it could not route go out now.
    void storeRecovered();
    qint64 appendsInFlight() const { return m_appendsInFlight; }
    bool isStoreBehind() const { return m_storeBehind; }

Q_SIGNALS:
    // Reading from clients should pause (the store is behind) or go on again.
    void storeBehindChanged(bool behind);

private:
    void trackAppend(int delta);
    struct Connection
    {
        QString user;
        TokenBucket bucket;
        QSet<QString> rooms; // chat rooms whose channel this socket is in
    };
    struct Reply
    {
        QJsonObject fields;
        std::optional<ErrorCode> error;
        QString message;
        static Reply ok(QJsonObject fields = {}) { return { std::move(fields), std::nullopt, {} }; }
        static Reply fail(ErrorCode code, const QString &message) { return { {}, code, message }; }
    };
    using Handler = std::function<Reply(Realtime::Socket *socket, const QString &user, const QJsonObject &payload)>;
    using AsyncHandler = std::function<void(Realtime::Socket *socket, const QString &user, const QJsonObject &payload,
                                            const Realtime::Ack &ack)>;

    void attach(Realtime::Socket *socket);
    void detach(Realtime::Socket *socket);
    enum class NeedsStore { Yes, No };
    void handle(const QString &event, Handler handler, NeedsStore needsStore = NeedsStore::Yes);
    void handleAsync(const QString &event, AsyncHandler handler);
    void answer(const Realtime::Ack &ack, Reply reply, NeedsStore needsStore = NeedsStore::Yes);
    void deliver(const Envelope &envelope);

    Reply createRoom(const QString &user, const QJsonObject &payload);
    Reply joinRoom(const QString &user, const QJsonObject &payload);
    Reply leaveRoom(const QString &user, const QJsonObject &payload);
    Reply listRooms(const QString &user);
    Reply openDirect(const QString &user, const QJsonObject &payload);
    void sendMessage(const QString &user, const QJsonObject &payload, const Realtime::Ack &ack);
    Reply fetchHistory(const QString &user, const QJsonObject &payload);
    Reply receipt(const QString &user, const QJsonObject &payload);
    Reply typing(Realtime::Socket *socket, const QString &user, const QJsonObject &payload);
    Reply setPresence(const QString &user, const QJsonObject &payload);
    Reply getPresence(const QJsonObject &payload);

    // Checks the room reference and membership; an error reply when either fails.
    std::optional<Reply> checkMember(const QString &user, const QString &room);
    QJsonObject roomJson(const RoomRecord &room);
    void joinUserSockets(const QString &user, const QString &room);
    void leaveUserSockets(const QString &user, const QString &room);
    void joinChannel(Realtime::Socket *socket, const QString &room);
    void leaveChannel(Realtime::Socket *socket, const QString &room);
    // "$join"/"$leave" {user, room}: membership changes every node applies to its sockets.
    void applyControl(const Envelope &envelope);
    void publishPresence(const QString &user);
    qint64 nowMs() const;

    Realtime::Namespace *m_namespace;
    qint64 m_appendsInFlight = 0;
    bool m_storeBehind = false;
    bool m_pauseSuppressed = false;
    QTimer *m_pauseLimit = nullptr; // ends a pause that lasts too long
    Store *m_store;
    Bus *m_bus;
    PresenceRegistry *m_presence;
    const Auth::TokenSigner *m_tokens;
    ChatOptions m_options;
    QElapsedTimer m_clock;
    QHash<Realtime::Socket *, Connection> m_connections;
    QHash<QString, int> m_connectionsByUser;
    QHash<QString, int> m_roomSockets; // local sockets per chat room (the bus watches these)
    QSet<QString> m_presencePending;
    qint64 m_messagesAccepted = 0;
    Ops::Metrics *m_metrics = nullptr;
};

} // namespace Confab::Chat
