#include "commands.h"

#include "chatsession.h"
#include "clioutput.h"
#include "roomcommands.h"
#include "roomlistener.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>

#include <memory>

namespace Confab::Cli {

using Client::ChatSession;
using Client::OutboxEntry;

namespace {

// An ack as printed: the message, and the clientId it was sent with.
QJsonObject ackLine(const QString &clientId, const QJsonObject &ack)
{
    QJsonObject line = ack;
    line.remove(QStringLiteral("ok"));
    line.insert(QStringLiteral("clientId"), clientId);
    return line;
}

// A change's ack as printed: what changed, and its new rev (and editedAt for an edit).
QJsonObject changeLine(const OutboxEntry &entry, const Chat::EditAnswer &answer)
{
    QJsonObject line { { QStringLiteral("room"), entry.room },
                       { QStringLiteral("id"), QString::fromLatin1(entry.messageId) },
                       { QStringLiteral("rev"), answer.rev } };
    if (entry.kind == Client::OutboxKind::Edit)
        line.insert(QStringLiteral("editedAt"), answer.editedAt);
    return line;
}

// send ROOM [TEXT] [--attach FILE]...: through the outbox, so --queue can leave it there
// for `flush`; its files are uploaded first.
std::function<void()> prepareSend(CommandContext &context)
{
    const QString text = context.arguments.value(1);
    if (text.isEmpty() && context.options.attachments.isEmpty())
        fail(Usage, QStringLiteral("send needs a text, an --attach FILE, or both"));
    QList<Client::OutboxAttachment> attachments;
    for (const QString &path : std::as_const(context.options.attachments)) {
        const QFileInfo file(path);
        if (!file.isFile() || !file.isReadable())
            fail(Usage, QStringLiteral("cannot read %1").arg(path));
        attachments.append({ file.absoluteFilePath() });
    }
    QString error;
    const auto entry
        = context.session.sendMessage(context.arguments[0], text, &error, context.options.replyTo, attachments);
    if (!entry)
        fail(Failed, QStringLiteral("cannot write the outbox: %1").arg(error));
    context.pendingClientId = entry->clientId;
    QObject::connect(&context.session, &ChatSession::messageSent, &context.session,
                     [&context](const QString &clientId, const QJsonObject &ack) {
                         if (clientId != context.pendingClientId)
                             return;
                         printLine(ackLine(clientId, ack));
                         finishWith(Ok);
                     });
    QObject::connect(&context.session, &ChatSession::messageFailed, &context.session,
                     [&context](const QString &clientId, const QString &code, const QString &message) {
                         if (clientId == context.pendingClientId)
                             quitWith(Failed, QStringLiteral("%1: %2").arg(code, message));
                     });
    return [] {}; // the session sends the outbox once synced
}

// edit, delete, react: the change goes through the outbox as a message does; printed when acked.
std::function<void()> prepareChange(CommandContext &context, const std::optional<OutboxEntry> &entry,
                                    const QString &error)
{
    if (!entry)
        fail(Failed, QStringLiteral("cannot write the outbox: %1").arg(error));
    context.pendingClientId = entry->clientId;
    QObject::connect(&context.session, &ChatSession::changeApplied, &context.session,
                     [&context](const OutboxEntry &applied, const Chat::EditAnswer &answer) {
                         if (applied.clientId != context.pendingClientId)
                             return;
                         printLine(changeLine(applied, answer));
                         finishWith(Ok);
                     });
    QObject::connect(&context.session, &ChatSession::changeRefused, &context.session,
                     [&context](const OutboxEntry &refused, const Chat::Error &error) {
                         if (refused.clientId == context.pendingClientId)
                             quitWith(Failed, refusal(error));
                     });
    return [] {}; // the session sends the outbox once synced
}

// edit ROOM ID TEXT
std::function<void()> prepareEdit(CommandContext &context)
{
    const QStringList &args = context.arguments;
    QString error;
    const auto entry = context.session.editMessage(args[0], args[1].toLatin1(), args[2], &error);
    return prepareChange(context, entry, error);
}

// delete ROOM ID
std::function<void()> prepareDelete(CommandContext &context)
{
    QString error;
    const auto entry = context.session.deleteMessage(context.arguments[0], context.arguments[1].toLatin1(), &error);
    return prepareChange(context, entry, error);
}

// react ROOM ID EMOJI [--off]
std::function<void()> prepareReact(CommandContext &context)
{
    const QStringList &args = context.arguments;
    QString error;
    const auto entry = context.session.setReaction(args[0], args[1].toLatin1(), args[2], !context.options.off, &error);
    return prepareChange(context, entry, error);
}

// download ID [-o FILE]: to FILE, or to the uploader's name in the current folder; the
// session's cache keeps a copy, so a second download of the same id asks nobody.
std::function<void()> prepareDownload(CommandContext &context)
{
    return [&context] {
        const QByteArray id = context.arguments[0].toLatin1();
        Client::FileDownload *download = context.session.files()->download(id);
        QObject::connect(download, &Client::FileDownload::finished, &context.session,
                         [&context, id](const Chat::Result<Client::DownloadedFile> &file) {
                             if (!file)
                                 return quitWith(file.error().code == Chat::ErrorCode::Unavailable ? Unavailable
                                                                                                   : Failed,
                                                 refusal(file.error()));
                             QString target = context.options.output;
                             if (target.isEmpty())
                                 target = file->name.isEmpty() ? QString::fromLatin1(id) : file->name;
                             QFile::remove(target);
                             if (!QFile::copy(file->path, target))
                                 return quitWith(Failed, QStringLiteral("cannot write %1").arg(target));
                             printLine({ { QStringLiteral("id"), QString::fromLatin1(id) },
                                         { QStringLiteral("name"), file->name },
                                         { QStringLiteral("file"), QFileInfo(target).absoluteFilePath() },
                                         { QStringLiteral("size"), QFileInfo(target).size() } });
                             finishWith(Ok);
                         });
    };
}

// flush: the session sends the outbox once synced; done when nothing is pending.
std::function<void()> prepareFlush(CommandContext &context)
{
    ChatSession &session = context.session;
    auto refusedChanges = std::make_shared<int>(0); // dropped from the outbox, so counted here
    auto reportWhenEmpty = [&session, refusedChanges] {
        int failed = *refusedChanges, pending = 0;
        for (const OutboxEntry &entry : session.localStore()->outbox())
            (entry.failed ? failed : pending) += 1;
        if (pending == 0)
            finishWith(failed == 0 ? Ok : Failed);
    };
    QObject::connect(&session, &ChatSession::changeApplied, &session,
                     [reportWhenEmpty](const OutboxEntry &entry, const Chat::EditAnswer &answer) {
                         QJsonObject line = changeLine(entry, answer);
                         line.insert(QStringLiteral("clientId"), entry.clientId);
                         printLine(line);
                         reportWhenEmpty();
                     });
    QObject::connect(&session, &ChatSession::changeRefused, &session,
                     [reportWhenEmpty, refusedChanges](const OutboxEntry &entry, const Chat::Error &error) {
                         ++*refusedChanges;
                         printLine({ { QStringLiteral("clientId"), entry.clientId },
                                     { QStringLiteral("failed"), Chat::errorCodeName(error.code) } });
                         reportWhenEmpty();
                     });
    QObject::connect(&session, &ChatSession::messageSent, &session,
                     [reportWhenEmpty](const QString &clientId, const QJsonObject &ack) {
                         printLine(ackLine(clientId, ack));
                         reportWhenEmpty();
                     });
    QObject::connect(&session, &ChatSession::messageFailed, &session,
                     [reportWhenEmpty](const QString &clientId, const QString &code) {
                         printLine({ { QStringLiteral("clientId"), clientId }, { QStringLiteral("failed"), code } });
                         reportWhenEmpty();
                     });
    return reportWhenEmpty;
}

std::function<void()> prepareListen(CommandContext &context)
{
    auto listener = std::make_shared<RoomListener>(context.session, context.arguments, context.options.count,
                                                   context.options.join);
    QObject::connect(&context.session, &ChatSession::messageReceived, &context.session,
                     [listener](const QJsonObject &message) { listener->print(message); });
    return [listener] { listener->start(); };
}

std::function<void()> prepareHistory(CommandContext &context)
{
    return [&context] {
        const Chat::HistoryRequest request { context.arguments[0], context.options.after, {}, context.options.limit };
        context.session.fetchHistory(request, [](const Chat::Result<Chat::HistoryAnswer> &answer) {
            if (!answerOrFail(answer))
                return;
            for (const Chat::Message &message : answer->messages)
                printLine(message.toJson());
            finishWith(Ok);
        });
    };
}

// search QUERY [ROOM]: the server's full-text search, newest first (the embedded store).
std::function<void()> prepareSearch(CommandContext &context)
{
    return [&context] {
        const Chat::SearchRequest request { context.arguments[0], context.arguments.value(1), context.options.before,
                                            context.options.limitGiven ? std::optional(context.options.limit)
                                                                       : std::nullopt };
        context.session.search(request, [](const Chat::Result<Chat::HistoryAnswer> &answer) {
            if (!answerOrFail(answer))
                return;
            for (const Chat::Message &message : answer->messages)
                printLine(message.toJson());
            finishWith(Ok);
        });
    };
}

std::function<void()> preparePresence(CommandContext &context)
{
    return [&context] {
        context.session.fetchPresence(context.arguments, [](const Chat::Result<Chat::PresenceAnswer> &answer) {
            if (!answerOrFail(answer))
                return;
            for (auto it = answer->presence.cbegin(); it != answer->presence.cend(); ++it)
                printLine(Chat::PresenceEvent { it.key(), it.value() }.toJson());
            finishWith(Ok);
        });
    };
}

std::function<void()> prepareJoin(CommandContext &context)
{
    return [&context] {
        joinOrCreate(context.session, context.arguments[0], [](const Chat::Result<Chat::Room> &room) {
            if (!answerOrFail(room))
                return;
            printLine(room->toJson());
            finishWith(Ok);
        });
    };
}

// updates ROOM [--after-rev N]: every message changed (or created) since, page by page.
void printUpdates(ChatSession &session, const QString &room, qint64 afterRev)
{
    session.fetchUpdates(room, afterRev, [&session, room](const Chat::Result<Chat::UpdatesAnswer> &answer) {
        if (!answerOrFail(answer))
            return;
        for (const Chat::Message &message : answer->messages)
            printLine(message.toJson());
        if (answer->messages.size() == ChatSession::UpdatesPageSize && answer->messages.last().rev < answer->lastRev)
            return printUpdates(session, room, answer->messages.last().rev);
        finishWith(Ok);
    });
}

std::function<void()> prepareUpdates(CommandContext &context)
{
    return [&context] { printUpdates(context.session, context.arguments[0], context.options.afterRev); };
}

std::function<void()> prepareReads(CommandContext &context)
{
    return [&context] {
        context.session.fetchReads(context.arguments[0], [](const Chat::Result<Chat::ReadsAnswer> &answer) {
            if (!answerOrFail(answer))
                return;
            for (auto it = answer->reads.cbegin(); it != answer->reads.cend(); ++it)
                printLine({ { QStringLiteral("user"), it.key() }, { QStringLiteral("readSeq"), it.value() } });
            finishWith(Ok);
        });
    };
}

std::function<void()> prepareRooms(CommandContext &context)
{
    return [&context] {
        context.session.listRooms([](const Chat::Result<Chat::RoomListAnswer> &answer) {
            if (!answerOrFail(answer))
                return;
            for (const Chat::RoomSummary &room : answer->rooms)
                printLine(room.toJson());
            finishWith(Ok);
        });
    };
}

// unread [ROOM...]: what is left to read, as the server counts it (every room with
// something unread, or the rooms named).
std::function<void()> prepareUnread(CommandContext &context)
{
    return [&context] {
        context.session.listRooms([&context](const Chat::Result<Chat::RoomListAnswer> &answer) {
            if (!answerOrFail(answer))
                return;
            for (const Chat::RoomSummary &room : answer->rooms) {
                const bool named = context.arguments.contains(room.name);
                if (context.arguments.isEmpty() ? room.unread == 0 && room.mentions == 0 : !named)
                    continue;
                printLine({ { QStringLiteral("room"), room.name },
                            { QStringLiteral("readSeq"), room.readSeq },
                            { QStringLiteral("unread"), room.unread },
                            { QStringLiteral("mentions"), room.mentions } });
            }
            finishWith(Ok);
        });
    };
}

const Command Commands[] = {
    { "send", "send ROOM [TEXT]",
      "send and wait for the ack (--attach FILE, repeatable; --queue: keep it in the outbox if the server is "
      "unreachable; --reply-to ID)",
      1, prepareSend },
    { "download", "download ID", "download a file to its name here (-o FILE: there instead)", 1, prepareDownload },
    { "edit", "edit ROOM ID TEXT", "change a message's text (--queue as for send)", 3, prepareEdit },
    { "delete", "delete ROOM ID", "delete a message (--queue as for send)", 2, prepareDelete },
    { "react", "react ROOM ID EMOJI", "react to a message (--off: take it back; --queue as for send)", 3,
      prepareReact },
    { "flush", "flush", "send what the outbox holds", 0, prepareFlush },
    { "listen", "listen ROOM...", "print messages as they arrive (--count, --timeout; --join: join the rooms first)", 1,
      prepareListen },
    { "history", "history ROOM", "print stored messages (--after, --limit)", 1, prepareHistory },
    { "updates", "updates ROOM", "print messages changed after a rev (--after-rev), in rev order", 1, prepareUpdates },
    { "reads", "reads ROOM", "print members' read positions", 1, prepareReads },
    { "search", "search QUERY [ROOM]",
      "print messages with these words, newest first (--before SEQ with ROOM, --limit)", 1, prepareSearch },
    { "presence", "presence USER...", "print users' presence", 1, preparePresence },
    { "join", "join ROOM", "join a room, creating it if it does not exist", 1, prepareJoin },
    { "rooms", "rooms", "print your rooms", 0, prepareRooms },
    { "create", "create ROOM [TOPIC]", "create a room (--private: members invite; public otherwise)", 1,
      prepareCreate },
    { "topic", "topic ROOM TEXT", "change a room's topic (owner and moderators)", 2, prepareTopic },
    { "invite", "invite ROOM USER", "make a user a member (a private room: owner and moderators)", 2, prepareInvite },
    { "kick", "kick ROOM USER", "take a member out of the room (owner and moderators)", 2, prepareKick },
    { "ban", "ban ROOM USER", "kick and keep out (--off: lift the ban; owner and moderators)", 2, prepareBan },
    { "role", "role ROOM USER ROLE", "make a member a moderator or a member again (the owner)", 3, prepareRole },
    { "directory", "directory [QUERY]", "print public rooms whose name or topic has QUERY (--limit, up to 100)", 0,
      prepareDirectory },
    { "unread", "unread [ROOM...]", "print unread and mention counts (rooms with something unread, or those named)", 0,
      prepareUnread },
};

} // namespace

void joinOrCreate(ChatSession &session, const QString &room,
                  const std::function<void(const Chat::Result<Chat::Room> &)> &done)
{
    session.joinRoom(room, [&session, room, done](const Chat::Result<Chat::JoinRoomAnswer> &joined) {
        if (joined)
            return done(joined->room);
        if (joined.error().code != Chat::ErrorCode::NotFound)
            return done(joined.error());
        session.createRoom({ room, {} }, [done](const Chat::Result<Chat::RoomAnswer> &created) {
            done(created ? Chat::Result<Chat::Room>(created->room) : Chat::Result<Chat::Room>(created.error()));
        });
    });
}

std::span<const Command> commands()
{
    return Commands;
}

const Command *findCommand(const QString &name)
{
    for (const Command &command : Commands) {
        if (name == QLatin1String(command.name))
            return &command;
    }
    return nullptr;
}

QString commandsHelp()
{
    QString help = QStringLiteral("Commands:");
    for (const Command &command : Commands)
        help += QStringLiteral("\n  %1 %2")
                    .arg(QString::fromLatin1(command.synopsis).leftJustified(21), QString::fromUtf8(command.summary));
    return help;
}

} // namespace Confab::Cli
