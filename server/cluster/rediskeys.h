// Every Redis key and channel the cluster uses, in one place (docs/ARCHITECTURE.md
// lists them). All start with "confab:" so a Redis can be shared.
#pragma once

#include <QByteArray>
#include <QString>

namespace Confab::Cluster::Keys {

inline QByteArray key(const char *kind, const QString &name)
{
    return QByteArray("confab:") + kind + ':' + name.toUtf8();
}

inline QByteArray users()
{
    return "confab:users";
}
inline QByteArray user(const QString &name)
{
    return key("user", name);
}
inline QByteArray rooms()
{
    return "confab:rooms";
}
inline QByteArray room(const QString &name)
{
    return key("room", name);
}
inline QByteArray members(const QString &room)
{
    return key("members", room);
}
inline QByteArray roomsOf(const QString &user)
{
    return key("roomsof", user);
}
inline QByteArray messages(const QString &room)
{
    return key("msgs", room);
}
inline QByteArray sent(const QString &user)
{
    return key("sent", user);
} // clientId -> message
inline QByteArray receipts(const QString &room)
{
    return key("receipts", room);
}

// Protocol v2 part 2: per room the members above member (user -> "owner" or
// "moderator") and the banned users; the public rooms (the directory lists these).
inline QByteArray roles(const QString &room)
{
    return key("roles", room);
}
inline QByteArray bans(const QString &room)
{
    return key("bans", room);
}
inline QByteArray directory()
{
    return "confab:directory";
}

// Protocol v2. Per room: id -> seq, the rev index (member id, score its current rev),
// the read-state sets (member and score a seq): live messages, each user's own live
// ones, those mentioning a user; read positions (user -> seq) and the order they moved in.
inline QByteArray messageIds(const QString &room)
{
    return key("ids", room);
}
inline QByteArray revisions(const QString &room)
{
    return key("revs", room);
}
inline QByteArray liveSeqs(const QString &room)
{
    return key("live", room);
}
// With an empty user: the prefix Lua completes with a name it read from a message.
inline QByteArray ownSeqs(const QString &room, const QString &user)
{
    return key("own", room) + ':' + user.toUtf8();
}
inline QByteArray mentionSeqs(const QString &room, const QString &user)
{
    return key("ment", room) + ':' + user.toUtf8();
}
// One message's reactions with one emoji: member user, score the rev that added it (so
// first-reaction order). With an empty emoji: the prefix Lua completes.
inline QByteArray reactions(const QString &room, const QByteArray &id, const QString &emoji)
{
    return key("rx", room) + ':' + id + ':' + emoji.toUtf8();
}
inline QByteArray readSeqs(const QString &room)
{
    return key("readseq", room);
}
inline QByteArray readTimes(const QString &room)
{
    return key("reads", room);
}
// The data's shape: absent in v1, "2" once every room has revs and read-state sets, "3"
// once every room has a visibility and (unless direct) an owner.
inline QByteArray schemaVersion()
{
    return "confab:schema";
}

// Presence: per user the nodes holding a connection, and the user's status.
inline QByteArray presenceNodes(const QString &user)
{
    return key("pnodes", user);
}
inline QByteArray presence(const QString &user)
{
    return key("presence", user);
}
inline QByteArray nodes()
{
    return "confab:nodes";
}
inline QByteArray nodeAlive(const QString &node)
{
    return key("alive", node);
}
inline QByteArray nodeUsers(const QString &node)
{
    return key("nodeusers", node);
}

// Files: each upload's record (a hash), and per uploader the contents they uploaded
// (sha256 -> size) with their sum, what the quota counts.
inline QByteArray file(const QByteArray &id)
{
    return QByteArray("confab:file:") + id;
}
// The messages that carry a file, "room\nseq" (who may download it; what refers to it).
inline QByteArray fileReferences(const QByteArray &id)
{
    return QByteArray("confab:filerefs:") + id;
}
inline QByteArray fileContents(const QString &user)
{
    return key("filecontents", user);
}
inline QByteArray fileUsage(const QString &user)
{
    return key("fileusage", user);
}
// How many of the uploader's records hold each content (sha256 -> count): the usage
// drops when the last goes.
inline QByteArray fileContentRecords(const QString &user)
{
    return key("filecontentrecs", user);
}
// Garbage collection: uploads by creation time until a gc pass finds a message carrying
// them, the ids a deleted message carried, records per content over all users (sha256 ->
// count; the bytes go at 0), totals {records, contents, bytes} and users by usage.
inline QByteArray filesUnsent()
{
    return "confab:files:unsent";
}
inline QByteArray filesOrphaned()
{
    return "confab:files:orphaned";
}
inline QByteArray fileContentCounts()
{
    return "confab:files:contents";
}
inline QByteArray fileTotals()
{
    return "confab:files:totals";
}
inline QByteArray fileUsageRanking()
{
    return "confab:files:usage";
}

// Pub/sub: one channel per room (only nodes with members subscribe), one for all.
inline QByteArray roomChannel(const QString &room)
{
    return key("r", room);
}
inline QByteArray allChannel()
{
    return "confab:all";
}

} // namespace Confab::Cluster::Keys
