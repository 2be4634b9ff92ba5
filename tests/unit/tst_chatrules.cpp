// The chat rules that need no socket, in process: ChatService on the embedded store
// (SQLite in a temporary directory, LocalBus, LocalPresence), its clients Realtime
// clients over FakeSessions. Every check is on the acks and events a client receives.
#include "auth/tokens.h"
#include "chat/chatservice.h"
#include "fakesession.h"
#include "realtime/server.h"
#include "storage/sqlitestore.h"

#include <QDateTime>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Confab;
using Testing::FakeClient;
using Testing::FakeSession;

namespace {

// Store::append's draft type, whichever record the chat layer passes (so this test
// does not change with it).
template<typename Method> struct FirstArgument;
template<typename Class, typename Argument, typename... Rest> struct FirstArgument<void (Class::*)(Argument, Rest...)>
{
    using Type = Argument;
};
using Draft = FirstArgument<decltype(&Chat::Store::append)>::Type;

// The embedded store, made unreachable or failing on demand.
class FlakyStore : public Storage::SqliteStore
{
public:
    bool available = true;
    bool failAppends = false;

    bool isAvailable() const override { return available; }
    void append(Draft draft, AppendCallback callback) override
    {
        if (failAppends)
            return callback({});
        SqliteStore::append(draft, std::move(callback));
    }
};

QString errorCode(const std::optional<QJsonValue> &ack)
{
    return ack ? ack->toObject().value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString()
               : QStringLiteral("<no ack>");
}

bool isOk(const std::optional<QJsonValue> &ack)
{
    return ack && ack->toObject().value(QStringLiteral("ok")).toBool();
}

constexpr int Burst = 20; // events a connection may send at once (then 1 per second)

QJsonObject room(const QString &name)
{
    return { { QStringLiteral("room"), name } };
}

QJsonObject message(const QString &room, const QString &clientId, const QString &text = QStringLiteral("hello"))
{
    return { { QStringLiteral("room"), room },
             { QStringLiteral("clientId"), clientId },
             { QStringLiteral("text"), text } };
}

} // namespace

class TestChatRules : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void connectNeedsAValidToken();
    void connectWhileTheStoreIsUnreachable();
    void rateLimitIsPerConnection();
    void storeFailuresAnswerUnavailable();
    void failedAppendIsUnavailableAndNotDelivered();
    void volatileEventsDropFirstForABackloggedClient();
    void clientOverItsBudgetIsClosed();
    void membershipRules();
    void sendIsIdempotentOnClientId();

private:
    FakeClient *connectUser(const QString &user);
    std::optional<QJsonValue> request(FakeClient *client, const QString &event, const QJsonObject &payload);
    std::optional<QJsonValue> requestAsync(FakeClient *client, const QString &event, const QJsonObject &payload);
    void createUsers(const QStringList &users);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FlakyStore> m_store;
    std::unique_ptr<Chat::LocalBus> m_bus;
    std::unique_ptr<Chat::LocalPresence> m_presence;
    std::unique_ptr<Auth::TokenSigner> m_tokens;
    std::unique_ptr<Realtime::Server> m_io;
    std::unique_ptr<Chat::ChatService> m_chat;
    QList<FakeSession *> m_sessions;
    QList<std::shared_ptr<FakeClient>> m_clients;
};

void TestChatRules::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_store = std::make_unique<FlakyStore>();
    QString error;
    QVERIFY2(m_store->open(m_dir->filePath(QStringLiteral("chat.db")), &error), qPrintable(error));
    m_bus = std::make_unique<Chat::LocalBus>();
    m_presence = std::make_unique<Chat::LocalPresence>(m_store.get());
    m_tokens = std::make_unique<Auth::TokenSigner>("test secret");
    m_io = std::make_unique<Realtime::Server>();
    Chat::ChatOptions options;
    options.eventsPerSecond = 1;
    options.eventBurst = Burst;
    m_chat = std::make_unique<Chat::ChatService>(m_io->of(QStringLiteral("/")), m_store.get(), m_bus.get(),
                                                 m_presence.get(), m_tokens.get(), options);
    createUsers({ QStringLiteral("alice"), QStringLiteral("bob"), QStringLiteral("carol") });
}

