#include "chatsession.h"

#include "chat/events.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QTimer>
#include <QTimerEvent>

namespace Confab::Client {

namespace {

constexpr int RequestTimeoutMs = 10000;
constexpr int ReceiptDelayMs = 250; // the protocol's coalescing window for receipts
constexpr int MaxUploadCutOffs = 3; // a message's uploads cut off in a row before it fails

using namespace Confab::Chat;

QJsonObject unavailable()
{
    return errorAnswer({ ErrorCode::Unavailable, QStringLiteral("no answer from the server") });
}

} // namespace

ChatSession::ChatSession(QObject *parent)
    : QObject(parent)
    , m_connection(&m_client)
{
    m_client.setParent(this);
    m_connection.setParent(this);
    connect(&m_connection, &ReconnectController::statusChanged, this, [this](ReconnectController::Status status) {
        const bool online = status == ReconnectController::Status::Connected;
        Q_EMIT onlineChanged(online);
        if (online)
            resync();
        else
            m_synced = false;
    });
    connect(&m_credentials, &CredentialStore::tokenSaved, this, &ChatSession::loginRemembered);
    connect(&m_credentials, &CredentialStore::tokenRemoved, this, &ChatSession::loginForgotten);
    connect(&m_client, &SocketIoClient::eventReceived, this,
            [this](const QString &nsp, const QString &event, const QJsonArray &args) {
                if (nsp == QLatin1String("/"))
                    handleEvent(event, args.at(0).toObject());
            });
}

ChatSession::~ChatSession()
{
    for (auto it = m_readToSend.cbegin(); it != m_readToSend.cend(); ++it)
        m_store.setReadSeq(it.key(), it.value()); // what was read in the last quarter second
}

bool ChatSession::openLocalStore(const QString &path, QString *error)
{
    m_files.setCacheDir(QFileInfo(path).absoluteDir().filePath(QStringLiteral("files")));
    return m_store.open(path, error);
}

void ChatSession::setServerUrl(const QUrl &url)
{
    m_serverUrl = url;
    m_files.setServer(url, m_ssl);
    TransportOptions options;
    options.baseUrl = url;
    options.ssl = m_ssl;
    m_client.engine()->setTransportOptions(options);
}

bool ChatSession::setCaFile(const QString &caFile)
{
    const auto ssl = sslConfigurationWithCaFile(caFile);
    if (!ssl)
        return false;
    m_ssl = *ssl;
    setServerUrl(m_serverUrl);
    return true;
}

void ChatSession::setCredentials(const QString &user, const QString &token)
{
    m_user = user;
    m_token = token;
    m_files.setToken(token);
    m_connection.setAuth({ { QStringLiteral("token"), token } });
    Q_EMIT userChanged();
}

void ChatSession::restoreLogin(const QString &user)
{
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(&m_credentials, &CredentialStore::tokenLoaded, this,
                          [this, user, connection](const QString &token, const QString &error) {
                              disconnect(*connection);
                              if (token.isEmpty())
                                  return Q_EMIT loginNotRestored(error);
                              setCredentials(user, token);
                              Q_EMIT loginRestored(user);
                          });
    m_credentials.loadToken(m_serverUrl, user);
}

void ChatSession::forgetLogin()
{
    if (!m_user.isEmpty())
        m_credentials.removeToken(m_serverUrl, m_user);
}

void ChatSession::login(const QString &user, const QString &password)
{
    postAccount(QStringLiteral("/api/v1/login"), user, password);
}

void ChatSession::registerAccount(const QString &user, const QString &password)
{
    postAccount(QStringLiteral("/api/v1/register"), user, password);
}

void ChatSession::postAccount(const QString &path, const QString &user, const QString &password)
{
    QUrl url = m_serverUrl;
    url.setPath(path);
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    request.setTransferTimeout(RequestTimeoutMs);
    request.setSslConfiguration(m_ssl);
    const QJsonObject body { { QStringLiteral("username"), user }, { QStringLiteral("password"), password } };
    QNetworkReply *reply = m_network.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QJsonObject answer = QJsonDocument::fromJson(reply->readAll()).object();
        if (status != 200 && status != 201) {
            const QString message = answer.value(QStringLiteral("error")).toString(reply->errorString());
            return Q_EMIT authenticationFailed(status, message);
        }
        setCredentials(answer.value(QStringLiteral("user")).toString(),
                       answer.value(QStringLiteral("token")).toString());
        if (m_rememberLogin)
            m_credentials.saveToken(m_serverUrl, m_user, m_token);
        Q_EMIT loggedIn(m_user, m_token);
    });
}

void ChatSession::connectToServer()
{
    m_connection.start(QStringLiteral("/"), { { QStringLiteral("token"), m_token } });
}

void ChatSession::disconnectFromServer()
{
    m_connection.stop();
}

