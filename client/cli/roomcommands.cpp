#include "roomcommands.h"

#include "chatsession.h"
#include "clioutput.h"

namespace Confab::Cli {

namespace {

// An answer with nothing in it: ok, or why not.
void finishDone(const Chat::Result<Chat::Done> &answer)
{
    if (answerOrFail(answer))
        finishWith(Ok);
}

void printRoom(const Chat::Result<Chat::RoomAnswer> &answer)
{
    if (!answerOrFail(answer))
        return;
    printLine(answer->room.toJson());
    finishWith(Ok);
}

} // namespace

std::function<void()> prepareCreate(CommandContext &context)
{
    return [&context] {
        const Chat::Visibility visibility
            = context.options.isPrivate ? Chat::Visibility::Private : Chat::Visibility::Public;
        context.session.createRoom({ context.arguments[0], context.arguments.value(1), visibility }, printRoom);
    };
}

std::function<void()> prepareTopic(CommandContext &context)
{
    return [&context] { context.session.updateRoom({ context.arguments[0], context.arguments[1] }, printRoom); };
}

std::function<void()> prepareInvite(CommandContext &context)
{
    return [&context] { context.session.inviteMember(context.arguments[0], context.arguments[1], finishDone); };
}

std::function<void()> prepareKick(CommandContext &context)
{
    return [&context] { context.session.kickMember(context.arguments[0], context.arguments[1], finishDone); };
}

std::function<void()> prepareBan(CommandContext &context)
{
    return [&context] {
        context.session.banUser({ context.arguments[0], context.arguments[1], !context.options.off }, finishDone);
    };
}

std::function<void()> prepareRole(CommandContext &context)
{
    const auto role = Chat::roomRoleFromName(context.arguments.value(2));
    if (!role || *role == Chat::RoomRole::Owner)
        fail(Usage, QStringLiteral("role must be moderator or member"));
    return [&context, role] {
        context.session.setMemberRole({ context.arguments[0], context.arguments[1], *role }, finishDone);
    };
}

std::function<void()> prepareDirectory(CommandContext &context)
{
    return [&context] {
        Chat::DirectoryRequest request { context.arguments.value(0), {} };
        if (context.options.limitGiven)
            request.limit = context.options.limit;
        context.session.fetchDirectory(request, [](const Chat::Result<Chat::DirectoryAnswer> &answer) {
            if (!answerOrFail(answer))
                return;
            for (const Chat::DirectoryEntry &room : answer->rooms)
                printLine(room.toJson());
            finishWith(Ok);
        });
    };
}

} // namespace Confab::Cli