void TestChatRules::cleanup()
{
    for (FakeSession *session : std::as_const(m_sessions))
        session->drop();
    qDeleteAll(m_sessions);
    m_sessions.clear();
    m_clients.clear();
    m_chat.reset();
    m_io.reset();
    m_presence.reset();
    m_store.reset();
    m_dir.reset();
}

void TestChatRules::createUsers(const QStringList &users)
{
    for (const QString &user : users)
        QVERIFY(m_store->createUser({ user, "hash", false, 1 }));
}

FakeClient *TestChatRules::connectUser(const QString &user)
{
    auto *session = new FakeSession(user.toUtf8() + '.' + QByteArray::number(m_sessions.size()));
    m_sessions.append(session);
    m_io->addSession(session);
    m_clients.append(std::make_shared<FakeClient>(session));
    FakeClient *client = m_clients.last().get();
    const QByteArray token = m_tokens->issue(user, QDateTime::currentSecsSinceEpoch(), 3600);
    client->connectNamespace({ { QStringLiteral("token"), QString::fromLatin1(token) } });
    return client;
}

std::optional<QJsonValue> TestChatRules::request(FakeClient *client, const QString &event, const QJsonObject &payload)
{
    return client->ack(client->emitEvent(event, payload)); // answered at once
}

std::optional<QJsonValue> TestChatRules::requestAsync(FakeClient *client, const QString &event,
                                                      const QJsonObject &payload)
{
    const qint64 id = client->emitEvent(event, payload);
    // The store commits at the end of the event-loop pass, then acks.
    if (!QTest::qWaitFor([&] { return client->ack(id).has_value(); }, 5000))
        return std::nullopt;
    return client->ack(id);
}

void TestChatRules::connectNeedsAValidToken()
{
    FakeClient *alice = connectUser(QStringLiteral("alice"));
    QCOMPARE(alice->connectAnswer()->type, SocketIo::PacketType::Connect);

    auto *session = new FakeSession("forger");
    m_sessions.append(session);
    m_io->addSession(session);
    FakeClient forger(session);
    forger.connectNamespace({ { QStringLiteral("token"), QStringLiteral("not.a.token") } });
    const auto answer = forger.connectAnswer();
    QCOMPARE(answer->type, SocketIo::PacketType::ConnectError);
    QCOMPARE(answer->data.toObject().value(QStringLiteral("message")).toString(), QStringLiteral("unauthorized"));
}

void TestChatRules::connectWhileTheStoreIsUnreachable()
{
    m_store->available = false;
    FakeClient *alice = connectUser(QStringLiteral("alice"));
    const auto answer = alice->connectAnswer();
    QCOMPARE(answer->type, SocketIo::PacketType::ConnectError);
    // Not "unauthorized": that would log the user out.
    QCOMPARE(answer->data.toObject().value(QStringLiteral("message")).toString(), QStringLiteral("unavailable"));
}

void TestChatRules::rateLimitIsPerConnection()
{
    FakeClient *first = connectUser(QStringLiteral("alice"));
    FakeClient *second = connectUser(QStringLiteral("alice"));
    for (int i = 0; i < Burst; ++i)
        QVERIFY(isOk(request(first, QStringLiteral("room:list"), {})));
    QCOMPARE(errorCode(request(first, QStringLiteral("room:list"), {})), QStringLiteral("rate_limited"));
    // Every event counts, valid or not; the other connection has its own bucket.
    QCOMPARE(errorCode(request(first, QStringLiteral("presence:get"), {})), QStringLiteral("rate_limited"));
    QVERIFY(isOk(request(second, QStringLiteral("room:list"), {})));
}

