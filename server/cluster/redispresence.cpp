#include "cluster/redispresence.h"

#include <QJsonObject>

#include "cluster/rediskeys.h"

#include <QDateTime>
#include <QPointer>

#include <memory>

namespace Confab::Cluster {

using Redis::Command;

namespace {

// KEYS: user's node set, user's presence hash, node's user set. ARGV: node, user, status.
// Returns the number of nodes now holding the user (1: the user just came online).
const QByteArray attachScript = R"lua(
redis.call('SADD', KEYS[1], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[2])
local nodes = redis.call('SCARD', KEYS[1])
if nodes == 1 then redis.call('HSET', KEYS[2], 'status', ARGV[3]) end
return nodes
)lua";

// KEYS as above. ARGV: node, user, now. Returns the nodes left (0: the user went offline).
const QByteArray detachScript = R"lua(
redis.call('SREM', KEYS[1], ARGV[1])
redis.call('SREM', KEYS[3], ARGV[2])
local nodes = redis.call('SCARD', KEYS[1])
if nodes == 0 then redis.call('HSET', KEYS[2], 'status', 'offline', 'lastSeen', ARGV[3]) end
return nodes
)lua";

// KEYS: nodes set, dead node's liveness key, dead node's user set. ARGV: node, now,
// "force". Atomic, so when several survivors sweep the same node one does the work.
// Returns the users who went offline.
const QByteArray sweepScript = R"lua(
if ARGV[3] ~= 'force' and redis.call('EXISTS', KEYS[2]) == 1 then return {} end
local offline = {}
for _, user in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  local nodesKey = 'confab:pnodes:' .. user
  redis.call('SREM', nodesKey, ARGV[1])
  if redis.call('SCARD', nodesKey) == 0 then
    redis.call('HSET', 'confab:presence:' .. user, 'status', 'offline', 'lastSeen', ARGV[2])
    table.insert(offline, user)
  end
end
redis.call('DEL', KEYS[3])
redis.call('SREM', KEYS[1], ARGV[1])
return offline
)lua";

QByteArray nowText()
{
    return QByteArray::number(QDateTime::currentMSecsSinceEpoch());
}

} // namespace

RedisPresence::RedisPresence(Redis::RedisConnection *redis, const QString &nodeId, const PresenceOptions &options,
                             QObject *parent)
    : QObject(parent)
    , m_redis(redis)
    , m_node(nodeId)
    , m_options(options)
    , m_attachScript(redis->addScript(attachScript))
    , m_detachScript(redis->addScript(detachScript))
    , m_sweepScript(redis->addScript(sweepScript))
{
    connect(&m_heartbeat, &QTimer::timeout, this, &RedisPresence::heartbeat);
    connect(&m_sweep, &QTimer::timeout, this, &RedisPresence::sweep);
    connect(redis, &Redis::RedisConnection::upChanged, this, [this](bool up) {
        if (up) {
            // Redis may have come back from disk with every liveness key expired: give
            // all nodes time to register again before treating any as dead.
            m_sweepHold.start();
            QTimer::singleShot(0, this, &RedisPresence::reregister);
        } else {
            m_registered = false;
        }
    });
}

void RedisPresence::start()
{
    // A previous run of this node (same id) may have died holding connections.
    const QStringList stale = sweepNode(m_node, true);
    if (!stale.isEmpty())
        Q_EMIT usersChanged(stale);
    m_registered = m_redis->isUp();
    heartbeat();
    m_heartbeat.start(m_options.heartbeatMs);
    m_sweep.start(m_options.sweepMs);
}

void RedisPresence::heartbeat()
{
    if (!m_registered)
        return reregister();
    // Pipelined, never waited for: a stalled Redis must not stall this node's event loop
    // once a second. An unanswered heartbeat marks the connection down by its deadline.
    const auto ignore = [](const std::optional<Redis::RedisReply> &) {};
    m_redis->commandAsync({ "SET", Keys::nodeAlive(m_node), "1", "PX", QByteArray::number(m_options.livenessTtlMs) },
                          ignore);
    m_redis->commandAsync({ "SADD", Keys::nodes(), m_node.toUtf8() }, ignore);
}

