#include "chat/chatservice.h"

#include "ops/logging.h"
#include "ops/metrics.h"

#include "chat/channels.h"
#include "chat/events.h"
#include "realtime/namespace.h"
#include "realtime/socket.h"

#include <QDateTime>
#include <QJsonArray>

namespace Confab::Chat {

using Realtime::Ack;
using Realtime::Socket;

namespace {

QString tokenOf(const Socket *socket)
{
    return socket->auth().value(QStringLiteral("token")).toString();
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
        const QJsonObject unauthorized { { QStringLiteral("message"), errorCodeName(ErrorCode::Unauthorized) } };
        const auto claims = m_tokens->verify(auth.value(QStringLiteral("token")).toString().toUtf8(),
                                             QDateTime::currentSecsSinceEpoch());
        if (!claims)
            return unauthorized;
        const auto user = m_store->findUser(claims->user);
        if (!m_store->isAvailable()) // not "unauthorized": that would log the user out
            return QJsonObject { { QStringLiteral("message"), errorCodeName(ErrorCode::Unavailable) } };
        if (!user || user->disabled)
            return unauthorized;
        return std::nullopt;
    });
    connect(nsp, &Realtime::Namespace::connected, this, &ChatService::attach);
    registerHandlers();
    bus->setHandler([this](const Envelope &envelope) { deliver(envelope); });
}

template<typename Request> void ChatService::handleAsync(const QString &event, AsyncHandler<Request> handler)
{
    m_namespace->on(event,
                    [this, handler](Socket *socket, const QJsonArray &args, const QList<QByteArray> &, const Ack &ack) {
                        const Connection *connection = admit(socket, args, ack);
                        if (!connection)
                            return;
                        const Result<Request> request = Request::fromJson(args.at(0).toObject());
                        if (!request)
                            return answer(ack, request.error());
                        (this->*handler)({ socket, connection->user }, request.value(), ack);
                    });
}

template<typename Request>
void ChatService::handle(const QString &event, Handler<Request> handler, NeedsStore needsStore)
{
    // One handler per event for the namespace, not one per connection (memory per socket).
    m_namespace->on(event,
                    [this, handler, needsStore](Socket *socket, const QJsonArray &args, const QList<QByteArray> &,
                                                const Ack &ack) {
                        const Connection *connection = admit(socket, args, ack);
                        if (!connection)
                            return;
                        const Result<Request> request = Request::fromJson(args.at(0).toObject());
                        if (!request)
                            return answer(ack, request.error());
                        answer(ack, (this->*handler)({ socket, connection->user }, request.value()), needsStore);
                    });
}

void ChatService::registerHandlers()
{
    handle(Event::RoomCreate, &ChatService::createRoom);
    handle(Event::RoomJoin, &ChatService::joinRoom);
    handle(Event::RoomLeave, &ChatService::leaveRoom);
    handle(Event::RoomList, &ChatService::listRooms);
    handle(Event::DirectOpen, &ChatService::openDirect);
    handle(Event::HistoryFetch, &ChatService::fetchHistory);
    handle(Event::Receipt, &ChatService::receipt);
    // These work from what the node knows, so they go on while the store is unreachable.
    handle(Event::Typing, &ChatService::typing, NeedsStore::No);
    handle(Event::PresenceSet, &ChatService::setPresence, NeedsStore::No);
    handle(Event::PresenceGet, &ChatService::getPresence, NeedsStore::No);
    handleAsync(Event::MessageSend, &ChatService::sendMessage);
    handleAsync(Event::MessageEdit, &ChatService::editMessage);
    handleAsync(Event::MessageDelete, &ChatService::deleteMessage);
    handleAsync(Event::ReactionSet, &ChatService::setReaction);
    handle(Event::UpdatesFetch, &ChatService::fetchUpdates);
    handle(Event::RoomReads, &ChatService::fetchReads);
    handle(Event::Search, &ChatService::search);
    handle(Event::RoomUpdate, &ChatService::updateRoom);
    handle(Event::RoomInvite, &ChatService::inviteMember);
    handle(Event::RoomKick, &ChatService::kickMember);
    handle(Event::RoomBan, &ChatService::banUser);
    handle(Event::RoomRole, &ChatService::setMemberRole);
    handle(Event::RoomDirectory, &ChatService::listDirectory);
}

const ChatService::Connection *ChatService::admit(Socket *socket, const QJsonArray &args, const Ack &ack)
{
    auto connection = m_connections.find(socket);
    if (connection == m_connections.end())
        return nullptr;
    if (!connection->bucket.tryTake(m_clock.elapsed())) {
        answer(ack, Error { ErrorCode::RateLimited, QStringLiteral("slow down") });
        return nullptr;
    }
    if (!args.at(0).isObject()) {
        answer(ack, Error { ErrorCode::BadRequest, QStringLiteral("payload must be an object") });
        return nullptr;
    }
    return &*connection;
}