void TestChatRules::storeFailuresAnswerUnavailable()
{
    FakeClient *alice = connectUser(QStringLiteral("alice"));
    QVERIFY(isOk(request(alice, QStringLiteral("room:create"), room(QStringLiteral("general")))));
    m_store->available = false;
    QCOMPARE(errorCode(request(alice, QStringLiteral("room:list"), {})), QStringLiteral("unavailable"));
    QCOMPARE(errorCode(request(alice, QStringLiteral("room:join"), room(QStringLiteral("elsewhere")))),
             QStringLiteral("unavailable")); // not not_found: the store could not be asked
    // Validation errors stand: retrying cannot fix them.
    QCOMPARE(errorCode(request(alice, QStringLiteral("room:create"), room(QStringLiteral("Not A Name")))),
             QStringLiteral("bad_request"));
    // What the node knows by itself goes on.
    QVERIFY(
        isOk(request(alice, QStringLiteral("typing"),
                     { { QStringLiteral("room"), QStringLiteral("general") }, { QStringLiteral("active"), true } })));
    QVERIFY(isOk(request(alice, QStringLiteral("presence:get"),
                         { { QStringLiteral("users"), QJsonArray { QStringLiteral("bob") } } })));
}

void TestChatRules::failedAppendIsUnavailableAndNotDelivered()
{
    FakeClient *alice = connectUser(QStringLiteral("alice"));
    FakeClient *bob = connectUser(QStringLiteral("bob"));
    QVERIFY(isOk(request(alice, QStringLiteral("room:create"), room(QStringLiteral("general")))));
    QVERIFY(isOk(request(bob, QStringLiteral("room:join"), room(QStringLiteral("general")))));
    m_store->failAppends = true;
    QCOMPARE(errorCode(requestAsync(alice, QStringLiteral("message:send"),
                                    message(QStringLiteral("general"), QStringLiteral("c1")))),
             QStringLiteral("unavailable"));
    QVERIFY(bob->events(QStringLiteral("message")).isEmpty());
}

void TestChatRules::volatileEventsDropFirstForABackloggedClient()
{
    FakeClient *alice = connectUser(QStringLiteral("alice"));
    FakeClient *bob = connectUser(QStringLiteral("bob"));
    QVERIFY(isOk(request(alice, QStringLiteral("room:create"), room(QStringLiteral("general")))));
    QVERIFY(isOk(request(bob, QStringLiteral("room:join"), room(QStringLiteral("general")))));
    const QJsonObject typing { { QStringLiteral("room"), QStringLiteral("general") },
                               { QStringLiteral("active"), true } };
    QVERIFY(isOk(request(alice, QStringLiteral("typing"), typing)));
    QCOMPARE(bob->events(QStringLiteral("typing")).size(), 1);
    QVERIFY(alice->events(QStringLiteral("typing")).isEmpty()); // not to the typist

    bob->session()->setQueuedBytes(bob->session()->outboundBudget() / 2); // behind: past half the budget
    QVERIFY(isOk(request(alice, QStringLiteral("typing"), typing)));
    QCOMPARE(bob->events(QStringLiteral("typing")).size(), 1); // dropped
    QVERIFY(isOk(
        requestAsync(alice, QStringLiteral("message:send"), message(QStringLiteral("general"), QStringLiteral("c1")))));
    QCOMPARE(bob->events(QStringLiteral("message")).size(), 1); // messages are not volatile
    QVERIFY(bob->session()->isOpen());
}

void TestChatRules::clientOverItsBudgetIsClosed()
{
    FakeClient *alice = connectUser(QStringLiteral("alice"));
    FakeClient *bob = connectUser(QStringLiteral("bob"));
    QVERIFY(isOk(request(alice, QStringLiteral("room:create"), room(QStringLiteral("general")))));
    QVERIFY(isOk(request(bob, QStringLiteral("room:join"), room(QStringLiteral("general")))));
    bob->session()->setQueuedBytes(bob->session()->outboundBudget());
    QVERIFY(isOk(
        requestAsync(alice, QStringLiteral("message:send"), message(QStringLiteral("general"), QStringLiteral("c1")))));
    QVERIFY(!bob->session()->isOpen());
    QCOMPARE(bob->session()->closeReason(), QStringLiteral("slow consumer"));
    QVERIFY(bob->events(QStringLiteral("message")).isEmpty());
}

