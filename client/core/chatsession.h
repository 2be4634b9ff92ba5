// A chat client session on the client library: accounts over HTTP, the connection
// (kept up by ReconnectController), the outbox that never loses what the user wrote,
// the local cache, and resync after every reconnect (history:fetch afterSeq per room,
// dedupe by id, gaps filled; updates:fetch afterRev for the changes). History paging and
// catching up: chatsessionhistory.cpp; edits, deletes, reactions, updates and read
// state (protocol v2): chatsessionchanges.cpp.
#pragma once

#include "credentialstore.h"
#include "filetransfers.h"
#include "localstore.h"
#include "reconnectcontroller.h"
#include "socketioclient.h"

#include "chat/requests.h"
#include "chat/roomrequests.h"

#include <QBasicTimer>
#include <QHash>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QUrl>

#include <functional>

namespace Confab::Client {

class ChatSession : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QString user READ user NOTIFY userChanged)
    Q_PROPERTY(bool isOnline READ isOnline NOTIFY onlineChanged)
    Q_PROPERTY(QString presence READ presence WRITE setPresence NOTIFY presenceChanged)
public:
    using Reply = std::function<void(const QJsonObject &answer)>;
    // A page of a room's history, ascending seq; `complete` is false when the server could
    // not be asked (offline) and the cache had only part of the page.
    using PageReply = std::function<void(const QList<QJsonObject> &messages, bool complete)>;
    static constexpr int HistoryPageSize = 100;
    // After a longer absence a room catches up with its newest page only; the view loads
    // older pages when the user scrolls back.
    static constexpr qint64 MaxCatchUp = 1000;
    static constexpr int UpdatesPageSize = 200; // the server's largest updates:fetch page

    explicit ChatSession(QObject *parent = nullptr);
    ~ChatSession() override;

    bool openLocalStore(const QString &path, QString *error);
    LocalStore *localStore() { return &m_store; }
    void setServerUrl(const QUrl &url);
    // Extra trusted CAs for https/wss (PEM file); false when it cannot be read.
    bool setCaFile(const QString &caFile);
    QUrl serverUrl() const { return m_serverUrl; }
    SocketIoClient *client() { return &m_client; }
    // Uploads and downloads with this session's server and token; downloads are cached
    // beside the local store (<its folder>/files).
    FileTransfers *files() { return &m_files; }
    ReconnectController *connection() { return &m_connection; }

    QString user() const { return m_user; }
    QString token() const { return m_token; }
    bool isOnline() const { return m_connection.status() == ReconnectController::Status::Connected; }

    // POST /api/v1/login (or register); emits loggedIn or authenticationFailed.
    void login(const QString &user, const QString &password);
    void registerAccount(const QString &user, const QString &password);
    void setCredentials(const QString &user, const QString &token);
    // "Remember me": after a login the token goes to the OS keychain.
    void setRememberLogin(bool remember) { m_rememberLogin = remember; }
    // Reads the user's token from the keychain (asynchronously): loginRestored or loginNotRestored.
    void restoreLogin(const QString &user);
    void forgetLogin();

    void connectToServer();
    void disconnectFromServer();

    // Writes the message to the outbox at once and sends it when connected. Nothing when
    // the outbox could not be written (a full disk): error says why, and the caller keeps
    // the text.
    // replyTo: the id of a message in the same room this one answers.
    // attachments: local files, uploaded (uploadProgress) before the message is sent, in
    // the outbox's order; a file the server refuses (too large, over quota) fails the message.
    std::optional<OutboxEntry> sendMessage(const QString &room, const QString &text, QString *error = nullptr,
                                           const QByteArray &replyTo = {},
                                           const QList<OutboxAttachment> &attachments = {});
    // Changes to sent messages go through the outbox too: written first, applied once and
    // in order when connected. A refusal retrying cannot fix drops the change (changeRefused).
    std::optional<OutboxEntry> editMessage(const QString &room, const QByteArray &id, const QString &text,
                                           QString *error = nullptr);
    std::optional<OutboxEntry> deleteMessage(const QString &room, const QByteArray &id, QString *error = nullptr);
    std::optional<OutboxEntry> setReaction(const QString &room, const QByteArray &id, const QString &emoji, bool on,
                                           QString *error = nullptr);
    // A failed message: send it again (same clientId), or drop it from the outbox (an
    // upload in flight for it is cancelled).
    void retryMessage(const QString &clientId);
    void discardMessage(const QString &clientId);
    // Messages and changes written but not yet acked (failed ones excluded).
    int pendingCount() const { return m_store.pendingCount(); }

    // Fire-and-forget signals for the others: dropped while offline, as they are stale after.
    void setTyping(const QString &room, bool active);
    // online, away or busy; sent now and again after every reconnect.
    void setPresence(const QString &status);
    QString presence() const { return m_presence; }
    // The user has seen the room up to seq: kept locally, and a "read" receipt (once per seq).
    void markRead(const QString &room, qint64 seq);
    // How far the user has read in the room (0 when unknown).
    qint64 readSeq(const QString &room) const { return std::max(m_store.readSeq(room), m_readToSend.value(room)); }
    // Unread messages and mentions in the room as the server last counted them (room:list,
    // or a `read` from any of the user's devices).
    RoomCounts roomCounts(const QString &room) const { return m_store.roomCounts(room); }

    // History pages for a view on the room: from the cache when it holds the whole page
    // (seqs have no gaps, so consecutive seqs mean nothing is missing), otherwise from the
    // server, stored in the cache on the way. The reply may come at once (a cache hit).
    // fetchOlder with beforeSeq 0 asks for the newest page.
    void fetchOlder(const QString &room, qint64 beforeSeq, int limit, PageReply reply);
    void fetchNewer(const QString &room, qint64 afterSeq, int limit, PageReply reply);

    // The protocol's requests, typed: each calls back once with the answer or the error
    // (unavailable when offline or on timeout).
    template<typename Answer> using Callback = std::function<void(const Chat::Result<Answer> &result)>;
    void createRoom(const Chat::CreateRoomRequest &request, Callback<Chat::RoomAnswer> done);
    void joinRoom(const QString &room, Callback<Chat::JoinRoomAnswer> done);
    void leaveRoom(const QString &room, Callback<Chat::Done> done);
    void listRooms(Callback<Chat::RoomListAnswer> done);
    void openDirect(const QString &user, Callback<Chat::RoomAnswer> done);
    void fetchHistory(const Chat::HistoryRequest &request, Callback<Chat::HistoryAnswer> done);
    // The server's full-text search (the embedded store; a cluster answers unavailable).
    void search(const Chat::SearchRequest &request, Callback<Chat::HistoryAnswer> done);
    // What searchMessages found. serverAnswered false: offline, or a server without a
    // full-text index (a cluster): the cache's results alone.
    struct SearchResults
    {
        QList<Chat::Message> messages {};
        bool serverAnswered = false;
    };
    // Searches this device's cache at once and the server where it answers, and merges
    // them (each message once, at its latest rev), newest first, at most the limit.
    void searchMessages(const Chat::SearchRequest &request, std::function<void(const SearchResults &)> done);
    void fetchPresence(const QStringList &users, Callback<Chat::PresenceAnswer> done);
    // Running a room (chatsessionrooms.cpp): topic, invites, kicks, bans, roles; the
    // public directory.
    void updateRoom(const Chat::UpdateRoomRequest &request, Callback<Chat::RoomAnswer> done);
    void inviteMember(const QString &room, const QString &user, Callback<Chat::Done> done);
    void kickMember(const QString &room, const QString &user, Callback<Chat::Done> done);
    void banUser(const Chat::BanRequest &request, Callback<Chat::Done> done);
    void setMemberRole(const Chat::RoleRequest &request, Callback<Chat::Done> done);
    void fetchDirectory(const Chat::DirectoryRequest &request, Callback<Chat::DirectoryAnswer> done);
    // The room's messages changed (or created) after afterRev, ascending rev; at most limit.
    void fetchUpdates(const QString &room, qint64 afterRev, Callback<Chat::UpdatesAnswer> done,
                      int limit = UpdatesPageSize);
    // Members' read positions in the room.
    void fetchReads(const QString &room, Callback<Chat::ReadsAnswer> done);
    // Asks for the room's read positions and applies the others' as read receipts (stored,
    // and receiptReceived for each): own messages read while this device was away show as
    // read. Nothing when offline; the next open or resync asks again.
    void refreshReadPositions(const QString &room);

    // Any protocol event with an ack, untyped (tools and tests); the answer is
    // {"ok":false,"error":{"code":"unavailable"}} when offline or on timeout.
    void request(const QString &event, const QJsonObject &payload, Reply reply);

