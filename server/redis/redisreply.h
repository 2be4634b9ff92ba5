// A Redis reply as a value, copied out of hiredis's reply tree.
#pragma once

#include <QByteArray>
#include <QList>

struct redisReply;

namespace Confab::Redis {

struct RedisReply
{
    enum class Type { Nil, Integer, String, Status, Error, Array };
    Type type = Type::Nil;
    long long integer = 0;
    QByteArray string; // String, Status and Error
    QList<RedisReply> elements;

    bool isError() const { return type == Type::Error; }
    bool isNil() const { return type == Type::Nil; }
    // Integer replies and integers sent as strings (as Lua and HGET give them).
    long long toInteger() const { return type == Type::Integer ? integer : string.toLongLong(); }
    QString toString() const { return QString::fromUtf8(string); }

    static RedisReply from(const redisReply *reply);
};

} // namespace Confab::Redis
