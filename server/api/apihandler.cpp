#include "api/apihandler.h"

#include "auth/passwordhash.h"
#include "chat/chatservice.h"
#include "chat/store.h"
#include "chat/validation.h"
#include "ops/metrics.h"
#include "transport/httpconnection.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>

#include <openssl/crypto.h>

namespace Confab::Api {

using Transport::HttpConnection;
using Transport::HttpRequest;
using Transport::HttpResponse;

namespace {

// Answers a request the admin router handled.
bool answer(Confab::Transport::HttpConnection *connection, Confab::Transport::HttpResponse response)
{
    connection->respond(std::move(response));
    return true;
}

HttpResponse error(int status, const QString &message)
{
    return HttpResponse::json(status, { { QStringLiteral("error"), message } });
}

// The store (a cluster's Redis) is out of reach: try again shortly.
HttpResponse unavailable()
{
    HttpResponse response = error(503, QStringLiteral("the store is unreachable; retry"));
    response.setHeader("Retry-After", "2");
    return response;
}

std::optional<QJsonObject> jsonBody(const HttpRequest &request)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    return document.object();
}

} // namespace

ApiHandler::ApiHandler(Chat::Store *store, Chat::ChatService *chat, const Auth::TokenSigner *tokens,
                       Ops::Metrics *metrics, const ApiOptions &options, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_chat(chat)
    , m_tokens(tokens)
    , m_metrics(metrics)
    , m_options(options)
{
    m_clock.start();
    metrics->describe("confab_api_requests_total", Ops::Metrics::Counter, "HTTP API requests, by endpoint and status");
}

void ApiHandler::handleRequest(HttpConnection *connection, const HttpRequest &request)
{
    const QByteArray &path = request.path;
    if (path == "/healthz")
        return connection->respond(HttpResponse::text(200, "ok\n"));
    if (path == "/readyz") {
        const bool ready = !m_isReady || m_isReady();
        return connection->respond(HttpResponse::text(ready ? 200 : 503, ready ? "ready\n" : "not ready\n"));
    }
    if (path == "/metrics")
        return connection->respond(
            HttpResponse::text(200, m_metrics->render(), "text/plain; version=0.0.4; charset=utf-8"));
    if (path == "/api/v1/register" && request.method == "POST")
        return registerUser(connection, request);
    if (path == "/api/v1/login" && request.method == "POST")
        return login(connection, request);
    if (path.startsWith("/api/v1/admin/"))
        return admin(connection, request);
    connection->respond(error(404, QStringLiteral("no such endpoint")));
}

QJsonObject ApiHandler::tokenAnswer(const QString &user) const
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    return { { QStringLiteral("token"), QString::fromLatin1(m_tokens->issue(user, now, m_options.tokenTtlSeconds)) },
             { QStringLiteral("user"), user },
             { QStringLiteral("expiresAt"), (now + m_options.tokenTtlSeconds) * 1000 } };
}

void ApiHandler::registerUser(HttpConnection *connection, const HttpRequest &request)
{
    if (!m_options.allowRegister)
        return connection->respond(error(403, QStringLiteral("registration is off on this server")));
    const auto body = jsonBody(request);
    if (!body)
        return connection->respond(error(400, QStringLiteral("body must be a JSON object")));
    const QString user = body->value(QStringLiteral("username")).toString();
    const QString password = body->value(QStringLiteral("password")).toString();
    if (!Chat::isValidUsername(user))
        return connection->respond(error(400, QStringLiteral("username must match ^[a-z0-9_.-]{2,32}$")));
    if (!Chat::isValidPassword(password))
        return connection->respond(error(400, QStringLiteral("password must be 8 to 1024 bytes")));
    const bool taken = m_store->findUser(user).has_value();
    if (!m_store->isAvailable())
        return connection->respond(unavailable());
    if (taken)
        return connection->respond(error(409, QStringLiteral("username taken")));
    QPointer<HttpConnection> target(connection);
    const Auth::ScryptCost cost { m_options.scryptLog2N, 8, 1 };
    m_offLoop.run([password, cost] { return QVariant(Auth::hashPassword(password, cost)); },
                  [this, target, user](const QVariant &hash) {
                      const bool created = m_store->createUser(
                          { user, hash.toByteArray(), false, QDateTime::currentMSecsSinceEpoch() });
                      if (!target)
                          return;
                      if (!created && !m_store->isAvailable())
                          return target->respond(unavailable());
                      if (!created)
                          return target->respond(error(409, QStringLiteral("username taken")));
                      target->respond(HttpResponse::json(201, tokenAnswer(user)));
                  });
}

