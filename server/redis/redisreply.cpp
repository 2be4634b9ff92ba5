#include "redis/redisreply.h"

#include <hiredis/hiredis.h>

namespace Confab::Redis {

RedisReply RedisReply::from(const redisReply *reply)
{
    RedisReply value;
    if (!reply)
        return value;
    switch (reply->type) {
    case REDIS_REPLY_INTEGER:
        value.type = Type::Integer;
        value.integer = reply->integer;
        break;
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_ERROR:
        value.type = reply->type == REDIS_REPLY_STRING ? Type::String
            : reply->type == REDIS_REPLY_STATUS        ? Type::Status
                                                       : Type::Error;
        value.string = QByteArray(reply->str, qsizetype(reply->len));
        break;
    case REDIS_REPLY_ARRAY:
        value.type = Type::Array;
        value.elements.reserve(qsizetype(reply->elements));
        for (size_t i = 0; i < reply->elements; ++i)
            value.elements.append(from(reply->element[i]));
        break;
    default: break;
    }
    return value;
}

} // namespace Confab::Redis
