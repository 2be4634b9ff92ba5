// Chat protocol v1 on a Socket.IO namespace: authenticates sockets by token, reads every
// payload into its typed request (common/chat/requests.h), and answers each event
// through the Store, Bus and PresenceRegistry it is given. It never sees SQLite, Redis
// or WebSockets. See docs/PROTOCOL.md.
//
// The handlers are grouped by subject: chatservice.cpp (connections, dispatch, delivery),
// chatrooms.cpp (room events), chatmessages.cpp (messages, history, receipts),
// chatchanges.cpp (edits, deletes, reactions, updates, read positions) and
// chatpresence.cpp (presence and typing).
#pragma once

#include "auth/tokens.h"
#include "chat/bus.h"
#include "chat/limits.h"
#include "chat/presenceregistry.h"
#include "chat/readorder.h"
#include "chat/receiptthrottle.h"
#include "chat/requests.h"
#include "chat/roomrequests.h"
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
    double eventsPerSecond = 50; // per connection
    double eventBurst = 200;
    int maxRoomsPerUser = 1000;
    int maxMembersPerRoom = 10000;
    int maxPresenceQuery = DefaultMaxPresenceQuery;
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
    // Registers the chat layer's metrics (store and delivery latency, deliveries, …).
    void setMetrics(Ops::Metrics *metrics);
    qint64 connectedUsers() const { return m_connectionsByUser.size(); }
    // Tells the rooms of these users their presence (it changed somewhere else: a dead
    // node was swept, or this node registered again after Redis came back).
    void announcePresence(const QStringList &users);
    // The store is reachable again: presence changes it could not route go out now.
    void storeRecovered();
    qint64 appendsInFlight() const { return m_appendsInFlight; }
    // Administration (confabctl, chatadmin.cpp): the room with its members' roles; nothing
    // when there is no such room.
    std::optional<Room> describeRoom(const QString &room);
    // Makes the user the room's owner, a member first if need be (the owner is gone);
    // the old owner, if any, becomes a moderator. The room's members hear of it.
    std::optional<Error> assignOwner(const QString &room, const QString &user);
    bool isStoreBehind() const { return m_storeBehind; }

Q_SIGNALS:
    // Reading from clients should pause (the store is behind) or go on again.
    void storeBehindChanged(bool behind);