bool ApiHandler::allowLoginAttempt(const QString &user, const QString &address, qint64 *retryAfterMs)
{
    const qint64 now = m_clock.elapsed();
    // A user may try 10 times, then once per 30 s; an address 30 times, then 1 per 2 s.
    auto &byUser = *m_loginByUser.insert(user, m_loginByUser.value(user, TokenBucket(1.0 / 30, 10)));
    auto &byAddress = *m_loginByAddress.insert(address, m_loginByAddress.value(address, TokenBucket(0.5, 30)));
    if (byUser.tryTake(now) && byAddress.tryTake(now))
        return true;
    *retryAfterMs = std::max(byUser.msUntilAvailable(now), byAddress.msUntilAvailable(now));
    return false;
}

void ApiHandler::login(HttpConnection *connection, const HttpRequest &request)
{
    const auto body = jsonBody(request);
    if (!body)
        return connection->respond(error(400, QStringLiteral("body must be a JSON object")));
    const QString user = body->value(QStringLiteral("username")).toString();
    const QString password = body->value(QStringLiteral("password")).toString();
    if (!Chat::isValidUsername(user) || password.isEmpty() || password.size() > Chat::MaxPasswordBytes)
        return connection->respond(error(401, QStringLiteral("wrong username or password")));
    qint64 retryAfterMs = 0;
    if (!allowLoginAttempt(user, request.peerAddress.toString(), &retryAfterMs)) {
        HttpResponse refusal = error(429, QStringLiteral("too many login attempts"));
        refusal.setHeader("Retry-After", QByteArray::number((retryAfterMs + 999) / 1000));
        return connection->respond(refusal);
    }
    const auto record = m_store->findUser(user);
    if (!m_store->isAvailable()) // "wrong password" would make a client forget its login
        return connection->respond(unavailable());
    // Unknown users cost the same KDF time as known ones: no timing oracle for names.
    static const QByteArray decoy
        = Auth::hashPassword(QStringLiteral("decoy-password"), { m_options.scryptLog2N, 8, 1 });
    const QByteArray stored = record ? record->passwordHash : decoy;
    const bool disabled = record && record->disabled;
    const bool exists = record.has_value();
    QPointer<HttpConnection> target(connection);
    m_offLoop.run([password, stored] { return QVariant(Auth::verifyPassword(password, stored)); },
                  [this, target, user, exists, disabled](const QVariant &verified) {
                      if (!target)
                          return;
                      if (!exists || !verified.toBool())
                          return target->respond(error(401, QStringLiteral("wrong username or password")));
                      if (disabled)
                          return target->respond(error(403, QStringLiteral("account disabled")));
                      target->respond(HttpResponse::json(200, tokenAnswer(user)));
                  });
}

void ApiHandler::admin(HttpConnection *connection, const HttpRequest &request)
{
    const QByteArray expected = "Bearer " + m_options.adminToken;
    const QByteArray given = request.header("authorization");
    if (m_options.adminToken.isEmpty() || given.size() != expected.size()
        || CRYPTO_memcmp(given.constData(), expected.constData(), size_t(given.size())) != 0)
        return connection->respond(error(401, QStringLiteral("admin token required")));

    const QByteArray path = request.path.mid(qstrlen("/api/v1/admin"));
    const auto body = jsonBody(request).value_or(QJsonObject());
    if (path == "/broadcast" && request.method == "POST") {
        const QString text = body.value(QStringLiteral("text")).toString();
        if (!Chat::isValidText(text))
            return connection->respond(
                error(400, QStringLiteral("text must be 1 to %1 characters").arg(Chat::MaxTextLength)));
        m_chat->announce(text);
        return connection->respond(HttpResponse::json(200, { { QStringLiteral("ok"), true } }));
    }
    if (!adminAccounts(connection, request, path, body) && !adminNode(connection, request, path, body))
        connection->respond(error(404, QStringLiteral("no such admin endpoint")));
}