void RedisPresence::reregister()
{
    if (m_registered || !m_redis->isUp())
        return;
    // Redis may have restarted, or survivors may have swept this node while it was cut
    // off: say again which users this node holds. Users who came online meanwhile are
    // announced to their rooms.
    const auto known = m_redis->command({ "SMEMBERS", Keys::nodeUsers(m_node) });
    if (!known)
        return;
    QList<Command> commands;
    QStringList users;
    // Users who left this node while Redis could not be told.
    for (const Redis::RedisReply &user : known->elements) {
        if (m_local.contains(user.toString()))
            continue;
        users.append(user.toString());
        commands.append(m_redis->scriptCommand(m_detachScript,
                                               { Keys::presenceNodes(user.toString()), Keys::presence(user.toString()),
                                                 Keys::nodeUsers(m_node) },
                                               { m_node.toUtf8(), user.string, nowText() }));
    }
    for (auto it = m_local.cbegin(); it != m_local.cend(); ++it) {
        if (it->connections.isEmpty())
            continue;
        users.append(it.key());
        commands.append(
            m_redis->scriptCommand(m_attachScript,
                                   { Keys::presenceNodes(it.key()), Keys::presence(it.key()), Keys::nodeUsers(m_node) },
                                   { m_node.toUtf8(), it.key().toUtf8(), it->status.toUtf8() }));
    }
    commands.append({ "SET", Keys::nodeAlive(m_node), "1", "PX", QByteArray::number(m_options.livenessTtlMs) });
    commands.append({ "SADD", Keys::nodes(), m_node.toUtf8() });
    if (!m_redis->pipeline(commands))
        return;
    m_registered = true;
    if (!users.isEmpty())
        Q_EMIT usersChanged(users);
}

std::optional<QJsonArray> RedisPresence::nodes() const
{
    const auto members = m_redis->command({ "SMEMBERS", Keys::nodes() });
    if (!members)
        return std::nullopt;
    QList<Command> probes;
    for (const Redis::RedisReply &node : members->elements) {
        probes.append({ "EXISTS", Keys::nodeAlive(node.toString()) });
        probes.append({ "SCARD", Keys::nodeUsers(node.toString()) });
    }
    const auto answers = probes.isEmpty() ? std::optional<QList<Redis::RedisReply>>(QList<Redis::RedisReply>())
                                          : m_redis->pipeline(probes);
    if (!answers)
        return std::nullopt;
    QJsonArray list;
    for (qsizetype i = 0; i < members->elements.size(); ++i)
        list.append(QJsonObject { { QStringLiteral("node"), members->elements.at(i).toString() },
                                  { QStringLiteral("alive"), answers->at(2 * i).integer == 1 },
                                  { QStringLiteral("users"), answers->at(2 * i + 1).integer } });
    return list;
}

void RedisPresence::sweep()
{
    if (m_sweeping || (m_sweepHold.isValid() && m_sweepHold.elapsed() < m_options.livenessTtlMs))
        return;
    // Pipelined like the heartbeat: the members, then one probe each, answered by callback.
    m_sweeping = true;
    m_redis->commandAsync({ "SMEMBERS", Keys::nodes() },
                          [self = QPointer(this)](const std::optional<Redis::RedisReply> &nodes) {
                              if (!self)
                                  return;
                              if (!nodes || nodes->isError()) {
                                  self->m_sweeping = false;
                                  return;
                              }
                              self->probeNodes(*nodes);
                          });
}

void RedisPresence::probeNodes(const Redis::RedisReply &nodes)
{
    QStringList others;
    for (const Redis::RedisReply &node : nodes.elements) {
        if (node.toString() != m_node)
            others.append(node.toString());
    }
    if (others.isEmpty()) {
        m_sweeping = false;
        return;
    }
    auto alive = std::make_shared<QList<bool>>(others.size(), false);
    auto waiting = std::make_shared<qsizetype>(others.size());
    auto failed = std::make_shared<bool>(false);
    for (qsizetype i = 0; i < others.size(); ++i) {
        m_redis->commandAsync({ "EXISTS", Keys::nodeAlive(others.at(i)) },
                              [self = QPointer(this), others, alive, waiting, failed,
                               i](const std::optional<Redis::RedisReply> &reply) {
                                  (*alive)[i] = reply && reply->integer == 1;
                                  *failed = *failed || !reply || reply->isError();
                                  if (--*waiting > 0 || !self)
                                      return;
                                  self->m_sweeping = false;
                                  if (!*failed)
                                      self->judgeNodes(others, *alive);
                              });
    }
}

