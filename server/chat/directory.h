// The room directory's matching and order, the same for every store.
#pragma once

#include "chat/roomrequests.h"

#include <algorithm>

namespace Confab::Chat {

// A query matches a room whose name or topic contains it, ignoring case (Unicode-aware).
inline bool matchesDirectoryQuery(const QString &name, const QString &topic, const QString &query)
{
    return query.isEmpty() || name.contains(query, Qt::CaseInsensitive) || topic.contains(query, Qt::CaseInsensitive);
}

// Most members first, then by name; cut to `limit`.
inline void rankDirectory(QList<DirectoryEntry> &entries, int limit)
{
    std::sort(entries.begin(), entries.end(), [](const DirectoryEntry &a, const DirectoryEntry &b) {
        return a.memberCount != b.memberCount ? a.memberCount > b.memberCount : a.name < b.name;
    });
    if (entries.size() > limit)
        entries.resize(limit);
}

} // namespace Confab::Chat