void ChatSession::request(const QString &event, const QJsonObject &payload, Reply reply)
{
    m_client.emitWithAck(
        QStringLiteral("/"), event, { payload },
        [reply = std::move(reply)](bool timedOut, const QJsonArray &args, const QList<QByteArray> &) {
            reply(timedOut ? unavailable() : args.at(0).toObject());
        },
        RequestTimeoutMs);
}

void ChatSession::createRoom(const CreateRoomRequest &request, Callback<RoomAnswer> done)
{
    call(Event::RoomCreate, request.toJson(), std::move(done));
}

void ChatSession::joinRoom(const QString &room, Callback<JoinRoomAnswer> done)
{
    call<JoinRoomAnswer>(Event::RoomJoin, RoomRequest { room }.toJson(),
                         [this, room, done = std::move(done)](const Result<JoinRoomAnswer> &answer) {
                             // The history fetched from now on is current: changes are caught up from here.
                             if (answer && m_store.lastRev(room) == 0)
                                 m_store.setLastRev(room, answer->lastRev);
                             done(answer);
                         });
}

void ChatSession::leaveRoom(const QString &room, Callback<Done> done)
{
    call(Event::RoomLeave, RoomRequest { room }.toJson(), std::move(done));
}

void ChatSession::listRooms(Callback<RoomListAnswer> done)
{
    call(Event::RoomList, ListRoomsRequest {}.toJson(), std::move(done));
}

void ChatSession::openDirect(const QString &user, Callback<RoomAnswer> done)
{
    call(Event::DirectOpen, OpenDirectRequest { user }.toJson(), std::move(done));
}

void ChatSession::fetchHistory(const HistoryRequest &request, Callback<HistoryAnswer> done)
{
    call(Event::HistoryFetch, request.toJson(), std::move(done));
}

void ChatSession::search(const SearchRequest &request, Callback<HistoryAnswer> done)
{
    call(Event::Search, request.toJson(), std::move(done));
}

void ChatSession::fetchPresence(const QStringList &users, Callback<PresenceAnswer> done)
{
    call(Event::PresenceGet, GetPresenceRequest { users }.toJson(), std::move(done));
}

std::optional<OutboxEntry> ChatSession::sendMessage(const QString &room, const QString &text, QString *error,
                                                    const QByteArray &replyTo,
                                                    const QList<OutboxAttachment> &attachments)
{
    const std::optional<OutboxEntry> entry = m_store.enqueue(room, text, error, replyTo, attachments);
    if (!entry)
        return entry;
    Q_EMIT messageQueued(*entry);
    Q_EMIT pendingCountChanged(pendingCount());
    if (m_synced)
        flushOutbox();
    return entry;
}

void ChatSession::retryMessage(const QString &clientId)
{
    m_store.clearFailed(clientId);
    Q_EMIT messageRetried(clientId);
    Q_EMIT pendingCountChanged(pendingCount());
    if (m_synced)
        flushOutbox();
}

void ChatSession::discardMessage(const QString &clientId)
{
    if (m_upload && m_uploadFor == clientId) {
        m_upload->disconnect(this);
        m_upload->cancel();
        m_flushing = false;
    }
    m_store.removeFromOutbox(clientId);
    Q_EMIT messageDiscarded(clientId);
    Q_EMIT pendingCountChanged(pendingCount());
    if (m_synced)
        flushOutbox(); // what waited behind an upload that was cancelled
}

void ChatSession::setTyping(const QString &room, bool active)
{
    if (isOnline())
        m_client.emitEvent(QStringLiteral("/"), Event::Typing, { TypingRequest { room, active }.toJson() });
}

void ChatSession::setPresence(const QString &status)
{
    const bool changed = m_presence != status;
    m_presence = status;
    if (changed)
        Q_EMIT presenceChanged(status);
    if (isOnline())
        m_client.emitEvent(QStringLiteral("/"), Event::PresenceSet, { SetPresenceRequest { status }.toJson() });
}

void ChatSession::markRead(const QString &room, qint64 seq)
{
    if (seq <= std::max(m_readSent.value(room), m_readToSend.value(room)))
        return;
    m_readToSend.insert(room, seq); // kept locally and sent with the next receipts
    scheduleReceipts();
}

void ChatSession::queueDeliveredReceipt(const QString &room, qint64 seq)
{
    qint64 &highest = m_deliveredToSend[room];
    highest = std::max(highest, seq);
    scheduleReceipts();
}

// Receipts go out coalesced, at most one per room and kind every ReceiptDelayMs, each
// carrying the newest seq: a busy room read live costs the server one receipt per user
// every quarter second, not one per message, and "read" makes "delivered" unnecessary.
void ChatSession::scheduleReceipts()
{
    if (!m_receiptTimer.isActive())
        m_receiptTimer.start(ReceiptDelayMs, this);
}