// Users and rooms: list, create, disable and enable.
bool ApiHandler::adminAccounts(HttpConnection *connection, const HttpRequest &request, const QByteArray &path,
                               const QJsonObject &body)
{
    if (path == "/users" && request.method == "GET") {
        QJsonArray users;
        for (const Chat::UserRecord &user : m_store->users())
            users.append(QJsonObject { { QStringLiteral("user"), user.name },
                                       { QStringLiteral("disabled"), user.disabled },
                                       { QStringLiteral("createdAt"), user.createdAt } });
        return answer(connection, HttpResponse::json(200, { { QStringLiteral("users"), users } }));
    }
    if (path == "/users" && request.method == "POST") {
        const QString user = body.value(QStringLiteral("username")).toString();
        const QString password = body.value(QStringLiteral("password")).toString();
        if (!Chat::isValidUsername(user) || !Chat::isValidPassword(password))
            return answer(connection, error(400, QStringLiteral("invalid username or password")));
        QPointer<HttpConnection> target(connection);
        const Auth::ScryptCost cost { m_options.scryptLog2N, 8, 1 };
        m_offLoop.run([password, cost] { return QVariant(Auth::hashPassword(password, cost)); },
                      [this, target, user](const QVariant &hash) {
                          const bool created = m_store->createUser(
                              { user, hash.toByteArray(), false, QDateTime::currentMSecsSinceEpoch() });
                          if (target)
                              target->respond(created ? HttpResponse::json(201, { { QStringLiteral("user"), user } })
                                                      : error(409, QStringLiteral("username taken")));
                      });
        return true;
    }
    if (path.startsWith("/users/") && (path.endsWith("/disable") || path.endsWith("/enable"))
        && request.method == "POST") {
        const QString user = QString::fromUtf8(path.mid(7, path.lastIndexOf('/') - 7));
        const bool ok = m_store->setUserDisabled(user, path.endsWith("/disable"));
        return answer(connection,
                      ok ? HttpResponse::json(200, { { QStringLiteral("ok"), true } })
                         : error(404, QStringLiteral("no such user")));
    }
    if (path == "/rooms" && request.method == "GET") {
        QJsonArray rooms;
        for (const Chat::RoomRecord &room : m_store->rooms())
            rooms.append(QJsonObject { { QStringLiteral("name"), room.name },
                                       { QStringLiteral("topic"), room.topic },
                                       { QStringLiteral("lastSeq"), room.lastSeq },
                                       { QStringLiteral("members"), m_store->members(room.name).size() } });
        return answer(connection, HttpResponse::json(200, { { QStringLiteral("rooms"), rooms } }));
    }
    if (path.startsWith("/rooms/"))
        return adminRoom(connection, request, path, body);
    return false;
}

