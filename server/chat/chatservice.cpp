#include "chat/chatservice.h"

#include "ops/logging.h"
#include "ops/metrics.h"

#include "chat/validation.h"
#include "realtime/namespace.h"
#include "realtime/socket.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>

namespace Confab::Chat {

using Realtime::Ack;
using Realtime::Socket;

namespace {

// Socket.IO rooms: "r:<chat room>" holds the sockets of its members, "u:<user>" a user's sockets.
QString roomChannel(const QString &room)
{
    return QLatin1String("r:") + room;
}

QString userChannel(const QString &user)
{
    return QLatin1String("u:") + user;
}

QString stringField(const QJsonObject &payload, const char *key)
{
    return payload.value(QLatin1String(key)).toString();
}

} // namespace

ChatService::ChatService(Realtime::Namespace *nsp, Store *store, Bus *bus, PresenceRegistry *presence,
                         const Auth::TokenSigner *tokens, const ChatOptions &options, QObject *parent)
    : QObject(parent)
    , m_namespace(nsp)
    , m_store(store)
    , m_bus(bus)
    , m_presence(presence)
    , m_tokens(tokens)
    , m_options(options)
{
    m_clock.start();
    m_pauseLimit = new QTimer(this);
    m_pauseLimit->setSingleShot(true);
    connect(m_pauseLimit, &QTimer::timeout, this, [this] {
        // Clients' heartbeats wait behind a pause: never hold one past the limit.
        qCWarning(Ops::lcStore, "store still %lld appends behind after %d ms; reading from clients again",
                  static_cast<long long>(m_appendsInFlight), m_options.maxReadPauseMs);
        m_storeBehind = false;
        m_pauseSuppressed = true; // until the store has caught up to half
        Q_EMIT storeBehindChanged(false);
    });
    nsp->setAuthenticator([this](const QJsonObject &auth, const Realtime::Client *) -> std::optional<QJsonObject> {
        const QJsonObject unauthorized { { QStringLiteral("message"), QStringLiteral("unauthorized") } };
        const auto claims = m_tokens->verify(auth.value(QStringLiteral("token")).toString().toUtf8(),
                                             QDateTime::currentSecsSinceEpoch());
        if (!claims)
            return unauthorized;
        const auto user = m_store->findUser(claims->user);
        if (!m_store->isAvailable()) // not "unauthorized": that would log the user out
            return QJsonObject { { QStringLiteral("message"), QStringLiteral("unavailable") } };
        if (!user || user->disabled)
            return unauthorized;
        return std::nullopt;
    });
    connect(nsp, &Realtime::Namespace::connected, this, &ChatService::attach);
    // One table of handlers for the namespace, not one per connection (memory per socket).
    handle(QStringLiteral("room:create"), [this](Socket *, const QString &u, const QJsonObject &p) { return createRoom(u, p); });
    handle(QStringLiteral("room:join"), [this](Socket *, const QString &u, const QJsonObject &p) { return joinRoom(u, p); });
    handle(QStringLiteral("room:leave"), [this](Socket *, const QString &u, const QJsonObject &p) { return leaveRoom(u, p); });
    handle(QStringLiteral("room:list"), [this](Socket *, const QString &u, const QJsonObject &) { return listRooms(u); });
    handle(QStringLiteral("dm:open"), [this](Socket *, const QString &u, const QJsonObject &p) { return openDirect(u, p); });
    handle(QStringLiteral("history:fetch"), [this](Socket *, const QString &u, const QJsonObject &p) { return fetchHistory(u, p); });
    handle(QStringLiteral("receipt"), [this](Socket *, const QString &u, const QJsonObject &p) { return receipt(u, p); });
    // These work from what the node knows, so they go on while the store is unreachable.
    handle(QStringLiteral("typing"), [this](Socket *s, const QString &u, const QJsonObject &p) { return typing(s, u, p); },
           NeedsStore::No);
    handle(QStringLiteral("presence:set"), [this](Socket *, const QString &u, const QJsonObject &p) { return setPresence(u, p); },
           NeedsStore::No);
    handle(QStringLiteral("presence:get"), [this](Socket *, const QString &, const QJsonObject &p) { return getPresence(p); },
           NeedsStore::No);
    handleAsync(QStringLiteral("message:send"),
                [this](Socket *, const QString &u, const QJsonObject &p, const Ack &ack) { sendMessage(u, p, ack); });
    bus->setHandler([this](const Envelope &envelope) { deliver(envelope); });
}

qint64 ChatService::nowMs() const
{
    return QDateTime::currentMSecsSinceEpoch();
}

void ChatService::attach(Socket *socket)
{
    // The authenticator admitted this token a moment ago.
    const auto claims = m_tokens->verify(socket->auth().value(QStringLiteral("token")).toString().toUtf8(),
                                         QDateTime::currentSecsSinceEpoch());
    if (!claims) {
        socket->disconnect();
        return;
    }
    const QString user = claims->user;
    m_connections.insert(socket, { user, TokenBucket(m_options.eventsPerSecond, m_options.eventBurst), {} });
    ++m_connectionsByUser[user];
    socket->join(userChannel(user));
    for (const RoomRecord &room : m_store->roomsOf(user))
        joinChannel(socket, room.name);
    if (m_presence->attach(user, socket->id(), nowMs()))
        publishPresence(user);
    connect(socket, &Socket::disconnected, this, [this, socket] { detach(socket); });
}

void ChatService::detach(Socket *socket)
{
    const auto connection = m_connections.constFind(socket);
    if (connection == m_connections.cend())
        return;
    const QString user = connection->user;
    for (const QString &room : connection->rooms) {
        if (--m_roomSockets[room] <= 0) {
            m_roomSockets.remove(room);
            m_bus->unwatchRoom(room);
        }
    }
    m_connections.erase(connection);
    if (--m_connectionsByUser[user] <= 0)
        m_connectionsByUser.remove(user);
    if (m_presence->detach(user, socket->id(), nowMs()))
        publishPresence(user);
}

void ChatService::handle(const QString &event, Handler handler, NeedsStore needsStore)
{
    handleAsync(event, [this, needsStore, handler = std::move(handler)](Socket *s, const QString &user,
                                                                                const QJsonObject &payload, const Ack &ack) {
        answer(ack, handler(s, user, payload), needsStore);
    });
}

void ChatService::handleAsync(const QString &event, AsyncHandler handler)
{
    // Every event passes the connection's rate limit and must carry an object payload.
    m_namespace->on(event, [this, handler = std::move(handler)](Socket *socket, const QJsonArray &args,
                                                                 const QList<QByteArray> &, const Ack &ack) {
        auto connection = m_connections.find(socket);
        if (connection == m_connections.end())
            return;
        if (!connection->bucket.tryTake(m_clock.elapsed()))
            return answer(ack, Reply::fail(ErrorCode::RateLimited, QStringLiteral("slow down")));
        if (!args.at(0).isObject())
            return answer(ack, Reply::fail(ErrorCode::BadRequest, QStringLiteral("payload must be an object")));
        handler(socket, connection->user, args.at(0).toObject(), ack);
    });
}

void ChatService::answer(const Ack &ack, Reply reply, NeedsStore needsStore)
{
    // A store that failed while this request ran may have made "not found" or an empty
    // list out of "could not ask": only validation errors stand, the rest is retryable.
    const bool validationError = reply.error
        && (*reply.error == ErrorCode::BadRequest || *reply.error == ErrorCode::TooLarge
            || *reply.error == ErrorCode::RateLimited);
    if (needsStore == NeedsStore::Yes && !m_store->isAvailable() && !validationError)
        reply = Reply::fail(ErrorCode::Unavailable, QStringLiteral("the store is unreachable; retry"));
    QJsonObject body = reply.fields;
    body.insert(QStringLiteral("ok"), !reply.error.has_value());
    if (reply.error) {
        body.insert(QStringLiteral("error"), QJsonObject { { QStringLiteral("code"), errorCodeName(*reply.error) },
                                                           { QStringLiteral("message"), reply.message } });
    }
    ack.send({ body });
}

void ChatService::deliver(const Envelope &envelope)
{
    if (envelope.event.startsWith(QLatin1Char('$')))
        return applyControl(envelope);
    QStringList channels;
    channels.reserve(envelope.rooms.size());
    for (const QString &room : envelope.rooms)
        channels.append(roomChannel(room));
    const Socket *except = nullptr;
    if (!envelope.exceptSocketId.isEmpty()) {
        for (Socket *socket : m_namespace->socketsIn(QString::fromLatin1(envelope.exceptSocketId)))
            except = socket;
    }
    // No rooms means every connected user (Envelope): a publisher with no room to address
    // publishes nothing (publishPresence), so an empty list here is always meant.
    // Typing and presence are superseded by the next one: a client that is behind misses them first.
    const bool isVolatile = envelope.event == QLatin1String("typing") || envelope.event == QLatin1String("presence");
    const qsizetype delivered = m_namespace->broadcast({ channels, except, isVolatile }, envelope.event, { envelope.payload });
    if (m_metrics && envelope.event == QLatin1String("message")) {
        // From the store's timestamp to written out here: store, bus (Redis pub/sub in a
        // cluster), encoding and the writes. Wall clocks: nodes need NTP.
        const qint64 ageMs = QDateTime::currentMSecsSinceEpoch() - envelope.payload.value(QStringLiteral("ts")).toInteger();
        m_metrics->observe("confab_delivery_seconds", double(std::max<qint64>(0, ageMs)) / 1000.0);
        m_metrics->increment("confab_messages_delivered_total", {}, double(delivered));
    }
}

void ChatService::setMetrics(Ops::Metrics *metrics)
{
    m_metrics = metrics;
    const QList<double> seconds { 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5 };
    metrics->describeHistogram("confab_store_append_seconds", "From message:send to the store's answer (commit, or Redis append)", seconds);
    metrics->describeHistogram("confab_delivery_seconds", "From a message's store timestamp to its broadcast written on this node", seconds);
    metrics->describe("confab_messages_delivered_total", Ops::Metrics::Counter, "Message events written to recipients' connections");
    metrics->describe("confab_read_pauses_total", Ops::Metrics::Counter, "Times reading from clients paused while the store was behind");
    metrics->describe("confab_store_appends_in_flight", Ops::Metrics::Gauge, "Messages waiting for the store");
    metrics->addGaugeSource("confab_store_appends_in_flight", [this] {
        return QList<std::pair<QByteArray, double>> { { {}, double(m_appendsInFlight) } };
    });
}

std::optional<ChatService::Reply> ChatService::checkMember(const QString &user, const QString &room)
{
    if (!isValidRoomReference(room))
        return Reply::fail(ErrorCode::BadRequest, QStringLiteral("invalid room name"));
    // The user's sockets here joined the room's channel when they became a member:
    // that answers without a store round trip (and while the store is unreachable).
    for (Socket *socket : m_namespace->socketsIn(userChannel(user))) {
        const auto connection = m_connections.constFind(socket);
        if (connection != m_connections.cend() && connection->rooms.contains(room))
            return std::nullopt;
    }
    if (!m_store->isMember(room, user)) {
        if (!m_store->findRoom(room))
            return Reply::fail(ErrorCode::NotFound, QStringLiteral("no such room"));
        return Reply::fail(ErrorCode::Forbidden, QStringLiteral("not a member of this room"));
    }
    return std::nullopt;
}

QJsonObject ChatService::roomJson(const RoomRecord &room)
{
    QJsonArray members;
    for (const QString &member : m_store->members(room.name))
        members.append(QJsonObject { { QStringLiteral("user"), member },
                                     { QStringLiteral("status"), m_presence->state(member).status } });
    return { { QStringLiteral("name"), room.name }, { QStringLiteral("topic"), room.topic },
             { QStringLiteral("members"), members } };
}

void ChatService::joinChannel(Socket *socket, const QString &room)
{
    auto connection = m_connections.find(socket);
    if (connection == m_connections.end() || connection->rooms.contains(room))
        return;
    connection->rooms.insert(room);
    socket->join(roomChannel(room));
    if (++m_roomSockets[room] == 1)
        m_bus->watchRoom(room);
}

void ChatService::leaveChannel(Socket *socket, const QString &room)
{
    auto connection = m_connections.find(socket);
    if (connection == m_connections.end() || !connection->rooms.remove(room))
        return;
    socket->leave(roomChannel(room));
    if (--m_roomSockets[room] <= 0) {
        m_roomSockets.remove(room);
        m_bus->unwatchRoom(room);
    }
}

// The user's sockets here join at once (so the next event reaches them); those on
// other nodes join when the control envelope arrives there.
void ChatService::joinUserSockets(const QString &user, const QString &room)
{
    const QJsonObject change { { QStringLiteral("user"), user }, { QStringLiteral("room"), room } };
    applyControl({ {}, QStringLiteral("$join"), change, {} });
    m_bus->publish({ {}, QStringLiteral("$join"), change, {} });
}

void ChatService::leaveUserSockets(const QString &user, const QString &room)
{
    const QJsonObject change { { QStringLiteral("user"), user }, { QStringLiteral("room"), room } };
    applyControl({ {}, QStringLiteral("$leave"), change, {} });
    m_bus->publish({ {}, QStringLiteral("$leave"), change, {} });
}

void ChatService::applyControl(const Envelope &envelope)
{
    const QString user = envelope.payload.value(QStringLiteral("user")).toString();
    const QString room = envelope.payload.value(QStringLiteral("room")).toString();
    const bool join = envelope.event == QLatin1String("$join");
    for (Socket *socket : m_namespace->socketsIn(userChannel(user)))
        join ? joinChannel(socket, room) : leaveChannel(socket, room);
}

void ChatService::publishPresence(const QString &user)
{
    const QList<RoomRecord> rooms = m_store->roomsOf(user);
    if (!m_store->isAvailable()) {
        m_presencePending.insert(user); // announced when the store is back
        return;
    }
    QStringList names;
    for (const RoomRecord &room : rooms)
        names.append(room.name);
    if (names.isEmpty())
        return;
    m_bus->publish({ names, QStringLiteral("presence"), m_presence->state(user).toJson(user), {} });
}

void ChatService::announcePresence(const QStringList &users)
{
    for (const QString &user : users)
        publishPresence(user);
}

void ChatService::storeRecovered()
{
    const QSet<QString> pending = std::exchange(m_presencePending, {});
    for (const QString &user : pending)
        publishPresence(user);
}

ChatService::Reply ChatService::createRoom(const QString &user, const QJsonObject &payload)
{
    const QString name = stringField(payload, "room");
    const QJsonValue topicValue = payload.value(QStringLiteral("topic"));
    if (!isValidRoomName(name))
        return Reply::fail(ErrorCode::BadRequest, QStringLiteral("room must match ^[a-z0-9][a-z0-9_-]{0,63}$"));
    if (!topicValue.isUndefined() && !topicValue.isString())
        return Reply::fail(ErrorCode::BadRequest, QStringLiteral("topic must be a string"));
    if (topicValue.toString().size() > MaxTopicLength)
        return Reply::fail(ErrorCode::TooLarge, QStringLiteral("topic too long"));
    if (m_store->roomsOf(user).size() >= m_options.maxRoomsPerUser)
        return Reply::fail(ErrorCode::Forbidden, QStringLiteral("too many rooms"));
    const RoomRecord room { name, topicValue.toString(), false, 0 };
    if (!m_store->createRoom(room))
        return Reply::fail(ErrorCode::Conflict, QStringLiteral("room exists"));
    m_store->addMember(name, user);
    joinUserSockets(user, name);
    return Reply::ok({ { QStringLiteral("room"), roomJson(room) } });
}

ChatService::Reply ChatService::joinRoom(const QString &user, const QJsonObject &payload)
{
    const QString name = stringField(payload, "room");
    if (!isValidRoomReference(name))
        return Reply::fail(ErrorCode::BadRequest, QStringLiteral("invalid room name"));
    const auto room = m_store->findRoom(name);
    if (!room)
        return Reply::fail(ErrorCode::NotFound, QStringLiteral("no such room"));
    const bool member = m_store->isMember(name, user);
    if (room->isDirect && !member)
        return Reply::fail(ErrorCode::Forbidden, QStringLiteral("a direct-message room is private"));
    if (!member) {
        if (m_store->roomsOf(user).size() >= m_options.maxRoomsPerUser)
            return Reply::fail(ErrorCode::Forbidden, QStringLiteral("too many rooms"));
        if (m_store->memberCount(name) >= m_options.maxMembersPerRoom)
            return Reply::fail(ErrorCode::Forbidden, QStringLiteral("the room is full"));
        m_store->addMember(name, user);
        joinUserSockets(user, name);
        m_bus->publish({ { name }, QStringLiteral("member"),
                         { { QStringLiteral("room"), name }, { QStringLiteral("user"), user },
                           { QStringLiteral("action"), QStringLiteral("joined") } }, {} });
    } else {
        joinUserSockets(user, name);
    }
    return Reply::ok({ { QStringLiteral("room"), roomJson(*room) }, { QStringLiteral("lastSeq"), room->lastSeq } });
}

ChatService::Reply ChatService::leaveRoom(const QString &user, const QJsonObject &payload)
{
    const QString name = stringField(payload, "room");
    if (auto error = checkMember(user, name))
        return *error;
    if (isDirectRoomName(name))
        return Reply::fail(ErrorCode::Forbidden, QStringLiteral("a direct-message room cannot be left"));
    m_bus->publish({ { name }, QStringLiteral("member"),
                     { { QStringLiteral("room"), name }, { QStringLiteral("user"), user },
                       { QStringLiteral("action"), QStringLiteral("left") } }, {} });
    m_store->removeMember(name, user);
    leaveUserSockets(user, name);
    return Reply::ok();
}

ChatService::Reply ChatService::listRooms(const QString &user)
{
    QJsonArray rooms;
    for (const RoomRecord &room : m_store->roomsOf(user))
        rooms.append(QJsonObject { { QStringLiteral("name"), room.name }, { QStringLiteral("topic"), room.topic },
                                   { QStringLiteral("lastSeq"), room.lastSeq } });
    return Reply::ok({ { QStringLiteral("rooms"), rooms } });
}

ChatService::Reply ChatService::openDirect(const QString &user, const QJsonObject &payload)
{
    const QString other = stringField(payload, "user");
    if (!isValidUsername(other) || other == user)
        return Reply::fail(ErrorCode::BadRequest, QStringLiteral("user must be another valid username"));
    const auto otherRecord = m_store->findUser(other);
    if (!otherRecord || otherRecord->disabled)
        return Reply::fail(ErrorCode::NotFound, QStringLiteral("no such user"));
    const QString name = directRoomName(user, other);
    RoomRecord room { name, QString(), true, 0 };
    m_store->createRoom(room);
    for (const QString &member : { user, other }) {
        if (m_store->addMember(name, member))
            joinUserSockets(member, name);
    }
    if (auto existing = m_store->findRoom(name))
        room = *existing;
    return Reply::ok({ { QStringLiteral("room"), roomJson(room) } });
}

void ChatService::sendMessage(const QString &user, const QJsonObject &payload, const Ack &ack)
{
    const QString room = stringField(payload, "room");
    const QJsonValue clientId = payload.value(QStringLiteral("clientId"));
    const QJsonValue text = payload.value(QStringLiteral("text"));
    if (!clientId.isString() || clientId.toString().isEmpty() || clientId.toString().size() > MaxClientIdLength)
        return answer(ack, Reply::fail(ErrorCode::BadRequest, QStringLiteral("clientId must be a string of 1 to 128 characters")));
    if (!text.isString())
        return answer(ack, Reply::fail(ErrorCode::BadRequest, QStringLiteral("text must be a string")));
    if (!isValidText(text.toString())) {
        const bool tooLong = text.toString().size() > MaxTextLength;
        return answer(ack, Reply::fail(tooLong ? ErrorCode::TooLarge : ErrorCode::BadRequest,
                                       QStringLiteral("text must be 1 to 4000 characters of valid UTF-8")));
    }
    if (auto error = checkMember(user, room))
        return answer(ack, *error);
    MessageRecord draft;
    draft.room = room;
    draft.from = user;
    draft.clientId = clientId.toString();
    draft.text = text.toString();
    QElapsedTimer storeTime;
    storeTime.start();
    trackAppend(+1);
    m_store->append(draft, [this, ack, storeTime](const Store::AppendResult &result) {
        trackAppend(-1);
        if (m_metrics)
            m_metrics->observe("confab_store_append_seconds", double(storeTime.nsecsElapsed()) / 1e9);
        if (!result.message)
            return answer(ack, Reply::fail(ErrorCode::Unavailable, QStringLiteral("could not store the message; retry")));
        const MessageRecord &message = *result.message;
        if (!result.isDuplicate) {
            ++m_messagesAccepted;
            m_bus->publish({ { message.room }, QStringLiteral("message"), message.toJson(), {} });
        }
        answer(ack, Reply::ok({ { QStringLiteral("id"), QString::fromLatin1(message.id) },
                                { QStringLiteral("seq"), message.seq },
                                { QStringLiteral("ts"), message.ts } }));
    });
}

void ChatService::trackAppend(int delta)
{
    m_appendsInFlight += delta;
    const int high = m_options.pauseReadsAt;
    if (high <= 0)
        return;
    if (m_pauseSuppressed) {
        m_pauseSuppressed = m_appendsInFlight > high / 2;
        return;
    }
    const bool behind = m_storeBehind ? m_appendsInFlight > high / 2 : m_appendsInFlight >= high;
    if (behind == m_storeBehind)
        return;
    m_storeBehind = behind;
    if (behind) {
        if (m_metrics)
            m_metrics->increment("confab_read_pauses_total");
        m_pauseLimit->start(m_options.maxReadPauseMs);
    } else {
        m_pauseLimit->stop();
    }
    Q_EMIT storeBehindChanged(behind);
}

ChatService::Reply ChatService::fetchHistory(const QString &user, const QJsonObject &payload)
{
    const QString room = stringField(payload, "room");
    if (auto error = checkMember(user, room))
        return *error;
    bool hasAfter = false, hasBefore = false, hasLimit = false;
    const auto after = optionalSeq(payload, QStringLiteral("afterSeq"), &hasAfter);
    const auto before = optionalSeq(payload, QStringLiteral("beforeSeq"), &hasBefore);
    const auto limit = optionalSeq(payload, QStringLiteral("limit"), &hasLimit);
    if (!after || !before || !limit || (hasLimit && (*limit < 1 || *limit > MaxHistoryLimit)))
        return Reply::fail(ErrorCode::BadRequest, QStringLiteral("afterSeq, beforeSeq: integers >= 0; limit: 1 to 200"));
    QJsonArray messages;
    const auto history = m_store->history(room, hasAfter ? after : std::nullopt, hasBefore ? before : std::nullopt,
                                          hasLimit ? int(*limit) : 50);
    for (const MessageRecord &message : history)
        messages.append(message.toJson());
    return Reply::ok({ { QStringLiteral("messages"), messages } });
}

ChatService::Reply ChatService::receipt(const QString &user, const QJsonObject &payload)
{
    const QString room = stringField(payload, "room");
    const QString kind = stringField(payload, "kind");
    if (auto error = checkMember(user, room))
        return *error;
    bool present = false;
    const auto seq = optionalSeq(payload, QStringLiteral("seq"), &present);
    if (kind != QLatin1String("delivered") && kind != QLatin1String("read"))
        return Reply::fail(ErrorCode::BadRequest, QStringLiteral("kind must be delivered or read"));
    if (!seq || !present || *seq < 1)
        return Reply::fail(ErrorCode::BadRequest, QStringLiteral("seq must be an integer >= 1"));
    const auto record = m_store->findRoom(room);
    if (!record || *seq > record->lastSeq)
        return Reply::fail(ErrorCode::NotFound, QStringLiteral("no message with that seq"));
    m_store->setReceipt(room, user, kind, *seq);
    m_bus->publish({ { room }, QStringLiteral("receipt"),
                     { { QStringLiteral("room"), room }, { QStringLiteral("user"), user },
                       { QStringLiteral("seq"), *seq }, { QStringLiteral("kind"), kind } }, {} });
    return Reply::ok();
}

ChatService::Reply ChatService::typing(Socket *socket, const QString &user, const QJsonObject &payload)
{
    const QString room = stringField(payload, "room");
    const QJsonValue active = payload.value(QStringLiteral("active"));
    if (!active.isBool())
        return Reply::fail(ErrorCode::BadRequest, QStringLiteral("active must be a boolean"));
    if (auto error = checkMember(user, room))
        return *error;
    m_bus->publish({ { room }, QStringLiteral("typing"),
                     { { QStringLiteral("room"), room }, { QStringLiteral("user"), user },
                       { QStringLiteral("active"), active.toBool() } }, socket->id() });
    return Reply::ok();
}

ChatService::Reply ChatService::setPresence(const QString &user, const QJsonObject &payload)
{
    const QString status = stringField(payload, "status");
    if (status != QLatin1String("online") && status != QLatin1String("away") && status != QLatin1String("busy"))
        return Reply::fail(ErrorCode::BadRequest, QStringLiteral("status must be online, away or busy"));
    if (m_presence->state(user).status != status) {
        m_presence->setStatus(user, status);
        publishPresence(user);
    }
    return Reply::ok();
}

ChatService::Reply ChatService::getPresence(const QJsonObject &payload)
{
    const QJsonValue users = payload.value(QStringLiteral("users"));
    if (!users.isArray())
        return Reply::fail(ErrorCode::BadRequest, QStringLiteral("users must be an array"));
    if (users.toArray().size() > m_options.maxPresenceQuery)
        return Reply::fail(ErrorCode::TooLarge, QStringLiteral("at most 200 users per query"));
    QJsonObject presence;
    for (const QJsonValue &value : users.toArray()) {
        const QString user = value.toString();
        if (!isValidUsername(user))
            return Reply::fail(ErrorCode::BadRequest, QStringLiteral("invalid username"));
        const PresenceState state = m_presence->state(user);
        presence.insert(user, QJsonObject { { QStringLiteral("status"), state.status },
                                            { QStringLiteral("lastSeen"), state.lastSeen } });
    }
    return Reply::ok({ { QStringLiteral("presence"), presence } });
}

void ChatService::announce(const QString &text)
{
    m_bus->publish({ {}, QStringLiteral("announcement"),
                     { { QStringLiteral("text"), text }, { QStringLiteral("ts"), nowMs() } }, {} });
}

} // namespace Confab::Chat