void ChatSession::sendReceipts()
{
    auto send = [this](const QString &room, qint64 seq, ReceiptKind kind) {
        m_client.emitEvent(QStringLiteral("/"), Event::Receipt, { ReceiptRequest { room, seq, kind }.toJson() });
    };
    for (auto it = m_readToSend.cbegin(); it != m_readToSend.cend(); ++it)
        m_store.setReadSeq(it.key(), it.value()); // keeps the higher of the two
    if (isOnline()) {
        for (auto it = m_readToSend.cbegin(); it != m_readToSend.cend(); ++it) {
            send(it.key(), it.value(), ReceiptKind::Read);
            m_readSent.insert(it.key(), it.value());
        }
        for (auto it = m_deliveredToSend.cbegin(); it != m_deliveredToSend.cend(); ++it) {
            if (it.value() > m_readSent.value(it.key()))
                send(it.key(), it.value(), ReceiptKind::Delivered);
        }
    }
    // Offline they are stale: the view reports what is read again once connected.
    m_readToSend.clear();
    m_deliveredToSend.clear();
}

void ChatSession::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_receiptTimer.timerId())
        return QObject::timerEvent(event);
    m_receiptTimer.stop();
    sendReceipts();
}

void ChatSession::emitTyped(const QString &event, const QJsonObject &payload)
{
    if (event == Event::Receipt) {
        const ReceiptEvent receipt = ReceiptEvent::fromJson(payload);
        if (receipt.user != m_user)
            m_store.noteReceipt(receipt.room, receipt.seq, receipt.kind == ReceiptKind::Read);
        Q_EMIT receiptReceived(receipt);
    } else if (event == Event::Member) {
        const MemberEvent member = MemberEvent::fromJson(payload);
        if (member.user == m_user)
            m_store.rememberRoom(member.room);
        Q_EMIT memberChanged(member);
    } else if (event == Event::Presence) {
        Q_EMIT presenceReceived(PresenceEvent::fromJson(payload));
    } else if (event == Event::Typing) {
        Q_EMIT typingReceived(TypingEvent::fromJson(payload));
    } else if (event == Event::Announcement) {
        Q_EMIT announcementReceived(Announcement::fromJson(payload));
    } else if (event == Event::MessageUpdate) {
        handleUpdate(payload);
    } else if (event == Event::Read) {
        handleRead(ReadEvent::fromJson(payload));
    } else if (event == Event::Room) {
        Q_EMIT roomChanged(Room::fromJson(payload));
    }
    Q_EMIT eventReceived(event, payload);
}

void ChatSession::handleEvent(const QString &event, const QJsonObject &payload)
{
    if (event != Event::Message)
        return emitTyped(event, payload);
    const QString room = payload.value(QStringLiteral("room")).toString();
    const qint64 seq = payload.value(QStringLiteral("seq")).toInteger();
    const qint64 last = m_store.lastSeq(room);
    auto deliver = [this, payload, room, seq] {
        if (!m_store.storeMessage(payload))
            return;
        noteRev(room, payload.value(QStringLiteral("rev")).toInteger()); // a new message takes a rev too
        Q_EMIT messageReceived(payload);
        if (payload.value(QStringLiteral("from")).toString() != m_user)
            queueDeliveredReceipt(room, seq);
    };
    m_store.rememberRoom(room);
    if (!m_synced || seq <= last + 1)
        deliver();
    else if (last == 0 || seq - last > MaxCatchUp)
        fetchLatest(room, seq, deliver); // first sight of the room, or a long gap: its newest page
    else
        fetchAfter(room, last, seq, deliver); // a gap: fill it first, so the room stays in order
}

void ChatSession::resync()
{
    listRooms([this](const Result<RoomListAnswer> &answer) {
        const QList<RoomSummary> rooms = answer ? answer->rooms : QList<RoomSummary>();
        auto remaining = std::make_shared<int>(int(rooms.size()) + 1);
        auto finished = [this, remaining] {
            if (--*remaining > 0)
                return;
            m_synced = true;
            if (m_presence != QLatin1String("online"))
                setPresence(m_presence);
            Q_EMIT synced();
            flushOutbox();
        };
        QList<RoomSummary> counted; // the rooms whose counts the server has right
        for (const RoomSummary &room : rooms) {
            m_store.rememberRoom(room.name);
            const qint64 readHere = readSeq(room.name);
            m_store.setReadSeq(room.name, room.readSeq); // forward only
            if (room.readSeq < readHere) {
                // Read further here than the server heard (the receipt was cut off): its
                // counts include what was read. Say it again; the read event brings them right.
                m_readSent.remove(room.name);
                markRead(room.name, readHere);
                continue;
            }
            m_store.setRoomCounts(room.name, { room.unread, room.mentions });
            counted.append(room);
        }
        Q_EMIT roomsListed(counted);
        for (const RoomSummary &room : rooms)
            catchUpRoom(room, finished);
        finished();
    });
}