void RedisPresence::judgeNodes(const QStringList &others, const QList<bool> &alive)
{
    // A node is swept when its key is missing at two sweeps in a row: one missed
    // heartbeat (a pause, a slow fsync) is not a death.
    QSet<QString> suspects;
    QStringList offline;
    for (qsizetype i = 0; i < others.size(); ++i) {
        if (alive.at(i))
            continue;
        if (m_suspects.contains(others.at(i)))
            offline.append(sweepNode(others.at(i), false));
        else
            suspects.insert(others.at(i));
    }
    m_suspects = suspects;
    if (!offline.isEmpty())
        Q_EMIT usersChanged(offline);
}

QStringList RedisPresence::sweepNode(const QString &node, bool evenIfAlive)
{
    const auto reply = m_redis->command(
        m_redis->scriptCommand(m_sweepScript, { Keys::nodes(), Keys::nodeAlive(node), Keys::nodeUsers(node) },
                               { node.toUtf8(), nowText(), evenIfAlive ? "force" : "" }));
    QStringList users;
    if (!reply)
        return users;
    for (const Redis::RedisReply &user : reply->elements)
        users.append(user.toString());
    if (!evenIfAlive && reply->type == Redis::RedisReply::Type::Array && !reply->elements.isEmpty())
        ++m_sweptNodes;
    return users;
}

bool RedisPresence::attach(const QString &user, const QByteArray &connectionId, qint64 nowMs)
{
    Local &local = m_local[user];
    const bool firstHere = local.connections.isEmpty();
    local.connections.insert(connectionId);
    local.lastSeen = nowMs;
    if (!firstHere)
        return false;
    local.status = QStringLiteral("online");
    const auto nodes = m_redis->command(
        m_redis->scriptCommand(m_attachScript,
                               { Keys::presenceNodes(user), Keys::presence(user), Keys::nodeUsers(m_node) },
                               { m_node.toUtf8(), user.toUtf8(), local.status.toUtf8() }));
    return nodes ? nodes->integer == 1 : true; // unreachable Redis: this node's view
}

bool RedisPresence::detach(const QString &user, const QByteArray &connectionId, qint64 nowMs)
{
    auto it = m_local.find(user);
    if (it == m_local.end() || !it->connections.remove(connectionId))
        return false;
    it->lastSeen = nowMs;
    if (!it->connections.isEmpty())
        return false;
    m_local.erase(it);
    const auto nodes = m_redis->command(
        m_redis->scriptCommand(m_detachScript,
                               { Keys::presenceNodes(user), Keys::presence(user), Keys::nodeUsers(m_node) },
                               { m_node.toUtf8(), user.toUtf8(), QByteArray::number(nowMs) }));
    return nodes ? nodes->integer == 0 : true;
}

void RedisPresence::setStatus(const QString &user, const QString &status)
{
    auto it = m_local.find(user);
    if (it == m_local.end())
        return;
    it->status = status;
    m_redis->command({ "HSET", Keys::presence(user), "status", status.toUtf8() });
}

Chat::PresenceState RedisPresence::state(const QString &user) const
{
    const auto local = m_local.constFind(user);
    const auto replies = m_redis->pipeline(
        { { "HMGET", Keys::presence(user), "status", "lastSeen" }, { "SCARD", Keys::presenceNodes(user) } });
    if (!replies) { // Redis unreachable: what this node knows
        if (local != m_local.cend())
            return { local->status, local->lastSeen };
        return {};
    }
    const auto &fields = replies->at(0).elements;
    Chat::PresenceState state;
    state.lastSeen = fields.value(1).toInteger();
    state.status = replies->at(1).integer > 0 && !fields.value(0).isNil() ? fields.value(0).toString()
                                                                          : QStringLiteral("offline");
    if (local != m_local.cend() && state.status == QLatin1String("offline"))
        state.status = local->status; // this node has a connection Redis has not heard of yet
    return state;
}

} // namespace Confab::Cluster