void TestChatRules::membershipRules()
{
    FakeClient *alice = connectUser(QStringLiteral("alice"));
    FakeClient *bob = connectUser(QStringLiteral("bob"));
    FakeClient *carol = connectUser(QStringLiteral("carol"));
    QVERIFY(isOk(request(alice, QStringLiteral("room:create"), room(QStringLiteral("general")))));
    QCOMPARE(errorCode(request(alice, QStringLiteral("room:create"), room(QStringLiteral("general")))),
             QStringLiteral("conflict"));

    const QJsonObject hello = message(QStringLiteral("general"), QStringLiteral("b1"));
    QCOMPARE(errorCode(request(bob, QStringLiteral("message:send"), hello)), QStringLiteral("forbidden"));
    QCOMPARE(errorCode(request(bob, QStringLiteral("history:fetch"), room(QStringLiteral("general")))),
             QStringLiteral("forbidden"));
    QCOMPARE(errorCode(request(bob, QStringLiteral("message:send"),
                               message(QStringLiteral("nowhere"), QStringLiteral("b2")))),
             QStringLiteral("not_found"));
    QCOMPARE(errorCode(request(bob, QStringLiteral("room:join"), room(QStringLiteral("nowhere")))),
             QStringLiteral("not_found"));

    QVERIFY(isOk(request(bob, QStringLiteral("room:join"), room(QStringLiteral("general")))));
    QCOMPARE(alice->events(QStringLiteral("member")).size(), 1); // alice hears bob join
    QVERIFY(isOk(requestAsync(bob, QStringLiteral("message:send"), hello)));
    QCOMPARE(alice->events(QStringLiteral("message")).size(), 1);
    QVERIFY(isOk(request(bob, QStringLiteral("room:leave"), room(QStringLiteral("general")))));
    QCOMPARE(errorCode(request(bob, QStringLiteral("message:send"),
                               message(QStringLiteral("general"), QStringLiteral("b3")))),
             QStringLiteral("forbidden"));

    // A direct-message room is its two members' only.
    const auto direct
        = request(alice, QStringLiteral("dm:open"), { { QStringLiteral("user"), QStringLiteral("bob") } });
    QVERIFY(isOk(direct));
    const QString dm
        = direct->toObject().value(QStringLiteral("room")).toObject().value(QStringLiteral("name")).toString();
    QVERIFY(!dm.isEmpty());
    QCOMPARE(errorCode(request(carol, QStringLiteral("room:join"), room(dm))), QStringLiteral("forbidden"));
    QCOMPARE(errorCode(request(carol, QStringLiteral("message:send"), message(dm, QStringLiteral("c1")))),
             QStringLiteral("forbidden"));
    QCOMPARE(errorCode(request(bob, QStringLiteral("room:leave"), room(dm))), QStringLiteral("forbidden"));
}

void TestChatRules::sendIsIdempotentOnClientId()
{
    FakeClient *alice = connectUser(QStringLiteral("alice"));
    FakeClient *bob = connectUser(QStringLiteral("bob"));
    QVERIFY(isOk(request(alice, QStringLiteral("room:create"), room(QStringLiteral("general")))));
    QVERIFY(isOk(request(bob, QStringLiteral("room:join"), room(QStringLiteral("general")))));
    const auto first = requestAsync(alice, QStringLiteral("message:send"),
                                    message(QStringLiteral("general"), QStringLiteral("same")));
    QVERIFY(isOk(first));
    // A resend after a lost ack: the same message back, delivered once.
    const auto again = requestAsync(alice, QStringLiteral("message:send"),
                                    message(QStringLiteral("general"), QStringLiteral("same")));
    QVERIFY(isOk(again));
    QCOMPARE(again->toObject().value(QStringLiteral("id")), first->toObject().value(QStringLiteral("id")));
    QCOMPARE(again->toObject().value(QStringLiteral("seq")), first->toObject().value(QStringLiteral("seq")));
    QCOMPARE(bob->events(QStringLiteral("message")).size(), 1);
    const auto other = requestAsync(alice, QStringLiteral("message:send"),
                                    message(QStringLiteral("general"), QStringLiteral("next")));
    QCOMPARE(other->toObject().value(QStringLiteral("seq")).toInteger(),
             first->toObject().value(QStringLiteral("seq")).toInteger() + 1);
    QCOMPARE(bob->events(QStringLiteral("message")).size(), 2);
}

QTEST_GUILESS_MAIN(TestChatRules)
#include "tst_chatrules.moc"
