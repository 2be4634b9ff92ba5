// confab-cli's commands for running rooms: create, topic, invite, kick, ban, role, and
// the public directory (the table is in commands.cpp).
#pragma once

#include "commands.h"

namespace Confab::Cli {

std::function<void()> prepareCreate(CommandContext &context);
std::function<void()> prepareTopic(CommandContext &context);
std::function<void()> prepareInvite(CommandContext &context);
std::function<void()> prepareKick(CommandContext &context);
std::function<void()> prepareBan(CommandContext &context);
std::function<void()> prepareRole(CommandContext &context);
std::function<void()> prepareDirectory(CommandContext &context);

} // namespace Confab::Cli