Q_SIGNALS:
    void userChanged();
    void onlineChanged(bool online);
    // Our own status changed (the user, or away after idle).
    void presenceChanged(const QString &status);
    void loggedIn(const QString &user, const QString &token);
    void authenticationFailed(int httpStatus, const QString &message);
    void loginRestored(const QString &user);
    void loginNotRestored(const QString &error);
    void loginRemembered(bool ok, const QString &error);
    void loginForgotten(bool ok, const QString &error);
    void synced();
    void messageReceived(const QJsonObject &message);
    // A page of older history reached the cache (not news: no unread count, no notification).
    void historyStored(const QString &room, const QJsonObject &newest);
    void messageQueued(const Confab::Client::OutboxEntry &entry);
    void messageSent(const QString &clientId, const QJsonObject &ack);
    void messageFailed(const QString &clientId, const QString &code, const QString &message);
    void messageRetried(const QString &clientId);
    void messageDiscarded(const QString &clientId);
    void pendingCountChanged(int pending);
    // A queued message's attachment at `index` is uploading.
    void uploadProgress(const QString &clientId, int index, qint64 sent, qint64 total);
    // Edits, deletes and reactions through the outbox: written, acked (editedAt is 0 but
    // for an edit), or refused for good and dropped.
    void changeQueued(const Confab::Client::OutboxEntry &entry);
    void changeApplied(const Confab::Client::OutboxEntry &entry, const Confab::Chat::EditAnswer &answer);
    void changeRefused(const Confab::Client::OutboxEntry &entry, const Confab::Chat::Error &error);
    // A cached message changed (message:update, or caught up with updates:fetch): its whole
    // new state.
    void messageUpdated(const Confab::Chat::Message &message);
    // The user read a room here or on another device: its stored read position moved
    // forward, and the server's unread and mention counts (badges) came with it.
    void readPositionChanged(const Confab::Chat::ReadEvent &read);
    // Each resync's room:list, before the rooms catch up: lastSeq, read state and counts
    // (rooms read further here than the server heard are left out: their counts come
    // with the read event that follows).
    void roomsListed(const QList<Confab::Chat::RoomSummary> &rooms);
    // What others do, typed.
    void presenceReceived(const Confab::Chat::PresenceEvent &event);
    void typingReceived(const Confab::Chat::TypingEvent &event);
    void receiptReceived(const Confab::Chat::ReceiptEvent &event);
    void memberChanged(const Confab::Chat::MemberEvent &event);
    // A room's topic or roles changed: the whole room as it is now.
    void roomChanged(const Confab::Chat::Room &room);
    void announcementReceived(const Confab::Chat::Announcement &announcement);
    // Every event but message, as it came (presence, typing, receipt, member,
    // announcement, and events of newer servers), for printing.
    void eventReceived(const QString &event, const QJsonObject &payload);