void ChatService::attach(Socket *socket)
{
    // The authenticator admitted this token a moment ago.
    const auto claims = m_tokens->verify(tokenOf(socket).toUtf8(), QDateTime::currentSecsSinceEpoch());
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
    for (const QString &room : connection->rooms)
        releaseRoomSocket(room);
    m_connections.erase(connection);
    if (--m_connectionsByUser[user] <= 0)
        m_connectionsByUser.remove(user);
    if (m_presence->detach(user, socket->id(), nowMs()))
        publishPresence(user);
}

void ChatService::answer(const Ack &ack, const Reply &reply, NeedsStore needsStore)
{
    // A store that failed while this request ran may have made "not found" or an empty
    // list out of "could not ask": only validation errors stand, the rest is retryable.
    const bool validationError = !reply
        && (reply.error().code == ErrorCode::BadRequest || reply.error().code == ErrorCode::TooLarge
            || reply.error().code == ErrorCode::RateLimited);
    if (needsStore == NeedsStore::Yes && !m_store->isAvailable() && !validationError)
        return ack.send({ errorAnswer({ ErrorCode::Unavailable, QStringLiteral("the store is unreachable; retry") }) });
    ack.send({ reply ? okAnswer(reply.value()) : errorAnswer(reply.error()) });
}

void ChatService::deliver(const Envelope &envelope)
{
    if (envelope.event == QLatin1String("$read"))
        return deliverRead(envelope);
    if (envelope.event.startsWith(QLatin1Char('$')))
        return applyControl(envelope);
    QStringList channels;
    channels.reserve(envelope.rooms.size() + envelope.users.size());
    for (const QString &room : envelope.rooms)
        channels.append(roomChannel(room));
    for (const QString &user : envelope.users)
        channels.append(userChannel(user));
    const Socket *except = nullptr;
    if (!envelope.exceptSocketId.isEmpty()) {
        for (Socket *socket : m_namespace->socketsIn(QString::fromLatin1(envelope.exceptSocketId)))
            except = socket;
    }
    // No rooms means every connected user (Envelope): a publisher with no room to address
    // publishes nothing (publishPresence), so an empty list here is always meant.
    // Typing and presence are superseded by the next one: a client that is behind misses them first.
    const bool isVolatile = envelope.event == Event::Typing || envelope.event == Event::Presence;
    const qsizetype delivered
        = m_namespace->broadcast({ channels, except, isVolatile }, envelope.event, { envelope.payload });
    if (envelope.event == Event::Message && envelope.rooms.size() == 1)
        m_readOrder.messageDelivered(envelope.rooms.first(), envelope.payload.value(QStringLiteral("seq")).toInteger());
    if (m_metrics && envelope.event == Event::Message)
        observeDelivery(envelope, delivered);
}

void ChatService::observeDelivery(const Envelope &envelope, qsizetype delivered)
{
    // From the store's timestamp to written out here: store, bus (Redis pub/sub in a
    // cluster), encoding and the writes. Wall clocks: nodes need NTP.
    const qint64 ageMs = QDateTime::currentMSecsSinceEpoch() - envelope.payload.value(QStringLiteral("ts")).toInteger();
    m_metrics->observe("confab_delivery_seconds", double(std::max<qint64>(0, ageMs)) / 1000.0);
    m_metrics->increment("confab_messages_delivered_total", {}, double(delivered));
}

void ChatService::setMetrics(Ops::Metrics *metrics)
{
    m_metrics = metrics;
    const QList<double> seconds { 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5 };
    metrics->describeHistogram("confab_store_append_seconds",
                               "From message:send to the store's answer (commit, or Redis append)", seconds);
    metrics->describeHistogram("confab_delivery_seconds",
                               "From a message's store timestamp to its broadcast written on this node", seconds);
    metrics->describe("confab_messages_delivered_total", Ops::Metrics::Counter,
                      "Message events written to recipients' connections");
    metrics->describe("confab_read_pauses_total", Ops::Metrics::Counter,
                      "Times reading from clients paused while the store was behind");
    metrics->describe("confab_store_appends_in_flight", Ops::Metrics::Gauge, "Messages waiting for the store");
    metrics->addGaugeSource("confab_store_appends_in_flight", [this] {
        return QList<std::pair<QByteArray, double>> { { {}, double(m_appendsInFlight) } };
    });
    metrics->describe("confab_receipts_coalesced_total", Ops::Metrics::Counter,
                      "Receipts not broadcast on their own: a newer one of the same room, user and kind went instead");
    metrics->addGaugeSource("confab_receipts_coalesced_total", [this] {
        return QList<std::pair<QByteArray, double>> { { {}, double(m_receipts.coalescedCount()) } };
    });
    metrics->describe("confab_messages_accepted_total", Ops::Metrics::Counter, "Messages stored and acknowledged");
    metrics->addGaugeSource("confab_messages_accepted_total", [this] {
        return QList<std::pair<QByteArray, double>> { { {}, double(m_messagesAccepted) } };
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

qint64 ChatService::nowMs() const
{
    return QDateTime::currentMSecsSinceEpoch();
}

void ChatService::announce(const QString &text)
{
    m_bus->publish({ {}, Event::Announcement, Announcement { text, nowMs() }.toJson(), {} });
}

} // namespace Confab::Chat
