// A chat client session on the client library: accounts over HTTP, the connection
// (kept up by ReconnectController), the outbox that never loses what the user wrote,
// the local cache, and resync after every reconnect (history:fetch afterSeq per room,
// dedupe by id, gaps filled).
#pragma once

#include "credentialstore.h"
#include "localstore.h"
#include "reconnectcontroller.h"
#include "socketioclient.h"

#include <QNetworkAccessManager>
#include <QObject>
#include <QUrl>

#include <functional>

namespace Confab::Client {

class ChatSession : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QString user READ user NOTIFY userChanged)
    Q_PROPERTY(bool isOnline READ isOnline NOTIFY onlineChanged)
public:
    using Reply = std::function<void(const QJsonObject &answer)>;

    explicit ChatSession(QObject *parent = nullptr);
    ~ChatSession() override;

    bool openLocalStore(const QString &path, QString *error);
    LocalStore *localStore() { return &m_store; }
    void setServerUrl(const QUrl &url);
    // Extra trusted CAs for https/wss (PEM file); false when it cannot be read.
    bool setCaFile(const QString &caFile);
    QUrl serverUrl() const { return m_serverUrl; }
    SocketIoClient *client() { return &m_client; }
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

    // Writes the message to the outbox at once and sends it when connected.
    OutboxEntry sendMessage(const QString &room, const QString &text);
    // Any protocol event with an ack; the answer is {"ok":false,"error":{"code":"unavailable"}}
    // when offline or on timeout.
    void request(const QString &event, const QJsonObject &payload, Reply reply);

Q_SIGNALS:
    void userChanged();
    void onlineChanged(bool online);
    void loggedIn(const QString &user, const QString &token);
    void authenticationFailed(int httpStatus, const QString &message);
    void loginRestored(const QString &user);
    void loginNotRestored(const QString &error);
    void loginRemembered(bool ok, const QString &error);
    void loginForgotten(bool ok, const QString &error);
    void synced();
    void messageReceived(const QJsonObject &message);
    void messageQueued(const Confab::Client::OutboxEntry &entry);
    void messageSent(const QString &clientId, const QJsonObject &ack);
    void messageFailed(const QString &clientId, const QString &code, const QString &message);
    // presence, typing, receipt, member, announcement, with their payload.
    void eventReceived(const QString &event, const QJsonObject &payload);

private:
    void postAccount(const QString &path, const QString &user, const QString &password);
    void handleEvent(const QString &event, const QJsonObject &payload);
    void resync();
    void fetchAfter(const QString &room, qint64 afterSeq, qint64 beforeSeq, std::function<void()> done);
    void flushOutbox();

    QUrl m_serverUrl;
    QSslConfiguration m_ssl = QSslConfiguration::defaultConfiguration();
    QNetworkAccessManager m_network;
    SocketIoClient m_client;
    ReconnectController m_connection;
    LocalStore m_store;
    CredentialStore m_credentials;
    bool m_rememberLogin = false;
    QString m_user;
    QString m_token;
    bool m_flushing = false;
    bool m_synced = false;
};

} // namespace Confab::Client