void ChatSession::flushOutbox()
{
    if (m_flushing || !isOnline())
        return;
    // One at a time, oldest first: messages and changes keep the order they were written in.
    for (const OutboxEntry &entry : m_store.outbox()) {
        if (entry.failed)
            continue;
        m_flushing = true;
        if (entry.kind == OutboxKind::Send)
            sendQueuedMessage(entry);
        else
            sendChange(entry);
        return;
    }
}

void ChatSession::sendQueuedMessage(const OutboxEntry &entry)
{
    // Its files first, one at a time; each id is kept in the outbox as it comes.
    for (int i = 0; i < entry.attachments.size(); ++i) {
        if (!entry.attachments.at(i).isUploaded())
            return uploadAttachment(entry, i);
    }
    SendMessageRequest send { entry.room, entry.clientId, entry.text, entry.replyTo };
    for (const OutboxAttachment &attachment : entry.attachments)
        send.attachments.append({ attachment.file, attachment.thumbnailFile, attachment.width, attachment.height });
    request(Event::MessageSend, send.toJson(), [this, entry](const QJsonObject &answer) {
        m_flushing = false;
        const std::optional<Error> error = answerError(answer);
        if (!error) {
            m_store.removeFromOutbox(entry.clientId);
            // Whoever writes in a room has read it up to there: no "New messages" above one's own.
            m_store.setReadSeq(entry.room, SendMessageAnswer::fromJson(answer).seq);
            Q_EMIT messageSent(entry.clientId, answer);
            Q_EMIT pendingCountChanged(pendingCount());
            return flushOutbox();
        }
        if (error->isPermanent()) // retrying cannot fix it: the message is shown as failed
            return failQueuedMessage(entry.clientId, *error);
        retryOutboxLater();
    });
}

// An attachment's thumbnail goes first (it is small), then the file, which reports its
// progress. What the conversation shows of an image is kept in the download cache under
// its id as it is answered: the sender's own message shows it without fetching it back.
void ChatSession::uploadAttachment(const OutboxEntry &entry, int index)
{
    const OutboxAttachment &attachment = entry.attachments.at(index);
    const bool thumbnail = attachment.needsThumbnailUpload();
    const QString path = thumbnail ? attachment.thumbnailPath : attachment.path;
    // An image small enough to have no thumbnail is shown itself.
    const bool shown = thumbnail || (attachment.width > 0 && attachment.thumbnailPath.isEmpty());
    m_uploadFor = entry.clientId;
    FileUpload *upload = m_files.upload(path);
    m_upload = upload;
    if (!thumbnail) {
        connect(m_upload, &FileUpload::progress, this,
                [this, clientId = entry.clientId, index](qint64 sent, qint64 total) {
                    Q_EMIT uploadProgress(clientId, index, sent, total);
                });
    }
    connect(m_upload, &FileUpload::finished, this,
            [this, upload, clientId = entry.clientId, index, thumbnail, shown,
             path](const Result<UploadedFile> &uploaded) {
                m_flushing = false;
                if (uploaded && shown)
                    m_files.addToCache(uploaded->id, path);
                if (uploaded
                    && m_store.setOutboxAttachmentFile(clientId, index, thumbnail ? QByteArray() : uploaded->id,
                                                       thumbnail ? uploaded->id : QByteArray()))
                    return flushOutbox();
                if (uploaded)
                    m_uploadCutOffs.remove(clientId);
                if (!uploaded && uploaded.error().isPermanent())
                    return failQueuedMessage(clientId, uploaded.error());
                // A server cuts off a body far over its limit before its "too large" can be
                // read: retried forever, that would never end.
                if (!uploaded && upload->wasCutOff() && ++m_uploadCutOffs[clientId] >= MaxUploadCutOffs) {
                    m_uploadCutOffs.remove(clientId);
                    return failQueuedMessage(clientId,
                                             Error {
                                                 ErrorCode::TooLarge,
                                                 tr("the server cut off the upload of %1 each time; the file may be "
                                                    "larger than it takes")
                                                     .arg(QFileInfo(path).fileName()) });
                }
                retryOutboxLater(); // the server or the network, or the outbox could not be written
            });
}

void ChatSession::failQueuedMessage(const QString &clientId, const Error &error)
{
    const QString code = errorCodeName(error.code);
    m_store.markFailed(clientId, code, error.message);
    Q_EMIT messageFailed(clientId, code, error.message);
    Q_EMIT pendingCountChanged(pendingCount());
    flushOutbox();
}

// Transient (rate_limited, unavailable, a timeout): try again shortly, the same entry.
void ChatSession::retryOutboxLater()
{
    QTimer::singleShot(1000, this, &ChatSession::flushOutbox);
}

} // namespace Confab::Client