private:
    struct Connection
    {
        QString user;
        TokenBucket bucket;
        QSet<QString> rooms; // chat rooms whose channel this socket is in
    };
    // Who sent the event being handled.
    struct Caller
    {
        Realtime::Socket *socket;
        QString user;
    };
    // An ok answer's fields, or the error to answer with.
    using Reply = Result<QJsonObject>;
    enum class NeedsStore { Yes, No };
    template<typename Request> using Handler = Reply (ChatService::*)(const Caller &caller, const Request &request);
    template<typename Request>
    using AsyncHandler = void (ChatService::*)(const Caller &caller, const Request &request, const Realtime::Ack &ack);

    // Registers an event: its payload is read into Request (invalid: bad_request and the
    // rule it broke), then the handler runs; its reply is the ack.
    template<typename Request>
    void handle(const QString &event, Handler<Request> handler, NeedsStore needsStore = NeedsStore::Yes);
    template<typename Request> void handleAsync(const QString &event, AsyncHandler<Request> handler);
    void registerHandlers();
    void attach(Realtime::Socket *socket);
    void detach(Realtime::Socket *socket);
    // The connection's rate limit and the object payload every event must carry.
    const Connection *admit(Realtime::Socket *socket, const QJsonArray &args, const Realtime::Ack &ack);
    void answer(const Realtime::Ack &ack, const Reply &reply, NeedsStore needsStore = NeedsStore::Yes);
    void deliver(const Envelope &envelope);
    void observeDelivery(const Envelope &envelope, qsizetype delivered);
    void trackAppend(int delta);

    // chatrooms.cpp
    Reply createRoom(const Caller &caller, const CreateRoomRequest &request);
    Reply joinRoom(const Caller &caller, const RoomRequest &request);
    Reply leaveRoom(const Caller &caller, const RoomRequest &request);
    Reply listRooms(const Caller &caller, const ListRoomsRequest &request);
    Reply openDirect(const Caller &caller, const OpenDirectRequest &request);
    // Membership of a valid room reference; an error when the caller is not a member.
    std::optional<Error> checkMember(const QString &user, const QString &room);
    Room roomOf(const RoomRecord &room);
    void joinUserSockets(const QString &user, const QString &room);
    void leaveUserSockets(const QString &user, const QString &room);
    void joinChannel(Realtime::Socket *socket, const QString &room);
    void leaveChannel(Realtime::Socket *socket, const QString &room);
    // "$join"/"$leave" {user, room}: membership changes every node applies to its sockets.
    void applyControl(const Envelope &envelope);

    // chatadmin.cpp
    Reply updateRoom(const Caller &caller, const UpdateRoomRequest &request);
    Reply inviteMember(const Caller &caller, const RoomUserRequest &request);
    Reply kickMember(const Caller &caller, const RoomUserRequest &request);
    Reply banUser(const Caller &caller, const BanRequest &request);
    Reply setMemberRole(const Caller &caller, const RoleRequest &request);
    Reply listDirectory(const Caller &caller, const DirectoryRequest &request);
    // The room an administrative event names and the caller's role there; an error for a
    // direct-message room, a room that does not exist, or a caller who is not a member.
    struct RoomAndRole
    {
        RoomRecord room;
        RoomRole role;
    };
    Result<RoomAndRole> roomAndRole(const QString &user, const QString &room);
    // member {room, user, action, by?} to the room and to every connection of the user.
    void publishMember(const QString &room, const QString &user, MemberAction action, const QString &by = {});
    // room: the room as it is now (topic, roles) to its members.
    void publishRoom(const QString &room);
    // The owner left: a moderator (else a member) takes over, the first by name.
    void handOverOwnership(const QString &room);

    // chatmessages.cpp
    void sendMessage(const Caller &caller, const SendMessageRequest &request, const Realtime::Ack &ack);
    Reply fetchHistory(const Caller &caller, const HistoryRequest &request);
    Reply search(const Caller &caller, const SearchRequest &request);
    Reply receipt(const Caller &caller, const ReceiptRequest &request);
    // The room's members named as @name in text, at most MaxMentions.
    std::optional<Attachment> attachmentOf(const QString &sender, const AttachmentRef &ref);
    QStringList mentionedMembers(const QString &room, const QString &text);

    // chatchanges.cpp
    void editMessage(const Caller &caller, const EditMessageRequest &request, const Realtime::Ack &ack);
    void deleteMessage(const Caller &caller, const DeleteMessageRequest &request, const Realtime::Ack &ack);
    void setReaction(const Caller &caller, const SetReactionRequest &request, const Realtime::Ack &ack);
    void applyChange(const Caller &caller, const QString &room, const QByteArray &id, Store::ChangeRequest change,
                     const Realtime::Ack &ack);
    Reply fetchUpdates(const Caller &caller, const UpdatesRequest &request);
    Reply fetchReads(const Caller &caller, const RoomRequest &request);
    void deliverRead(const Envelope &envelope);
    void sendRead(const ReadOrder::Read &read);
    void publishReceipt(const ReceiptEvent &receipt);
    void releaseRoomSocket(const QString &room);

    // chatpresence.cpp
    Reply typing(const Caller &caller, const TypingRequest &request);
    Reply setPresence(const Caller &caller, const SetPresenceRequest &request);
    Reply getPresence(const Caller &caller, const GetPresenceRequest &request);
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
    ReadOrder m_readOrder { [this](const ReadOrder::Read &read) { sendRead(read); }, this };
    ReceiptThrottle m_receipts { [this](const ReceiptEvent &receipt) { publishReceipt(receipt); }, this };
    qint64 m_messagesAccepted = 0;
    Ops::Metrics *m_metrics = nullptr;
};

} // namespace Confab::Chat
