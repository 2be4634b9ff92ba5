// How confab-cli speaks: one JSON object per line on stdout; errors on stderr with an
// exit code scripts can tell apart.
#pragma once

#include "chat/errors.h"

#include <QJsonObject>
#include <QString>

namespace Confab::Cli {

enum ExitCode { Ok = 0, Failed = 1, Usage = 64, Unavailable = 69, AuthFailed = 77 };

void printLine(const QJsonObject &object);
// Before the event loop runs: say why and exit.
[[noreturn]] void fail(int code, const QString &message);
// From inside the event loop: say why and leave it, so the clean-up after exec() runs.
void quitWith(int code, const QString &message);
void finishWith(int code);

// The server's refusal as "code: message".
QString refusal(const Chat::Error &error);

// True when the server said ok; otherwise says why and ends with Failed.
template<typename T> bool answerOrFail(const Chat::Result<T> &answer)
{
    if (answer)
        return true;
    quitWith(Failed, refusal(answer.error()));
    return false;
}

} // namespace Confab::Cli