private:
    template<typename Answer> void call(const QString &event, const QJsonObject &payload, Callback<Answer> done)
    {
        request(event, payload,
                [done = std::move(done)](const QJsonObject &answer) { done(Chat::readAnswer<Answer>(answer)); });
    }
    void emitTyped(const QString &event, const QJsonObject &payload);
    void postAccount(const QString &path, const QString &user, const QString &password);
    void handleEvent(const QString &event, const QJsonObject &payload);
    void resync();
    void catchUpRoom(const Chat::RoomSummary &room, std::function<void()> done);
    void catchUpUpdates(const QString &room, qint64 afterRev, std::function<void()> done);
    void catchUp(const QString &room, qint64 serverLastSeq, std::function<void()> done);
    void fetchLatest(const QString &room, qint64 beforeSeq, std::function<void()> done);
    void fetchAfter(const QString &room, qint64 afterSeq, qint64 beforeSeq, std::function<void()> done);
    void flushOutbox();
    void sendQueuedMessage(const OutboxEntry &entry);
    void uploadAttachment(const OutboxEntry &entry, int index);
    void failQueuedMessage(const QString &clientId, const Chat::Error &error);
    void sendChange(const OutboxEntry &entry);
    void retryOutboxLater();
    std::optional<OutboxEntry> queueChange(const OutboxEntry &entry, QString *error);
    void handleUpdate(const QJsonObject &payload);
    void handleRead(const Chat::ReadEvent &read);
    // A live message or update at `rev`: the room's lastRev follows while there is no gap.
    void noteRev(const QString &room, qint64 rev);
    void queueDeliveredReceipt(const QString &room, qint64 seq);
    void scheduleReceipts();
    void sendReceipts();
    void timerEvent(QTimerEvent *event) override;
    void storePage(const QString &room, const QList<QJsonObject> &page);
    void fetchFromServer(const Chat::HistoryRequest &request, const QList<QJsonObject> &cached, PageReply reply);

    QUrl m_serverUrl;
    QSslConfiguration m_ssl = QSslConfiguration::defaultConfiguration();
    QNetworkAccessManager m_network;
    FileTransfers m_files { &m_network };
    QPointer<FileUpload> m_upload;       // the outbox's upload in flight
    QString m_uploadFor;                 // and the message it is for
    QHash<QString, int> m_uploadCutOffs; // clientId -> uploads the server cut off in a row
    SocketIoClient m_client;
    ReconnectController m_connection;
    LocalStore m_store;
    CredentialStore m_credentials;
    bool m_rememberLogin = false;
    QString m_user;
    QString m_token;
    bool m_flushing = false;
    bool m_synced = false;
    QString m_presence = QStringLiteral("online");
    QHash<QString, qint64> m_deliveredToSend; // room -> highest seq, to send with the next receipts
    QHash<QString, qint64> m_readToSend;
    QHash<QString, qint64> m_readSent;
    QBasicTimer m_receiptTimer;
    QSet<QString> m_fetchingUpdates; // rooms catching up with a gap in revs seen live
};

} // namespace Confab::Client
