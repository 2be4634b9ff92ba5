// The HTTP API beside the realtime endpoint: accounts (register, login), health
// (/healthz, /readyz), /metrics, and the admin endpoints confabctl talks to.
#pragma once

#include "api/offloop.h"
#include "auth/tokens.h"
#include "transport/httphandler.h"
#include "transport/httpresponse.h"
#include "util/tokenbucket.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QThread>

#include <QJsonArray>

#include <functional>
#include <optional>

namespace Confab::Chat {
class ChatService;
class Store;
}
namespace Confab::Ops {
class Metrics;
}

namespace Confab::Api {

struct ApiOptions
{
    bool allowRegister = true;
    qint64 tokenTtlSeconds = 30 * 24 * 3600;
    QByteArray adminToken; // empty: admin endpoints off
    int scryptLog2N = 15;
};

// What the admin API may ask of the node (drain, rebalance) and tell about it.
struct NodeControl
{
    std::function<void()> drain;
    std::function<int(int count)> shed;
    std::function<QJsonObject()> status;
    std::function<std::optional<QJsonArray>()> nodes; // the cluster's nodes, or this one alone
    // A files gc pass now; its counts (or an error) given to the callback later.
    std::function<void(std::function<void(const QJsonObject &result, bool ok)>)> collectFiles;
};

class ApiHandler : public QObject, public Transport::HttpHandler
{
    Q_OBJECT
public:
    ApiHandler(Chat::Store *store, Chat::ChatService *chat, const Auth::TokenSigner *tokens, Ops::Metrics *metrics,
               const ApiOptions &options, QObject *parent = nullptr);

    // Answers /readyz: true while the node wants new connections.
    void setReadiness(std::function<bool()> isReady) { m_isReady = std::move(isReady); }
    void setNodeControl(const NodeControl &control) { m_control = control; }

    void handleRequest(Transport::HttpConnection *connection, const Transport::HttpRequest &request) override;

private:
    static constexpr int TopFileUsers = 20; // listed by GET /api/v1/admin/files
    Transport::HttpResponse fileUsage() const;
    void registerUser(Transport::HttpConnection *connection, const Transport::HttpRequest &request);
    void login(Transport::HttpConnection *connection, const Transport::HttpRequest &request);
    void admin(Transport::HttpConnection *connection, const Transport::HttpRequest &request);
    bool adminAccounts(Transport::HttpConnection *connection, const Transport::HttpRequest &request,
                       const QByteArray &path, const QJsonObject &body);
    bool adminRoom(Transport::HttpConnection *connection, const Transport::HttpRequest &request, const QByteArray &path,
                   const QJsonObject &body);
    bool adminNode(Transport::HttpConnection *connection, const Transport::HttpRequest &request, const QByteArray &path,
                   const QJsonObject &body);
    QJsonObject tokenAnswer(const QString &user) const;
    // Takes a login attempt from the user's and the address's budgets; false when either is spent.
    bool allowLoginAttempt(const QString &user, const QString &address, qint64 *retryAfterMs);

    Chat::Store *m_store;
    Chat::ChatService *m_chat;
    const Auth::TokenSigner *m_tokens;
    Ops::Metrics *m_metrics;
    ApiOptions m_options;
    std::function<bool()> m_isReady;
    NodeControl m_control;
    QElapsedTimer m_clock;
    QHash<QString, TokenBucket> m_loginByUser;
    QHash<QString, TokenBucket> m_loginByAddress;
    OffLoopRunner m_offLoop { QThread::idealThreadCount() }; // last: its threads stop first
};

} // namespace Confab::Api
