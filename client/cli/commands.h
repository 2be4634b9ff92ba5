// confab-cli's commands, one table: name, arguments, help line, and the function that
// sets the command up. Each command's chat call is in its own function in commands.cpp.
#pragma once

#include "chat/requests.h"

#include <QJsonObject>
#include <QStringList>

#include <functional>
#include <optional>
#include <span>

namespace Confab::Client {
class ChatSession;
}

namespace Confab::Cli {

// The options a command may read (the rest belong to the connection: cliapp.cpp).
struct CommandOptions
{
    bool queue = false;              // send, edit, delete, react: leave it queued if unreachable
    bool join = false;               // listen: join the rooms first
    int count = -1;                  // listen: stop after N messages; -1: until --timeout
    std::optional<qint64> after {};  // history: after this seq
    std::optional<qint64> before {}; // search: before this seq (in one room)
    int limit = 50;                  // history, search: at most N
    QByteArray replyTo {};           // send: the message answered
    qint64 afterRev = 0;             // updates: changes after this rev
    bool off = false;                // react: take the reaction back
    bool limitGiven = false;         // search: --limit was set (its default is the server's)
    QStringList attachments {};      // send: files to upload and attach (absolute paths)
    QString output {};               // download: where to write the file
    bool isPrivate = false;          // create: a private room
};

struct CommandContext
{
    Client::ChatSession &session;
    QStringList arguments {}; // after the command's name
    CommandOptions options {};
    QString pendingClientId {}; // send, edit, delete, react: the outbox entry waiting for its ack
};

struct Command
{
    const char *name;
    const char *synopsis;
    const char *summary;
    int minimumArguments; // after the name
    // Before connecting: hooks the session's signals; returns what runs once synced.
    std::function<void()> (*prepare)(CommandContext &context);
};

std::span<const Command> commands();
const Command *findCommand(const QString &name);
// "Commands:" and a line for each, for --help.
QString commandsHelp();

// room:join, or room:create when there is no such room; `done` gets the room or the error.
void joinOrCreate(Client::ChatSession &session, const QString &room,
                  const std::function<void(const Chat::Result<Chat::Room> &)> &done);

} // namespace Confab::Cli