// One room: GET /rooms/NAME/members (with roles), POST /rooms/NAME/owner {user}.
bool ApiHandler::adminRoom(HttpConnection *connection, const HttpRequest &request, const QByteArray &path,
                           const QJsonObject &body)
{
    const QByteArray rest = path.mid(qstrlen("/rooms/"));
    const QString room = QString::fromUtf8(QByteArray::fromPercentEncoding(rest.left(rest.lastIndexOf('/'))));
    const QByteArray action = rest.mid(rest.lastIndexOf('/') + 1);
    if (action == "members" && request.method == "GET") {
        const auto described = m_chat->describeRoom(room);
        if (!described)
            return answer(connection,
                          m_store->isAvailable() ? error(404, QStringLiteral("no such room")) : unavailable());
        return answer(connection, HttpResponse::json(200, described->toJson()));
    }
    if (action == "owner" && request.method == "POST") {
        const QString user = body.value(QStringLiteral("user")).toString();
        if (!Chat::isValidUsername(user))
            return answer(connection, error(400, QStringLiteral("user must be a username")));
        const auto refusal = m_chat->assignOwner(room, user);
        if (!refusal)
            return answer(connection, HttpResponse::json(200, { { QStringLiteral("ok"), true } }));
        const int status = refusal->code == Chat::ErrorCode::NotFound ? 404
            : refusal->code == Chat::ErrorCode::Forbidden             ? 409
                                                                      : 503;
        return answer(connection, error(status, refusal->message));
    }
    return false;
}

// This node (and the cluster): stats, nodes, drain, shed.
bool ApiHandler::adminNode(HttpConnection *connection, const HttpRequest &request, const QByteArray &path,
                           const QJsonObject &body)
{
    if (path == "/stats" && request.method == "GET") {
        QJsonObject stats {
            { QStringLiteral("connectedUsers"), m_chat->connectedUsers() },
            { QStringLiteral("messagesAccepted"), m_chat->messagesAccepted() },
            { QStringLiteral("users"), m_store->users().size() },
            { QStringLiteral("rooms"), m_store->rooms().size() },
        };
        if (m_control.status) {
            const QJsonObject node = m_control.status();
            for (auto it = node.begin(); it != node.end(); ++it)
                stats.insert(it.key(), it.value());
        }
        return answer(connection, HttpResponse::json(200, stats));
    }
    if (path == "/nodes" && request.method == "GET" && m_control.nodes) {
        const auto nodes = m_control.nodes();
        if (!nodes)
            return answer(connection, error(503, QStringLiteral("the cluster store cannot be reached")));
        return answer(connection, HttpResponse::json(200, { { QStringLiteral("nodes"), *nodes } }));
    }
    if (path == "/files/gc" && request.method == "POST" && m_control.collectFiles) {
        m_control.collectFiles([connection = QPointer<HttpConnection>(connection)](const QJsonObject &result, bool ok) {
            if (connection)
                connection->respond(ok ? HttpResponse::json(200, result) : unavailable());
        });
        return true;
    }
    if (path == "/files" && request.method == "GET")
        return answer(connection, fileUsage());
    if (path == "/drain" && request.method == "POST" && m_control.drain) {
        m_control.drain();
        return answer(connection, HttpResponse::json(202, { { QStringLiteral("ok"), true } }));
    }
    if (path == "/shed" && request.method == "POST" && m_control.shed) {
        const QJsonValue count = body.value(QStringLiteral("count"));
        if (!count.isDouble() || count.toInteger(-1) < 1)
            return answer(connection, error(400, QStringLiteral("count must be a positive integer")));
        return answer(connection,
                      HttpResponse::json(200,
                                         { { QStringLiteral("ok"), true },
                                           { QStringLiteral("advised"),
                                             m_control.shed(int(std::min<qint64>(count.toInteger(), 1000000))) } }));
    }
    return false;
}

// What uploads take: records, contents and bytes on disk, the heaviest users.
HttpResponse ApiHandler::fileUsage() const
{
    const auto totals = m_store->fileTotals(TopFileUsers);
    if (!totals)
        return unavailable();
    QJsonArray users;
    for (const auto &[user, bytes] : totals->topUsers)
        users.append(QJsonObject { { QStringLiteral("user"), user }, { QStringLiteral("bytes"), bytes } });
    return HttpResponse::json(200,
                              { { QStringLiteral("records"), totals->records },
                                { QStringLiteral("contents"), totals->contents },
                                { QStringLiteral("bytes"), totals->bytes },
                                { QStringLiteral("topUsers"), users } });
}

} // namespace Confab::Api
