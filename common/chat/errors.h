// The protocol's error codes, the error an ack carries, and Result<T>: a typed answer
// or the error that came instead.
#pragma once

#include <QJsonObject>
#include <QString>

#include <optional>
#include <utility>

namespace Confab::Chat {

enum class ErrorCode {
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    TooLarge,
    RateLimited,
    Unavailable,
    Internal
};

// The wire name ("bad_request", …) and back; an unknown name reads as Internal.
QString errorCodeName(ErrorCode code);
ErrorCode errorCodeFromName(QStringView name);

struct Error
{
    ErrorCode code = ErrorCode::Internal;
    QString message;

    // Refusals that sending the same request again cannot fix.
    bool isPermanent() const
    {
        return code == ErrorCode::BadRequest || code == ErrorCode::Forbidden || code == ErrorCode::NotFound
            || code == ErrorCode::TooLarge;
    }
};

// An answer without fields ("ok" and nothing else).
struct Done
{
};

template<typename T> class Result
{
public:
    Result(T value)
        : m_value(std::move(value))
    {
    }
    Result(Error error)
        : m_error(std::move(error))
    {
    }

    bool isOk() const { return m_value.has_value(); }
    explicit operator bool() const { return isOk(); }
    const T &value() const { return *m_value; }
    T &value() { return *m_value; }
    const T *operator->() const { return &*m_value; }
    T *operator->() { return &*m_value; }
    const Error &error() const { return m_error; }

private:
    std::optional<T> m_value;
    Error m_error;
};

// The ack body: {"ok": true, ...fields} or {"ok": false, "error": {code, message}}.
QJsonObject okAnswer(QJsonObject fields = {});
QJsonObject errorAnswer(const Error &error);
// The error an ack body carries, if it is not ok.
std::optional<Error> answerError(const QJsonObject &answer);

} // namespace Confab::Chat
